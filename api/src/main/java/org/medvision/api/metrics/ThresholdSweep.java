package org.medvision.api.metrics;

import java.util.Arrays;
import java.util.Comparator;
import org.medvision.api.MedvisionException;

/**
 * Cumulative true and false positive counts when a score threshold is lowered through every distinct score, the
 * common ground of ROC and precision-recall curves.
 *
 * <p>Entry j describes the rule "positive when score &gt;= thresholds[j]", thresholds strictly decreasing. Samples
 * with equal scores are admitted together, which is what makes tied scores count as half-ordered in the curve areas.
 */
final class ThresholdSweep {
  final double[] thresholds;
  final long[] truePositives;
  final long[] falsePositives;
  final long positives;
  final long negatives;

  private ThresholdSweep(double[] thresholds, long[] truePositives, long[] falsePositives, long positives,
      long negatives) {
    this.thresholds = thresholds;
    this.truePositives = truePositives;
    this.falsePositives = falsePositives;
    this.positives = positives;
    this.negatives = negatives;
  }

  static ThresholdSweep of(double[] scores, boolean[] positive) {
    checkScores(scores, positive);
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
    double[] thresholds = new double[scores.length];
    long[] tp = new long[scores.length];
    long[] fp = new long[scores.length];
    int distinct = 0;
    long tpSoFar = 0;
    long fpSoFar = 0;
    for (int j = 0; j < order.length; j++) {
      int i = order[j];
      if (positive[i]) {
        tpSoFar++;
      } else {
        fpSoFar++;
      }
      boolean lastOfTie = j + 1 == order.length || scores[order[j + 1]] != scores[i];
      if (lastOfTie) {
        thresholds[distinct] = scores[i];
        tp[distinct] = tpSoFar;
        fp[distinct] = fpSoFar;
        distinct++;
      }
    }
    return new ThresholdSweep(Arrays.copyOf(thresholds, distinct), Arrays.copyOf(tp, distinct),
        Arrays.copyOf(fp, distinct), tpSoFar, fpSoFar);
  }

  /** Rejects score/truth arrays of different lengths and NaN scores, which have no place in a ranking. */
  static void checkScores(double[] scores, boolean[] positive) {
    if (scores.length != positive.length) {
      throw new MedvisionException("ranking metric: " + scores.length + " scores but " + positive.length
          + " truth values");
    }
    for (int i = 0; i < scores.length; i++) {
      if (Double.isNaN(scores[i])) {
        throw new MedvisionException("ranking metric: score of sample " + i + " is NaN");
      }
    }
  }

  int size() {
    return thresholds.length;
  }
}
