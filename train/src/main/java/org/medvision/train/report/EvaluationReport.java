package org.medvision.train.report;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.medvision.api.metrics.ClassificationMetrics;
import org.medvision.train.eval.Comparison;
import org.medvision.train.eval.Evaluation;
import org.medvision.train.eval.PredictionSet;
import org.medvision.train.eval.PredictionsFile;

/**
 * An evaluation with its provenance (and optionally a comparison), written as a report directory:
 * {@value #METRICS} ({@link MetricsDocument}), {@value #PREDICTIONS} ({@link PredictionsFile}), {@value #HTML}
 * ({@link HtmlReport}) and the plots {@value #ROC}, {@value #PR}, {@value #RELIABILITY} and {@value #CONFUSION}
 * ({@link Charts}), which the page also embeds.
 *
 * @param evaluation the scored predictions
 * @param provenance where they come from
 * @param comparison McNemar's test against another prediction set, or null
 */
public record EvaluationReport(Evaluation evaluation, Provenance provenance, Comparison comparison) {
  /** Metrics file name. */
  public static final String METRICS = "metrics.json";
  /** Per-image predictions file name. */
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

  /** Requires the evaluation and provenance; the comparison may be null. */
  public EvaluationReport {
    Objects.requireNonNull(evaluation, "evaluation");
    Objects.requireNonNull(provenance, "provenance");
  }

  /** The predictions as a set named after their weights, ready for {@link PredictionsFile}. */
  public PredictionSet predictionSet() {
    return new PredictionSet(provenance.weights(), evaluation.classes(), evaluation.predictions(),
        provenance.modelMap());
  }

  /** The plots, file name to PNG bytes, in report order. */
  public Map<String, byte[]> plots() {
    ClassificationMetrics m = evaluation.metrics();
    Map<String, byte[]> plots = new LinkedHashMap<>();
    plots.put(ROC, Charts.roc(m));
    plots.put(PR, Charts.precisionRecall(m));
    plots.put(RELIABILITY, Charts.reliability(m));
    plots.put(CONFUSION, Charts.confusionMatrix(m));
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
    files.put(HTML, HtmlReport.render(evaluation, provenance, comparison, plots).getBytes(StandardCharsets.UTF_8));
    files.put(METRICS, MetricsDocument.toJson(evaluation, provenance, comparison).getBytes(StandardCharsets.UTF_8));
    files.put(PREDICTIONS, PredictionsFile.toJson(predictionSet()).getBytes(StandardCharsets.UTF_8));
    files.putAll(plots);
    return ReportDirectory.write(dir, files, force);
  }
}
