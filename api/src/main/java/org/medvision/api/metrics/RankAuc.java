package org.medvision.api.metrics;

import java.util.Arrays;
import java.util.Comparator;

/**
 * AUROC from ranks (the Mann-Whitney U statistic), independent of any curve.
 *
 * <p>AUROC is the probability that a random positive scores above a random negative, a tie counting 1/2. With
 * mid-ranks r_i (ascending scores, tied samples sharing the mean of their ranks), n1 positives and n0 negatives it
 * is {@code (sum_{i positive} r_i - n1*(n1+1)/2) / (n1*n0)}.
 */
public final class RankAuc {
  private RankAuc() {
  }

  /**
   * The rank AUROC of {@code scores} against {@code positive}.
   *
   * @return a value in [0, 1], or NaN when there is no positive or no negative
   * @throws org.medvision.api.MedvisionException if the arrays differ in length or a score is NaN
   */
  public static double auroc(double[] scores, boolean[] positive) {
    ThresholdSweep.checkScores(scores, positive);
    int n = scores.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]));
    double positiveRankSum = 0;
    long positives = 0;
    int start = 0;
    while (start < n) {
      int end = start;
      while (end + 1 < n && scores[order[end + 1]] == scores[order[start]]) {
        end++;
      }
      double midRank = (start + end) / 2.0 + 1;
      for (int j = start; j <= end; j++) {
        if (positive[order[j]]) {
          positiveRankSum += midRank;
          positives++;
        }
      }
      start = end + 1;
    }
    long negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }
}
