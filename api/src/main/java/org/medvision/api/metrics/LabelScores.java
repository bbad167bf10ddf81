package org.medvision.api.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ranking scores of one label of a multi-label problem, computed on that label's probability column against its
 * 0/1 truth column.
 *
 * @param name label name
 * @param positives samples where the label is present
 * @param negatives samples where the label is absent
 * @param auroc area under the ROC curve ({@link RankAuc}, ties count 1/2); NaN when the label is present in every
 *     sample or in none
 * @param averagePrecision {@link PrecisionRecallCurve#averagePrecision()}; NaN when the label is present in no
 *     sample, 1 when it is present in every sample
 */
public record LabelScores(String name, long positives, long negatives, double auroc, double averagePrecision) {

  /** JSON-friendly view of every component; NaN as null. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("positives", positives);
    m.put("negatives", negatives);
    m.put("auroc", JsonValues.number(auroc));
    m.put("averagePrecision", JsonValues.number(averagePrecision));
    return m;
  }
}
