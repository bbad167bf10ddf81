/**
 * Volumes in patient space: {@link org.medvision.io.volume.Volume} (float voxels, x fastest, with a voxel-to-LPS
 * {@link org.medvision.io.volume.Affine}), series-to-volume assembly from per-slice geometry records
 * ({@link org.medvision.io.volume.SliceRecord}, {@link org.medvision.io.volume.SeriesAssembler}) with structured
 * {@link org.medvision.io.volume.Finding findings}, and comparison of two volumes in world coordinates
 * ({@link org.medvision.io.volume.VolumeComparison}).
 *
 * <p>World coordinates are DICOM patient coordinates (LPS: +x to the patient's left, +y posterior, +z superior), in
 * millimetres. A voxel index {@code (i, j, k)} names the centre of that voxel.
 */
package org.medvision.io.volume;
