package org.medvision.api.metrics;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.medvision.api.MedvisionException;

/**
 * Lesion-wise detection of one scan: the truth and predicted masks are split into connected components (lesions)
 * and each pair of overlapping components is tested with a {@link LesionMatch}; see {@link LesionCounts} for how the
 * matches become recall, precision and false positives.
 */
public final class LesionDetection {
  private LesionDetection() {
  }

  /**
   * Labels both masks with {@code connectivity} and counts the matches.
   *
   * @param truth true lesion mask, row-major
   * @param prediction predicted lesion mask of the same shape
   * @param shape extent of each axis (2-D slice or 3-D volume)
   * @param connectivity neighbourhood used to split both masks into lesions
   * @param match the rule for a predicted lesion to find a true one
   * @throws MedvisionException if a mask does not match the shape
   */
  public static LesionCounts evaluate(boolean[] truth, boolean[] prediction, int[] shape, Connectivity connectivity,
      LesionMatch match) {
    return evaluate(ConnectedComponents.label(truth, shape, connectivity),
        ConnectedComponents.label(prediction, shape, connectivity), match);
  }

  /**
   * Counts the matches between already labelled truth and predicted components.
   *
   * @throws MedvisionException if the two labellings have different shapes
   */
  public static LesionCounts evaluate(ConnectedComponents truth, ConnectedComponents prediction, LesionMatch match) {
    if (!Arrays.equals(truth.shape(), prediction.shape())) {
      throw new MedvisionException("lesion detection: truth shape " + Arrays.toString(truth.shape())
          + " differs from prediction shape " + Arrays.toString(prediction.shape()));
    }
    int[] t = truth.labels();
    int[] p = prediction.labels();
    long predictedCount = prediction.count();
    // Intersections of every overlapping (truth, prediction) pair, keyed t * (P + 1) + p; pairs that share no voxel
    // cannot match under any rule and are never stored.
    Map<Long, Long> intersections = new HashMap<>();
    for (int i = 0; i < t.length; i++) {
      if (t[i] != 0 && p[i] != 0) {
        intersections.merge(t[i] * (predictedCount + 1) + p[i], 1L, Long::sum);
      }
    }
    boolean[] detected = new boolean[truth.count() + 1];
    boolean[] matched = new boolean[prediction.count() + 1];
    for (Map.Entry<Long, Long> e : intersections.entrySet()) {
      int tl = (int) (e.getKey() / (predictedCount + 1));
      int pl = (int) (e.getKey() % (predictedCount + 1));
      if (match.matches(e.getValue(), truth.size(tl), prediction.size(pl))) {
        detected[tl] = true;
        matched[pl] = true;
      }
    }
    return new LesionCounts(truth.count(), count(detected), prediction.count(), count(matched));
  }

  private static long count(boolean[] flags) {
    long n = 0;
    for (boolean f : flags) {
      n += f ? 1 : 0;
    }
    return n;
  }
}
