package org.medvision.api.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bootstrap percentile confidence interval and what is needed to reproduce it.
 *
 * @param estimate the metric on the original samples
 * @param lower lower percentile of the resampled values; NaN when no resample gave a defined value
 * @param upper upper percentile of the resampled values; NaN when no resample gave a defined value
 * @param level coverage, e.g. 0.95
 * @param resamples number of bootstrap resamples drawn
 * @param undefinedResamples resamples on which the metric was NaN (e.g. AUROC of a resample lacking a class); they
 *     are left out of the percentiles
 * @param seed seed of the {@link java.util.SplittableRandom} that drew the resamples
 */
public record ConfidenceInterval(double estimate, double lower, double upper, double level, int resamples,
    int undefinedResamples, long seed) {

  /** Whether {@code value} lies in {@code [lower, upper]}. */
  public boolean contains(double value) {
    return value >= lower && value <= upper;
  }

  /** JSON-friendly view of the components plus {@code method}; NaN as null. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("estimate", JsonValues.number(estimate));
    m.put("lower", JsonValues.number(lower));
    m.put("upper", JsonValues.number(upper));
    m.put("level", level);
    m.put("resamples", resamples);
    m.put("undefinedResamples", undefinedResamples);
    m.put("seed", seed);
    m.put("method", "percentile bootstrap, samples drawn with replacement, linear interpolation between order"
        + " statistics");
    return m;
  }
}
