package org.medvision.api.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Precision and recall of one score against a binary truth at every distinct score used as threshold ("positive
 * when score &gt;= threshold"), with average precision as its summary.
 *
 * <p>Points run from (recall 0, precision 1) at threshold +infinity, the conventional start, through decreasing
 * thresholds to recall 1. Precision is always defined there because each threshold admits at least one sample. The
 * curve is undefined, and has no points, when the truth holds no positive.
 */
public final class PrecisionRecallCurve {
  private final double[] recalls;
  private final double[] precisions;
  private final double[] thresholds;

  private PrecisionRecallCurve(double[] recalls, double[] precisions, double[] thresholds) {
    this.recalls = recalls;
    this.precisions = precisions;
    this.thresholds = thresholds;
  }

  /**
   * The precision-recall curve of {@code scores} (higher = more likely positive) against {@code positive}.
   *
   * @param scores one score per sample
   * @param positive whether each sample is positive; same length as {@code scores}
   */
  public static PrecisionRecallCurve of(double[] scores, boolean[] positive) {
    return of(ThresholdSweep.of(scores, positive));
  }

  static PrecisionRecallCurve of(ThresholdSweep sweep) {
    if (sweep.positives == 0) {
      return new PrecisionRecallCurve(new double[0], new double[0], new double[0]);
    }
    int n = sweep.size() + 1;
    double[] recall = new double[n];
    double[] precision = new double[n];
    double[] thr = new double[n];
    precision[0] = 1;
    thr[0] = Double.POSITIVE_INFINITY;
    for (int j = 0; j < sweep.size(); j++) {
      long tp = sweep.truePositives[j];
      recall[j + 1] = (double) tp / sweep.positives;
      precision[j + 1] = (double) tp / (tp + sweep.falsePositives[j]);
      thr[j + 1] = sweep.thresholds[j];
    }
    return new PrecisionRecallCurve(recall, precision, thr);
  }

  /** Whether the truth held a positive, so that recall is defined. */
  public boolean isDefined() {
    return thresholds.length > 0;
  }

  /**
   * Average precision: {@code sum_n (R_n - R_{n-1}) * P_n} over thresholds in decreasing order with R_0 = 0, the
   * step-wise area that scikit-learn's {@code average_precision_score} computes (no interpolation). NaN when
   * undefined; 1 when every sample is positive.
   */
  public double averagePrecision() {
    if (!isDefined()) {
      return Double.NaN;
    }
    double ap = 0;
    for (int j = 1; j < thresholds.length; j++) {
      ap += (recalls[j] - recalls[j - 1]) * precisions[j];
    }
    return ap;
  }

  /** A copy of the recalls, one per point. */
  public double[] recalls() {
    return recalls.clone();
  }

  /** A copy of the precisions, one per point. */
  public double[] precisions() {
    return precisions.clone();
  }

  /** A copy of the thresholds, one per point, the first +infinity. */
  public double[] thresholds() {
    return thresholds.clone();
  }

  /** JSON-friendly view: parallel lists {@code recall}, {@code precision}, {@code thresholds} (+infinity as null). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("recall", JsonValues.list(recalls));
    m.put("precision", JsonValues.list(precisions));
    m.put("thresholds", JsonValues.list(thresholds));
    return m;
  }
}
