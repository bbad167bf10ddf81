package org.medvision.api.metrics;

/** A metric of raw predictions, for bootstrapping a statistic that {@link ClassificationMetrics} does not carry. */
@FunctionalInterface
public interface SampleMetric {
  /**
   * Evaluates the metric on one (re)sample.
   *
   * @param labels true class of each sample
   * @param probabilities class probabilities of each sample, rows parallel to {@code labels}
   * @return the metric's value, NaN when it is undefined on this sample
   */
  double evaluate(int[] labels, float[][] probabilities);
}
