package org.medvision.api.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Receiver operating characteristic of one score against a binary truth: false and true positive rates at every
 * distinct score used as threshold ("positive when score &gt;= threshold").
 *
 * <p>Points run from (0, 0) at threshold +infinity to (1, 1) at the lowest score; no collinear point is dropped.
 * The curve is undefined, and has no points, when the truth holds only positives or only negatives.
 */
public final class RocCurve {
  private final double[] falsePositiveRates;
  private final double[] truePositiveRates;
  private final double[] thresholds;

  private RocCurve(double[] falsePositiveRates, double[] truePositiveRates, double[] thresholds) {
    this.falsePositiveRates = falsePositiveRates;
    this.truePositiveRates = truePositiveRates;
    this.thresholds = thresholds;
  }

  /**
   * The ROC curve of {@code scores} (higher = more likely positive) against {@code positive}.
   *
   * @param scores one score per sample
   * @param positive whether each sample is positive; same length as {@code scores}
   */
  public static RocCurve of(double[] scores, boolean[] positive) {
    return of(ThresholdSweep.of(scores, positive));
  }

  static RocCurve of(ThresholdSweep sweep) {
    if (sweep.positives == 0 || sweep.negatives == 0) {
      return new RocCurve(new double[0], new double[0], new double[0]);
    }
    int n = sweep.size() + 1;
    double[] fpr = new double[n];
    double[] tpr = new double[n];
    double[] thr = new double[n];
    thr[0] = Double.POSITIVE_INFINITY;
    for (int j = 0; j < sweep.size(); j++) {
      fpr[j + 1] = (double) sweep.falsePositives[j] / sweep.negatives;
      tpr[j + 1] = (double) sweep.truePositives[j] / sweep.positives;
      thr[j + 1] = sweep.thresholds[j];
    }
    return new RocCurve(fpr, tpr, thr);
  }

  /** Whether both classes were present, so that the rates are defined. */
  public boolean isDefined() {
    return thresholds.length > 0;
  }

  /**
   * Area under the curve by the trapezoid rule; NaN when undefined. It equals the Mann-Whitney AUROC of
   * {@link RankAuc}, a tie between a positive and a negative adding a half.
   */
  public double area() {
    if (!isDefined()) {
      return Double.NaN;
    }
    double area = 0;
    for (int j = 1; j < thresholds.length; j++) {
      area += (falsePositiveRates[j] - falsePositiveRates[j - 1])
          * (truePositiveRates[j] + truePositiveRates[j - 1]) / 2;
    }
    return area;
  }

  /** A copy of the false positive rates, one per point. */
  public double[] falsePositiveRates() {
    return falsePositiveRates.clone();
  }

  /** A copy of the true positive rates (sensitivities), one per point. */
  public double[] truePositiveRates() {
    return truePositiveRates.clone();
  }

  /** A copy of the thresholds, one per point, the first +infinity. */
  public double[] thresholds() {
    return thresholds.clone();
  }

  /** JSON-friendly view: parallel lists {@code fpr}, {@code tpr}, {@code thresholds} (+infinity as null). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fpr", JsonValues.list(falsePositiveRates));
    m.put("tpr", JsonValues.list(truePositiveRates));
    m.put("thresholds", JsonValues.list(thresholds));
    return m;
  }
}
