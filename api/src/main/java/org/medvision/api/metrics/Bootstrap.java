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
 * Percentile bootstrap confidence intervals of classification metrics, and of any statistic of a set of examples.
 *
 * <p>Each of R resamples draws N sample indices uniformly with replacement from one {@link SplittableRandom} seeded
 * with the given seed, in order, so the same inputs, seed and R give the same interval. The metric is evaluated on
 * every resample; resamples where it is NaN are counted and left out. With the m defined values sorted, the bound
 * at probability q is the order statistic at position {@code h = (m - 1) q}, interpolated linearly between its
 * neighbours (the default of numpy's {@code percentile}); the interval is {@code [q = (1 - level)/2,
 * q = (1 + level)/2]}.
 *
 * <p>The generic methods ({@link #confidenceInterval(int, ToDoubleFunction, int, long, double)} and the
 * {@code grouped} ones) hand the statistic only an array of example indices, so any metric that can be computed on
 * a subset of examples (rank AUC, Dice over patients, lesion recall) can be bootstrapped the same way. The grouped
 * methods draw whole groups (patients) with replacement and keep each group's examples together, which is the
 * resampling unit to use when a patient contributes several examples.
 */
public final class Bootstrap {
  /** Coverage used by the overloads that take no level. */
  public static final double DEFAULT_LEVEL = 0.95;

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

  /**
   * The 95% interval of any statistic of N examples; see
   * {@link #confidenceInterval(int, ToDoubleFunction, int, long, double)}.
   */
  public static ConfidenceInterval confidenceInterval(int examples, ToDoubleFunction<int[]> statistic,
      int resamples, long seed) {
    return confidenceInterval(examples, statistic, resamples, seed, DEFAULT_LEVEL);
  }

  /**
   * The interval of any statistic of N examples, resampling examples.
   *
   * <p>The estimate is the statistic of the indices {@code 0..N-1} in order; resample r hands it N indices drawn
   * with replacement, in draw order, from the same generator sequence as the classification methods, so a
   * statistic that recomputes accuracy from the indices reproduces {@link #confidenceInterval(int[], float[][],
   * List, ToDoubleFunction, int, long, double)} exactly. Each call gets a fresh array, which the statistic may keep.
   *
   * @param examples number of examples N, at least 1
   * @param statistic the statistic of the examples at the given indices (repeats allowed); NaN marks it undefined
   *     on that resample (e.g. an AUC whose resample holds one class), and such resamples are counted in
   *     {@link ConfidenceInterval#undefinedResamples()} and left out of the percentiles
   * @param resamples number of bootstrap resamples R, at least 1 (1000 or more for a reported interval)
   * @param seed seed of the generator that draws the resamples; recorded in the result
   * @param level coverage in (0, 1), e.g. 0.95
   * @throws MedvisionException if {@code examples < 1}, {@code resamples < 1} or {@code level} is not in (0, 1)
   */
  public static ConfidenceInterval confidenceInterval(int examples, ToDoubleFunction<int[]> statistic,
      int resamples, long seed, double level) {
    return confidenceIntervals(examples, indices -> indices, Map.of("statistic", statistic), resamples, seed, level)
        .get("statistic");
  }

  /**
   * Intervals of several statistics of N examples from the same resamples, running {@code evaluate} once per
   * resample and reading every statistic off its result (e.g. a {@link BinaryMetrics} and its accuracy,
   * sensitivity and AUC).
   *
   * @param examples number of examples N, at least 1
   * @param evaluate computes the shared result from the example indices, as the statistic of
   *     {@link #confidenceInterval(int, ToDoubleFunction, int, long, double)} would
   * @param statistics statistic name to extractor; NaN marks a statistic undefined on that resample; the result
   *     keeps this map's iteration order
   * @param resamples number of bootstrap resamples R, at least 1
   * @param seed seed of the generator that draws the resamples; recorded in the result
   * @param level coverage in (0, 1), e.g. 0.95
   * @param <T> the type of the shared result
   * @throws MedvisionException if {@code examples < 1}, {@code resamples < 1} or {@code level} is not in (0, 1)
   */
  public static <T> Map<String, ConfidenceInterval> confidenceIntervals(int examples, Function<int[], T> evaluate,
      Map<String, ? extends ToDoubleFunction<? super T>> statistics, int resamples, long seed, double level) {
    if (examples < 1) {
      throw new MedvisionException("bootstrap: need at least one example, got " + examples);
    }
    return named(examples, examplesWithReplacement(examples), evaluate, statistics, resamples, seed, level);
  }

  /**
   * The 95% interval of a statistic with whole groups resampled; see
   * {@link #groupedConfidenceInterval(int[], ToDoubleFunction, int, long, double)}.
   */
  public static ConfidenceInterval groupedConfidenceInterval(int[] groups, ToDoubleFunction<int[]> statistic,
      int resamples, long seed) {
    return groupedConfidenceInterval(groups, statistic, resamples, seed, DEFAULT_LEVEL);
  }

  /**
   * The interval of a statistic of N examples when examples come in groups (e.g. slices or lesions of one patient)
   * and the group, not the example, is the independent unit.
   *
   * <p>The G distinct group ids are numbered in order of first appearance. Resample r draws G group numbers with
   * replacement and hands the statistic the concatenation of the drawn groups' example indices (each group's
   * examples in their original order, groups in draw order), so a resample usually holds a different number of
   * examples than N. The estimate is the statistic of {@code 0..N-1}. Resamples where the statistic is NaN are
   * counted in {@link ConfidenceInterval#undefinedResamples()} and left out of the percentiles.
   *
   * @param groups group id of each example (any ints, not necessarily contiguous); its length is N, at least 1
   * @param statistic the statistic of the examples at the given indices; NaN marks it undefined on that resample
   * @param resamples number of bootstrap resamples R, at least 1
   * @param seed seed of the generator that draws the resamples; recorded in the result
   * @param level coverage in (0, 1), e.g. 0.95
   * @throws MedvisionException if {@code groups} is empty, {@code resamples < 1} or {@code level} is not in (0, 1)
   */
  public static ConfidenceInterval groupedConfidenceInterval(int[] groups, ToDoubleFunction<int[]> statistic,
      int resamples, long seed, double level) {
    return groupedConfidenceIntervals(groups, indices -> indices, Map.of("statistic", statistic), resamples, seed,
        level).get("statistic");
  }

  /**
   * Intervals of several statistics from the same grouped resamples, running {@code evaluate} once per resample;
   * the resampling is that of {@link #groupedConfidenceInterval(int[], ToDoubleFunction, int, long, double)}.
   *
   * @param groups group id of each example; its length is N, at least 1
   * @param evaluate computes the shared result from the example indices
   * @param statistics statistic name to extractor; NaN marks a statistic undefined on that resample; the result
   *     keeps this map's iteration order
   * @param resamples number of bootstrap resamples R, at least 1
   * @param seed seed of the generator that draws the resamples; recorded in the result
   * @param level coverage in (0, 1), e.g. 0.95
   * @param <T> the type of the shared result
   * @throws MedvisionException if {@code groups} is empty, {@code resamples < 1} or {@code level} is not in (0, 1)
   */
  public static <T> Map<String, ConfidenceInterval> groupedConfidenceIntervals(int[] groups,
      Function<int[], T> evaluate, Map<String, ? extends ToDoubleFunction<? super T>> statistics, int resamples,
      long seed, double level) {
    if (groups.length == 0) {
      throw new MedvisionException("bootstrap: need at least one example with a group, got none");
    }
    int[][] members = membersByGroup(groups);
    Resampler resampler = random -> {
      int[][] drawn = new int[members.length][];
      int size = 0;
      for (int g = 0; g < members.length; g++) {
        drawn[g] = members[random.nextInt(members.length)];
        size += drawn[g].length;
      }
      int[] indices = new int[size];
      int at = 0;
      for (int[] group : drawn) {
        System.arraycopy(group, 0, indices, at, group.length);
        at += group.length;
      }
      return indices;
    };
    return named(groups.length, resampler, evaluate, statistics, resamples, seed, level);
  }

  /** The example indices of each distinct group id, groups in order of first appearance. */
  private static int[][] membersByGroup(int[] groups) {
    Map<Integer, List<Integer>> byId = new LinkedHashMap<>();
    for (int i = 0; i < groups.length; i++) {
      byId.computeIfAbsent(groups[i], g -> new ArrayList<>()).add(i);
    }
    int[][] members = new int[byId.size()][];
    int g = 0;
    for (List<Integer> list : byId.values()) {
      members[g++] = list.stream().mapToInt(Integer::intValue).toArray();
    }
    return members;
  }

  private static <T> Map<String, ConfidenceInterval> named(int n, Resampler resampler, Function<int[], T> evaluate,
      Map<String, ? extends ToDoubleFunction<? super T>> statistics, int resamples, long seed, double level) {
    List<String> names = new ArrayList<>(statistics.keySet());
    List<ToDoubleFunction<? super T>> extractors = new ArrayList<>();
    for (String name : names) {
      extractors.add(statistics.get(name));
    }
    Function<int[], double[]> values = indices -> {
      T result = evaluate.apply(indices);
      double[] v = new double[extractors.size()];
      for (int j = 0; j < v.length; j++) {
        v[j] = extractors.get(j).applyAsDouble(result);
      }
      return v;
    };
    ConfidenceInterval[] intervals = run(n, resampler, names.size(), values, resamples, seed, level);
    Map<String, ConfidenceInterval> out = new LinkedHashMap<>();
    for (int j = 0; j < intervals.length; j++) {
      out.put(names.get(j), intervals[j]);
    }
    return out;
  }

  /** Draws the example indices of one resample from the shared generator. */
  @FunctionalInterface
  private interface Resampler {
    int[] draw(SplittableRandom random);
  }

  /** N indices drawn uniformly with replacement, in draw order, into a fresh array. */
  private static Resampler examplesWithReplacement(int n) {
    return random -> {
      int[] indices = new int[n];
      for (int i = 0; i < n; i++) {
        indices[i] = random.nextInt(n);
      }
      return indices;
    };
  }

  private static ConfidenceInterval[] run(int n, int metricCount, Function<int[], double[]> evaluate,
      int resamples, long seed, double level) {
    return run(n, examplesWithReplacement(n), metricCount, evaluate, resamples, seed, level);
  }

  private static ConfidenceInterval[] run(int n, Resampler resampler, int metricCount,
      Function<int[], double[]> evaluate, int resamples, long seed, double level) {
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
    for (int r = 0; r < resamples; r++) {
      double[] v = evaluate.apply(resampler.draw(random));
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
