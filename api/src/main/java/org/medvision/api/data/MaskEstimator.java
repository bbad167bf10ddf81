package org.medvision.api.data;

/**
 * Makes a binary mask from a volume when a row supplies none, e.g. a lung mask estimated by thresholding so that a
 * chest CT can be cropped at prediction time. Implementations live in the task that needs them and are pure Java.
 */
public interface MaskEstimator {
  /**
   * The mask of a volume.
   *
   * @param voxels stored values (HU for CT), x fastest, then y, then z
   * @param dims the extents x, y, z
   * @param spacing voxel size in millimetres along x, y, z
   * @return 1 inside the mask, 0 outside, in the same order as {@code voxels}
   */
  byte[] estimate(float[] voxels, int[] dims, double[] spacing);

  /** One line saying what the estimate is, for warnings and provenance. */
  String description();
}
