package org.medvision.api.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One confidence bin of a reliability diagram: the samples whose top-class confidence lies in
 * {@code (lower, upper]}.
 *
 * @param lower exclusive lower edge (the first bin also takes confidence exactly 0)
 * @param upper inclusive upper edge
 * @param count samples in the bin
 * @param meanConfidence mean top-class confidence of those samples; NaN when the bin is empty
 * @param accuracy fraction of those samples whose predicted class is the true class; NaN when the bin is empty
 */
public record ReliabilityBin(double lower, double upper, long count, double meanConfidence, double accuracy) {
  /** The bin's weighted contribution to the ECE: {@code count / total * |accuracy - meanConfidence|}. */
  public double calibrationGap(long total) {
    return count == 0 ? 0 : (double) count / total * Math.abs(accuracy - meanConfidence);
  }

  /** JSON-friendly view with keys {@code lower, upper, count, meanConfidence, accuracy}; NaN as null. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lower", lower);
    m.put("upper", upper);
    m.put("count", count);
    m.put("meanConfidence", JsonValues.number(meanConfidence));
    m.put("accuracy", JsonValues.number(accuracy));
    return m;
  }
}
