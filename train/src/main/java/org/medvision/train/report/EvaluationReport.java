package org.medvision.train.report;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.medvision.api.metrics.ClassificationMetrics;
import org.medvision.api.metrics.ConfidenceInterval;
import org.medvision.api.metrics.MetricResult;
import org.medvision.api.metrics.ReportFigure;
import org.medvision.train.eval.Comparison;
import org.medvision.train.eval.Evaluation;
import org.medvision.train.eval.PredictionSet;
import org.medvision.train.eval.PredictionsFile;
import org.medvision.train.eval.SummaryMetric;

/**
 * An evaluation with its provenance (and optionally a comparison), written as a report directory:
 * {@value #METRICS} ({@link MetricsDocument}), {@value #PREDICTIONS} ({@link PredictionsFile}, for classification),
 * {@value #HTML} ({@link HtmlReport}) and the figures: for classification the plots {@value #ROC}, {@value #PR},
 * {@value #RELIABILITY} and {@value #CONFUSION}, and whatever curves and pictures the task's other metric suites make
 * (e.g. attention panels), which the page also embeds.
 *
 * @param entries the scored models: the one the report is about first (the ensemble, or the single model), then an
 *     ensemble's members
 * @param provenance where they come from
 * @param comparison McNemar's test against another prediction set, or null
 */
public record EvaluationReport(List<Entry> entries, Provenance provenance, Comparison comparison) {
  /** Metrics file name. */
  public static final String METRICS = "metrics.json";
  /** Per-example predictions file name. */
  public static final String PREDICTIONS = "predictions.json";
  /** Report page file name. */
  public static final String HTML = "report.html";
  /** ROC plot file name. */
  public static final String ROC = "roc.png";
  /** Precision-recall plot file name. */
  public static final String PR = "precision-recall.png";
  /** Reliability diagram file name. */
  public static final String RELIABILITY = "reliability.png";
  /** Confusion-matrix heat map file name. */
  public static final String CONFUSION = "confusion-matrix.png";

  /**
   * One scored model.
   *
   * @param name the model's name ({@code ensemble}, a member's run name, or the checkpoint's)
   * @param classification its classification view, or null when the task classifies nothing
   * @param metrics the results of its other metric suites
   */
  public record Entry(String name, Evaluation classification, List<MetricResult> metrics) {
    /** Copies the metrics. */
    public Entry {
      metrics = List.copyOf(metrics);
    }

    /** The entry of a scored model: its classification view, and every other suite's results. */
    public static Entry of(org.medvision.runtime.Evaluation.ScoredModel model) {
      List<MetricResult> others = new ArrayList<>();
      for (MetricResult r : model.metrics()) {
        if (!(r.details() instanceof ClassificationMetrics)) {
          others.add(r);
        }
      }
      return new Entry(model.name(), Evaluation.of(model).orElse(null), others);
    }

    /** Every metric result, classification included. */
    public List<MetricResult> allMetrics() {
      List<MetricResult> all = new ArrayList<>();
      if (classification != null) {
        Map<String, Double> scalars = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, ConfidenceInterval> intervals = new LinkedHashMap<>();
        for (SummaryMetric m : classification.summaryMetrics()) {
          scalars.put(m.suiteKey(), m.of(classification.metrics()));
          labels.put(m.suiteKey(), m.label(classification.classes()));
          if (classification.interval(m) != null) {
            intervals.put(m.suiteKey(), classification.interval(m));
          }
        }
        all.add(new MetricResult("classification", scalars, labels, intervals, List.of(), List.of(),
            classification.metrics()));
      }
      all.addAll(metrics);
      return all;
    }
  }

  /** Requires the entries and provenance; the comparison may be null. */
  public EvaluationReport {
    entries = List.copyOf(entries);
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("a report needs at least one scored model");
    }
    Objects.requireNonNull(provenance, "provenance");
  }

  /** The report of one classifier's evaluation. */
  public EvaluationReport(Evaluation evaluation, Provenance provenance, Comparison comparison) {
    this(List.of(new Entry(provenance.weights(), evaluation, List.of())), provenance, comparison);
  }

  /** The report of a runtime evaluation. */
  public static EvaluationReport of(org.medvision.runtime.Evaluation.Result result, Provenance provenance,
      Comparison comparison) {
    List<Entry> entries = new ArrayList<>();
    result.models().forEach(m -> entries.add(Entry.of(m)));
    return new EvaluationReport(entries, provenance, comparison);
  }

  /** The model the report is about. */
  public Entry primary() {
    return entries.get(0);
  }

  /** The primary model's class predictions as a set named after its weights, or null without classification. */
  public PredictionSet predictionSet() {
    Evaluation e = primary().classification();
    return e == null ? null : new PredictionSet(provenance.weights(), e.classes(), e.predictions(),
        provenance.modelMap());
  }

  /** The figures, file name to PNG bytes, in report order. */
  public Map<String, byte[]> plots() {
    Map<String, byte[]> plots = new LinkedHashMap<>();
    Evaluation e = primary().classification();
    if (e != null) {
      ClassificationMetrics m = e.metrics();
      plots.put(ROC, Charts.roc(m));
      plots.put(PR, Charts.precisionRecall(m));
      plots.put(RELIABILITY, Charts.reliability(m));
      plots.put(CONFUSION, Charts.confusionMatrix(m));
    }
    for (MetricResult r : primary().metrics()) {
      for (ReportFigure f : r.figures()) {
        plots.put(f.file(), Charts.figure(f));
      }
    }
    return plots;
  }

  /**
   * Writes every file into {@code dir} atomically (see {@link ReportDirectory}).
   *
   * @param force whether a non-empty existing directory may be replaced
   * @return the written files
   * @throws org.medvision.api.MedvisionException if the directory exists and is not empty without {@code force}, or
   *     writing fails
   */
  public List<Path> write(Path dir, boolean force) {
    Map<String, byte[]> plots = plots();
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(HTML, HtmlReport.render(this, plots).getBytes(StandardCharsets.UTF_8));
    files.put(METRICS, MetricsDocument.toJson(this).getBytes(StandardCharsets.UTF_8));
    PredictionSet predictions = predictionSet();
    if (predictions != null) {
      files.put(PREDICTIONS, PredictionsFile.toJson(predictions).getBytes(StandardCharsets.UTF_8));
    }
    files.putAll(plots);
    return ReportDirectory.write(dir, files, force);
  }
}
