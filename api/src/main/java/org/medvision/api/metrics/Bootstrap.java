package org.medvision.api.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.medvision.api.MedvisionException;

/**
 * Percentile bootstrap confidence intervals of classification metrics.
 *
 * <p>Each of R resamples draws N sample indices uniformly with replacement from one {@link SplittableRandom} seeded
 * with the given seed, in order, so the same inputs, seed and R give the same interval. The metric is evaluated on
 * every resample; resamples where it is NaN are counted and left out. With the m defined values sorted, the bound
 * at probability q is the order statistic at position {@code h = (m - 1) q}, interpolated linearly between its
 * neighbours (the default of numpy's {@code percentile}); the interval is {@code [q = (1 - level)/2,
 * q = (1 + level)/2]}.
 */
public final class Bootstrap {
  private Bootstrap() {
  }

  /**
   * The interval of one statistic of {@link ClassificationMetrics}, e.g. {@code ClassificationMetrics::accuracy}.
   *
   * @param labels true class of each sample, as for {@link ClassificationMetrics#compute}
   * @param probabilities class probabilities of each sample, as for {@link ClassificationMetrics#compute}
   * @param classNames the class names, as for {@link ClassificationMetrics#compute}
   * @param metric picks the statistic from each resample's metrics; NaN marks it undefined there
   * @param resamples number of bootstrap resamples R, at least 1 (1000 or more for a reported interval)
   * @param seed seed of the generator that draws the resamples; recorded in the result
   * @param level coverage in (0, 1), e.g. 0.95
   * @throws MedvisionException if the predictions are invalid, {@code resamples < 1} or {@code level} is not in
   *     (0, 1)
   */
  public static ConfidenceInterval confidenceInterval(int[] labels, float[][] probabilities, List<String> classNames,
      ToDoubleFunction<ClassificationMetrics> metric, int resamples, long seed, double level) {
    return confidenceIntervals(labels, probabilities, classNames, Map.of("metric", metric), resamples, seed, level)
        .get("metric");
  }

  /**
   * Intervals of several statistics from the same resamples, computing {@link ClassificationMetrics} once per
   * resample.
   *
   * @param labels true class of each sample, as for {@link ClassificationMetrics#compute}
   * @param probabilities class probabilities of each sample, as for {@link ClassificationMetrics#compute}
   * @param classNames the class names, as for {@link ClassificationMetrics#compute}
   * @param metrics statistic name to extractor; the result keeps this map's iteration order
   * @param resamples number of bootstrap resamples R, at least 1 (1000 or more for a reported interval)
   * @param seed seed of the generator that draws the resamples; recorded in the result
   * @param level coverage in (0, 1), e.g. 0.95
   * @throws MedvisionException if the predictions are invalid, {@code resamples < 1} or {@code level} is not in
   *     (0, 1)
   */
  public static Map<String, ConfidenceInterval> confidenceIntervals(int[] labels, float[][] probabilities,
      List<String> classNames, Map<String, ToDoubleFunction<ClassificationMetrics>> metrics, int resamples,
      long seed, double level) {
    Predictions predictions = Predictions.of(labels, probabilities, classNames);
    List<String> names = new ArrayList<>(metrics.keySet());
    Function<int[], double[]> evaluate = indices -> {
      ClassificationMetrics m = ClassificationMetrics.compute(predictions.select(indices));
      double[] values = new double[names.size()];
      for (int j = 0; j < values.length; j++) {
        values[j] = metrics.get(names.get(j)).applyAsDouble(m);
      }
      return values;
    };
    ConfidenceInterval[] intervals = run(predictions.size(), names.size(), evaluate, resamples, seed, level);
    Map<String, ConfidenceInterval> out = new LinkedHashMap<>();
    for (int j = 0; j < intervals.length; j++) {
      out.put(names.get(j), intervals[j]);
    }
    return out;
  }

  /**
   * The interval of a metric of raw labels and probabilities. The inputs are not validated beyond their lengths:
   * the metric sees resampled copies of exactly what was passed.
   *
   * @param labels true class of each sample
   * @param probabilities probability row of each sample
   * @param metric evaluated on the original samples and on each resample; NaN marks it undefined there
   * @param resamples number of bootstrap resamples R, at least 1 (1000 or more for a reported interval)
   * @param seed seed of the generator that draws the resamples; recorded in the result
   * @param level coverage in (0, 1), e.g. 0.95
   * @throws MedvisionException if there are no samples, the arrays differ in length, {@code resamples < 1} or
   *     {@code level} is not in (0, 1)
   */
  public static ConfidenceInterval confidenceInterval(int[] labels, float[][] probabilities, SampleMetric metric,
      int resamples, long seed, double level) {
    if (labels.length != probabilities.length || labels.length == 0) {
      throw new MedvisionException("bootstrap: need the same non-zero number of labels and probability rows, got "
          + labels.length + " and " + probabilities.length);
    }
    Function<int[], double[]> evaluate = indices -> {
      int[] l = new int[indices.length];
      float[][] p = new float[indices.length][];
      for (int j = 0; j < indices.length; j++) {
        l[j] = labels[indices[j]];
        p[j] = probabilities[indices[j]].clone();
      }
      return new double[] {metric.evaluate(l, p)};
    };
    return run(labels.length, 1, evaluate, resamples, seed, level)[0];
  }

  private static ConfidenceInterval[] run(int n, int metricCount, Function<int[], double[]> evaluate,
      int resamples, long seed, double level) {
    if (resamples < 1) {
      throw new MedvisionException("bootstrap: resamples must be at least 1, got " + resamples);
    }
    if (!(level > 0 && level < 1)) {
      throw new MedvisionException("bootstrap: confidence level must lie strictly between 0 and 1, got " + level);
    }
    int[] identity = new int[n];
    Arrays.setAll(identity, i -> i);
    double[] estimates = evaluate.apply(identity);
    double[][] values = new double[metricCount][resamples];
    SplittableRandom random = new SplittableRandom(seed);
    int[] indices = new int[n];
    for (int r = 0; r < resamples; r++) {
      for (int i = 0; i < n; i++) {
        indices[i] = random.nextInt(n);
      }
      double[] v = evaluate.apply(indices);
      for (int j = 0; j < metricCount; j++) {
        values[j][r] = v[j];
      }
    }
    ConfidenceInterval[] out = new ConfidenceInterval[metricCount];
    for (int j = 0; j < metricCount; j++) {
      double[] defined = Arrays.stream(values[j]).filter(x -> !Double.isNaN(x)).sorted().toArray();
      double lower = percentile(defined, (1 - level) / 2);
      double upper = percentile(defined, (1 + level) / 2);
      out[j] = new ConfidenceInterval(estimates[j], lower, upper, level, resamples, resamples - defined.length, seed);
    }
    return out;
  }

  /** The q-quantile of ascending {@code sorted} by linear interpolation at position (m - 1) q; NaN when empty. */
  static double percentile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
