/**
 * Synthetic 3-D chest CT for COVID-19 vs community-acquired pneumonia (CAP) classification, with lung and infection
 * masks that lie exactly on the CT's grid.
 *
 * <p>{@link org.medvision.io.synth.chest.ChestCtPhantom} draws one scan in Hounsfield units from a patient's and a
 * scan's seeded generators; {@link org.medvision.io.synth.chest.ChestCtCohort} plans a cohort (60% COVID-19, infection
 * sizes that overlap between the classes but are distributed differently, follow-up scans, a few missing masks);
 * {@link org.medvision.io.synth.chest.ChestCtDataset} writes it as NIfTI or DICOM with a
 * {@link org.medvision.io.synth.chest.ChestCtManifest manifest}. The set is meant for DSA-Net-style training (3-D
 * classification with attention supervised by infection masks and size-balanced sampling over the ratio of infected
 * to lung volume): X. Ouyang et al., "Dual-Sampling Attention Network for Diagnosis of COVID-19 from Community
 * Acquired Pneumonia", IEEE Transactions on Medical Imaging 39(8), 2020, arXiv:2005.02690.
 */
package org.medvision.io.synth.chest;
