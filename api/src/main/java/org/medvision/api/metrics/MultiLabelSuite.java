package org.medvision.api.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.Example;
import org.medvision.api.data.LabelField;
import org.medvision.api.pipeline.ExampleResult;
import org.medvision.api.pipeline.LabelProbabilities;
import org.medvision.api.pipeline.Prediction;

/**
 * Multi-label classification (e.g. the 14 findings of ChestX-ray14): the independent label probabilities of one output
 * ({@link LabelProbabilities}) against the multi-hot float {@code [K]} truth of one multi-label {@link LabelField},
 * with percentile-bootstrap intervals over examples.
 *
 * <p>Metric keys, all better when higher:
 * <ul>
 *   <li>{@code mean_auroc}: the mean of the per-label AUROCs over the labels whose truth has both classes (the
 *       headline of papers on ChestX-ray14, and the default selection). A label present in every example or in none
 *       has no AUROC; it is left out of the mean and named in the per-label table's note, never averaged in as NaN;
 *   <li>{@code micro_auroc}: AUROC of all (example, label) cells pooled;
 *   <li>{@code macro_ap}: mean average precision over the labels with a positive example;
 *   <li>{@code macro_f1}: mean F1 over the labels with a positive example, a label called present where its
 *       probability is at least the predictions' threshold ({@link LabelProbabilities#threshold()}, which every
 *       example must share);
 *   <li>{@code auroc_<label>}: each label's AUROC, the label's name in lower case with other characters than letters
 *       and digits as {@code _} (e.g. {@code auroc_pleural_thickening}); NaN for a one-class label.
 * </ul>
 * See {@link MultiLabelMetrics} and {@link LabelOperatingPoints} for the definitions and their relation to
 * scikit-learn. Intervals, when asked for, cover {@code mean_auroc} and every {@code auroc_<label>}, all from the same
 * resamples of examples; a resample in which a label of the mean has one class leaves the mean undefined there (the
 * same labels are averaged in every resample) and is counted in {@link ConfidenceInterval#undefinedResamples()}.
 *
 * <p>The result carries the per-label table (positives, prevalence, AUROC with its interval, AP, F1 at the threshold,
 * and the F1-maximising threshold with its F1, precision and recall) ending in the mean row, the co-occurrence table
 * of the truth, ROC curves of up to {@value #CURVES_PER_FIGURE} labels per figure, and as details a JSON-friendly map
 * of every number.
 */
public final class MultiLabelSuite implements MetricSuite {
  /** Labels drawn in one ROC figure, so that each curve stays readable. */
  public static final int CURVES_PER_FIGURE = 5;

  private static final String MEAN_AUROC = "mean_auroc";

  private final String output;
  private final String labelField;
  private final List<String> labels;
  private final List<String> labelKeys;
  private final List<boolean[]> truth = new ArrayList<>();
  private final List<float[]> probabilities = new ArrayList<>();
  private float threshold = Float.NaN;
  private String thresholdFrom;

  /**
   * A suite scoring output {@code output} against the multi-hot label field {@code labelField}.
   *
   * @param labels the label names, in output order
   * @throws IllegalArgumentException if there are no labels, or two labels give the same metric key
   */
  public MultiLabelSuite(String output, String labelField, List<String> labels) {
    this.output = output;
    this.labelField = labelField;
    this.labels = List.copyOf(labels);
    if (this.labels.isEmpty()) {
      throw new IllegalArgumentException("multi-label suite for output '" + output + "' needs labels");
    }
    Map<String, String> byKey = new HashMap<>();
    List<String> keys = new ArrayList<>();
    for (String label : this.labels) {
      String key = "auroc_" + label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
      String clash = byKey.put(key, label);
      if (clash != null || key.equals("auroc_")) {
        throw new IllegalArgumentException("multi-label suite: labels '" + clash + "' and '" + label + "' both give "
            + "metric key '" + key + "'; give labels that differ in their letters or digits");
      }
      keys.add(key);
    }
    this.labelKeys = List.copyOf(keys);
  }

  /**
   * A suite scoring output {@code output} against {@code field}, a multi-label field whose classes are the output's
   * labels.
   *
   * @throws IllegalArgumentException if the field is single-label
   */
  public MultiLabelSuite(String output, LabelField field) {
    this(output, field.name(), field.classes());
    if (!field.multiLabel()) {
      throw new IllegalArgumentException("label field '" + field.name() + "' is single-label; use "
          + "ClassificationSuite for it");
    }
  }

  @Override
  public String name() {
    return "multilabel";
  }

  /**
   * Adds one example.
   *
   * @throws MedvisionException if the output holds no label probabilities for the suite's labels, the truth is not K
   *     values of 0 or 1, a probability is NaN, or the threshold differs from earlier examples'
   */
  @Override
  public void add(Example truth, ExampleResult predicted) {
    Prediction p = predicted.predictions().get(output);
    if (!(p instanceof LabelProbabilities l)) {
      throw new MedvisionException("multi-label metrics need label probabilities in output '" + output + "' for "
          + truth.where() + ", got " + p);
    }
    if (!l.labels().equals(labels)) {
      throw new MedvisionException(truth.where() + ": output '" + output + "' has labels " + l.labels()
          + ", the suite scores " + labels);
    }
    float[] y = truth.tensor(labelField).toFloatArray();
    if (y.length != labels.size()) {
      throw new MedvisionException(truth.where() + ": label field '" + labelField + "' has " + y.length
          + " values; a multi-hot truth over " + labels.size() + " labels " + labels + " is expected");
    }
    boolean[] present = new boolean[y.length];
    float[] prob = l.probabilities();
    for (int k = 0; k < y.length; k++) {
      if (y[k] != 0 && y[k] != 1) {
        throw new MedvisionException(truth.where() + ": label field '" + labelField + "' holds " + y[k] + " for '"
            + labels.get(k) + "'; a multi-hot truth holds 0 or 1");
      }
      if (Float.isNaN(prob[k])) {
        throw new MedvisionException(truth.where() + ": output '" + output + "' gives probability NaN for '"
            + labels.get(k) + "'");
      }
      present[k] = y[k] == 1;
    }
    if (Float.isNaN(threshold)) {
      threshold = l.threshold();
      thresholdFrom = truth.where();
    } else if (Float.compare(threshold, l.threshold()) != 0) {
      throw new MedvisionException(truth.where() + ": output '" + output + "' has threshold " + l.threshold() + ", "
          + thresholdFrom + " had " + threshold + "; one evaluation scores one threshold");
    }
    this.truth.add(present);
    probabilities.add(prob);
  }

