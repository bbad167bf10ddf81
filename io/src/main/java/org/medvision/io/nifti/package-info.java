/**
 * NIfTI-1 and NIfTI-2 images ({@code .nii}, {@code .nii.gz}) as {@link org.medvision.io.volume.Volume}s:
 * {@link org.medvision.io.nifti.NiftiReader} reads either byte order and every common voxel type,
 * {@link org.medvision.io.nifti.NiftiWriter} writes atomically, and {@link org.medvision.io.nifti.NiftiHeader} exposes
 * the header fields and the standard's choice of voxel-to-world transform (sform, else qform, else pixdim).
 *
 * <p>NIfTI's world is RAS+ (x to the right, y anterior); ours is DICOM's LPS+. The two differ only in the signs of x
 * and y, so conversion negates the first two rows of the affine.
 */
package org.medvision.io.nifti;
