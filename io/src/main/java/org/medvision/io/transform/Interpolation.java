package org.medvision.io.transform;

/** How {@link Resampler} samples between voxel centres. */
public enum Interpolation {
  /** Trilinear: weighted mean of the 8 surrounding voxels; for images. */
  TRILINEAR,
  /** Nearest voxel (ties round up); keeps label values intact, for masks. */
  NEAREST
}