  @Override
  public Map<String, Direction> selectable() {
    Map<String, Direction> m = new LinkedHashMap<>();
    for (String key : List.of(MEAN_AUROC, "micro_auroc", "macro_ap", "macro_f1")) {
      m.put(key, Direction.HIGHER);
    }
    labelKeys.forEach(k -> m.put(k, Direction.HIGHER));
    return m;
  }

  /** {@code mean_auroc}. */
  @Override
  public String defaultSelection() {
    return MEAN_AUROC;
  }

  /** Mean and micro AUROC, macro AP and macro F1; the per-label values only in the result. */
  @Override
  public List<String> epochKeys() {
    return List.of(MEAN_AUROC, "micro_auroc", "macro_ap", "macro_f1");
  }

  @Override
  public MetricResult result(long bootstrapSeed, int bootstrapRounds) {
    if (truth.isEmpty()) {
      throw new MedvisionException("no examples were scored");
    }
    boolean[][] y = truth.toArray(new boolean[0][]);
    float[][] p = probabilities.toArray(new float[0][]);
    MultiLabelMetrics ranking = MultiLabelMetrics.compute(y, p, labels);
    List<LabelOperatingPoints> points = LabelOperatingPoints.compute(y, p, labels, threshold);
    LabelCooccurrence cooccurrence = LabelCooccurrence.of(y, labels);

    Map<String, Double> scalars = new LinkedHashMap<>();
    scalars.put(MEAN_AUROC, ranking.macroAuroc());
    scalars.put("micro_auroc", ranking.microAuroc());
    scalars.put("macro_ap", ranking.macroAveragePrecision());
    scalars.put("macro_f1", MultiLabelTables.meanF1(points, false));
    for (int k = 0; k < labels.size(); k++) {
      scalars.put(labelKeys.get(k), ranking.labels().get(k).auroc());
    }
    Map<String, ConfidenceInterval> intervals = bootstrapRounds > 0
        ? intervals(y, p, ranking, bootstrapSeed, bootstrapRounds) : Map.of();
    MultiLabelTables tables = new MultiLabelTables(labels, ranking, points, threshold);
    List<ReportTable> reportTables = List.of(tables.perLabel(labelKeys, intervals),
        tables.cooccurrence(cooccurrence));
    return new MetricResult(name(), scalars, labels(), intervals, reportTables, tables.rocFigures(y, p, name()),
        details(ranking, points, cooccurrence));
  }

  /** The intervals of the mean and per-label AUROCs from one run of resamples. */
  private Map<String, ConfidenceInterval> intervals(boolean[][] y, float[][] p, MultiLabelMetrics ranking, long seed,
      int rounds) {
    ResampledAuroc resampled = new ResampledAuroc(y, p, labels.size());
    List<Integer> averaged = new ArrayList<>();
    for (int k = 0; k < labels.size(); k++) {
      if (!Double.isNaN(ranking.labels().get(k).auroc())) {
        averaged.add(k);
      }
    }
    Map<String, ToDoubleFunction<double[]>> statistics = new LinkedHashMap<>();
    statistics.put(MEAN_AUROC, aucs -> {
      if (averaged.isEmpty()) {
        return Double.NaN;
      }
      double sum = 0;
      for (int k : averaged) {
        sum += aucs[k];
      }
      return sum / averaged.size();
    });
    for (int k = 0; k < labels.size(); k++) {
      int label = k;
      statistics.put(labelKeys.get(k), aucs -> aucs[label]);
    }
    return Bootstrap.confidenceIntervals(y.length, resampled::auroc, statistics, rounds, seed,
        Bootstrap.DEFAULT_LEVEL);
  }

  private Map<String, String> labels() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(MEAN_AUROC, "AUROC (mean over labels)");
    m.put("micro_auroc", "AUROC (micro, cells pooled)");
    m.put("macro_ap", "Average precision (mean over labels)");
    m.put("macro_f1", "F1 at p >= " + threshold + " (mean over labels)");
    for (int k = 0; k < labels.size(); k++) {
      m.put(labelKeys.get(k), "AUROC " + labels.get(k));
    }
    return m;
  }

  private Map<String, Object> details(MultiLabelMetrics ranking, List<LabelOperatingPoints> points,
      LabelCooccurrence cooccurrence) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("output", output);
    m.put("labelField", labelField);
    m.put("threshold", (double) threshold);
    m.putAll(ranking.toMap());
    Map<String, Object> operatingPoints = new LinkedHashMap<>();
    points.forEach(x -> operatingPoints.put(x.name(), x.toMap()));
    m.put("operatingPoints", operatingPoints);
    m.put("cooccurrence", cooccurrence.toMap());
    return m;
  }
}
