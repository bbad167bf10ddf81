/**
 * Synthetic data with known ground truth: {@link org.medvision.io.synth.BrainCtPhantom} draws axial brain CT slices in
 * Hounsfield units (normal, hemorrhagic, ischemic) with a tissue map of how each pixel was made,
 * {@link org.medvision.io.transform.Window} maps HU to display intensities, and
 * {@link org.medvision.io.synth.BrainCtDataset} writes a balanced, seeded set of PNG slices with a manifest.
 */
package org.medvision.io.synth;
