package org.medvision.train.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.medvision.api.metrics.ConfidenceInterval;
import org.medvision.train.eval.Comparison;
import org.medvision.train.eval.Evaluation;
import org.medvision.train.eval.SummaryMetric;

/**
 * The content of {@code metrics.json}.
 *
 * <p>Top-level keys: {@code format} ({@value #FORMAT}), {@code summary} (each {@link SummaryMetric} with its
 * estimate and 95% interval), {@code metrics} (everything of
 * {@link org.medvision.api.metrics.ClassificationMetrics#toMap()}: per-class scores, confusion matrix, calibration
 * bins, curves, definitions), {@code confidenceIntervals} (each interval in full: level, resamples, seed, method),
 * {@code comparison} (McNemar's test, only with a comparison) and {@code provenance}. Undefined numbers are null.
 */
public final class MetricsDocument {
  /** Value of the {@code format} key. */
  public static final String FORMAT = "medvision-metrics/1";

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls()
      .create();

  private MetricsDocument() {}

  /**
   * The document as nested maps.
   *
   * @param comparison McNemar's comparison with another prediction set, or null for none
   */
  public static Map<String, Object> toMap(Evaluation evaluation, Provenance provenance, Comparison comparison) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    Map<String, Object> summary = new LinkedHashMap<>();
    Map<String, Object> intervals = new LinkedHashMap<>();
    for (SummaryMetric metric : SummaryMetric.values()) {
      ConfidenceInterval ci = evaluation.interval(metric);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("value", finiteOrNull(metric.of(evaluation.metrics())));
      row.put("ci95", new Object[] {finiteOrNull(ci.lower()), finiteOrNull(ci.upper())});
      summary.put(metric.key(), row);
      intervals.put(metric.key(), ci.toMap());
    }
    m.put("summary", summary);
    m.put("metrics", evaluation.metrics().toMap());
    m.put("confidenceIntervals", intervals);
    if (comparison != null) {
      m.put("comparison", comparison.toMap());
    }
    m.put("provenance", provenance.toMap());
    return m;
  }

  /** The document as indented JSON text ending in a newline. */
  public static String toJson(Evaluation evaluation, Provenance provenance, Comparison comparison) {
    return GSON.toJson(toMap(evaluation, provenance, comparison)) + "\n";
  }

  private static Double finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
