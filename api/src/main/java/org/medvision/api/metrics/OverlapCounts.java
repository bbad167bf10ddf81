package org.medvision.api.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import org.medvision.api.MedvisionException;

/**
 * Voxel counts of a predicted binary mask against a true one, and the overlap scores derived from them.
 *
 * <p>Masks of any dimension (2-D slices, 3-D volumes) are compared as flat arrays in the same voxel order. Counts of
 * several masks add up ({@link #plus}), which gives the scores of their union: the slices of a patient pooled as one
 * volume.
 *
 * <p>Both-empty convention: when neither mask has a foreground voxel (TP + FP + FN = 0) Dice and IoU are 1, the
 * prediction being exactly right; a non-empty prediction against an empty truth, or the reverse, scores 0.
 *
 * @param truePositives voxels in both masks
 * @param falsePositives voxels in the prediction only
 * @param falseNegatives voxels in the truth only
 * @param trueNegatives voxels in neither mask
 */
public record OverlapCounts(long truePositives, long falsePositives, long falseNegatives, long trueNegatives) {
  /** The counts of no voxel, the identity of {@link #plus}. */
  public static final OverlapCounts EMPTY = new OverlapCounts(0, 0, 0, 0);

  /**
   * Counts {@code prediction} against {@code truth}.
   *
   * @throws MedvisionException if the masks differ in length
   */
  public static OverlapCounts of(boolean[] truth, boolean[] prediction) {
    if (truth.length != prediction.length) {
      throw new MedvisionException("overlap: truth mask has " + truth.length + " voxels but the prediction has "
          + prediction.length);
    }
    long tp = 0;
    long fp = 0;
    long fn = 0;
    for (int i = 0; i < truth.length; i++) {
      if (truth[i] && prediction[i]) {
        tp++;
      } else if (prediction[i]) {
        fp++;
      } else if (truth[i]) {
        fn++;
      }
    }
    return new OverlapCounts(tp, fp, fn, truth.length - tp - fp - fn);
  }

  /** The Dice of two masks, {@code of(truth, prediction).dice()}. */
  public static double dice(boolean[] truth, boolean[] prediction) {
    return of(truth, prediction).dice();
  }

  /** The IoU of two masks, {@code of(truth, prediction).iou()}. */
  public static double iou(boolean[] truth, boolean[] prediction) {
    return of(truth, prediction).iou();
  }

  /** The counts of both mask pairs together, as if their voxels formed one mask pair. */
  public OverlapCounts plus(OverlapCounts other) {
    return new OverlapCounts(truePositives + other.truePositives, falsePositives + other.falsePositives,
        falseNegatives + other.falseNegatives, trueNegatives + other.trueNegatives);
  }

  /** Whether neither mask has a foreground voxel. */
  public boolean bothEmpty() {
    return truePositives + falsePositives + falseNegatives == 0;
  }

  /** Dice (F1 of voxels), {@code 2TP / (2TP + FP + FN)}; 1 when both masks are empty. */
  public double dice() {
    return bothEmpty() ? 1 : 2.0 * truePositives / (2.0 * truePositives + falsePositives + falseNegatives);
  }

  /** Intersection over union (Jaccard), {@code TP / (TP + FP + FN)}; 1 when both masks are empty. */
  public double iou() {
    return bothEmpty() ? 1 : (double) truePositives / (truePositives + falsePositives + falseNegatives);
  }

  /** JSON-friendly view: the four counts, {@code dice} and {@code iou}. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tp", truePositives);
    m.put("fp", falsePositives);
    m.put("fn", falseNegatives);
    m.put("tn", trueNegatives);
    m.put("dice", dice());
    m.put("iou", iou());
    return m;
  }
}
