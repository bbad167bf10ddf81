package org.medvision.api.metrics;

import org.medvision.api.MedvisionException;

/**
 * When a predicted lesion (connected component) counts as finding a true lesion: they share at least one voxel,
 * and their intersection over union is at least {@code minimumIou}.
 *
 * @param minimumIou least IoU of the two components, in [0, 1]; 0 means any overlap of one voxel or more
 */
public record LesionMatch(double minimumIou) {
  /** A match needs one shared voxel and nothing more. */
  public static final LesionMatch ANY_OVERLAP = new LesionMatch(0);

  /** Validates the threshold. */
  public LesionMatch {
    if (!(minimumIou >= 0 && minimumIou <= 1)) {
      throw new MedvisionException("lesion match: minimum IoU must lie in [0, 1], got " + minimumIou);
    }
  }

  /** A match needs an IoU of at least {@code threshold} (and hence, for a positive threshold, a shared voxel). */
  public static LesionMatch iouAtLeast(double threshold) {
    return new LesionMatch(threshold);
  }

  /** Whether two components with these voxel counts match. */
  public boolean matches(long intersection, long truthSize, long predictedSize) {
    if (intersection < 1) {
      return false;
    }
    double iou = (double) intersection / (truthSize + predictedSize - intersection);
    return iou >= minimumIou;
  }
}
