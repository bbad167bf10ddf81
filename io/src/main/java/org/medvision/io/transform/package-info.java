/**
 * Intensity and geometry transforms on {@link org.medvision.io.volume.Volume}s: display windows
 * ({@link org.medvision.io.transform.Window}, presets and DICOM's VOI functions), resampling to a target spacing
 * ({@link org.medvision.io.transform.Resampler}), crop/pad ({@link org.medvision.io.transform.CropPad}) and
 * percentile normalisation ({@link org.medvision.io.transform.PercentileNormalizer}). Every geometry transform
 * returns a volume whose affine keeps each voxel's world position.
 */
package org.medvision.io.transform;
