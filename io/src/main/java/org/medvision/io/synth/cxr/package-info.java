/**
 * Synthetic frontal chest radiographs in the layout of NIH ChestX-ray14, for multi-label classification of its 14
 * findings.
 *
 * <p>{@link org.medvision.io.synth.cxr.ChestXrayPhantom} draws one radiograph: the projected attenuation of a thorax
 * (body, lungs, heart and mediastinum, hemidiaphragms, ribs, clavicles, spine, airways, vessels) with any of the
 * findings of {@link org.medvision.io.synth.cxr.CxrFinding}, each drawn as it shows on film, under a film-like display
 * curve with noise. {@link org.medvision.io.synth.cxr.ChestXrayCohort} plans patients, follow-ups, findings (shares and
 * pairings after the real set's) and a test list by patient; {@link org.medvision.io.synth.cxr.ChestXrayDataset}
 * writes {@code Data_Entry_2017.csv}, the split lists and the PNG images. The real set: X. Wang et al., "ChestX-ray8:
 * Hospital-scale Chest X-ray Database and Benchmarks on Weakly-Supervised Classification and Localization of Common
 * Thorax Diseases", CVPR 2017.
 */
package org.medvision.io.synth.cxr;
