package org.medvision.train.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.metrics.ConfidenceInterval;
import org.medvision.api.metrics.MetricResult;
import org.medvision.api.metrics.ReportFigure;
import org.medvision.api.metrics.ReportTable;
import org.medvision.train.eval.Evaluation;
import org.medvision.train.eval.SummaryMetric;

/**
 * The content of {@code metrics.json}.
 *
 * <p>Top-level keys: {@code format} ({@value #FORMAT}), {@code summary} (each {@link SummaryMetric} with its
 * estimate and 95% interval), {@code metrics} (everything of
 * {@link org.medvision.api.metrics.ClassificationMetrics#toMap()}: per-class scores, confusion matrix, calibration
 * bins, curves, definitions), {@code confidenceIntervals} (each interval in full: level, resamples, seed, method),
 * {@code suites} (the task's other metric suites, see {@link #toMap}), {@code comparison} (McNemar's test, only with a
 * comparison) and {@code provenance}. Undefined numbers are null.
 */
public final class MetricsDocument {
  /** Value of the {@code format} key. */
  public static final String FORMAT = "medvision-metrics/1";

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls()
      .create();

  private MetricsDocument() {}

  /**
   * The document as nested maps: the primary model's classification keys (when it classifies) as before, then
   * {@code suites} (every other metric suite: scalars with intervals, tables with their notes, the names and titles
   * of its figures, and its details when they are a map) and, for an ensemble, {@code models} (each model's
   * metrics).
   */
  public static Map<String, Object> toMap(EvaluationReport report) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    EvaluationReport.Entry primary = report.primary();
    Evaluation evaluation = primary.classification();
    if (evaluation != null) {
      Map<String, Object> summary = new LinkedHashMap<>();
      Map<String, Object> intervals = new LinkedHashMap<>();
      for (SummaryMetric metric : evaluation.summaryMetrics()) {
        ConfidenceInterval ci = evaluation.interval(metric);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("value", finiteOrNull(metric.of(evaluation.metrics())));
        row.put("ci95", ci == null ? null : new Object[] {finiteOrNull(ci.lower()), finiteOrNull(ci.upper())});
        summary.put(metric.key(), row);
        if (ci != null) {
          intervals.put(metric.key(), ci.toMap());
        }
      }
      m.put("summary", summary);
      m.put("metrics", evaluation.metrics().toMap());
      m.put("confidenceIntervals", intervals);
    }
    Map<String, Object> suites = new LinkedHashMap<>();
    for (MetricResult r : primary.metrics()) {
      suites.put(r.suite(), suite(r));
    }
    if (!suites.isEmpty()) {
      m.put("suites", suites);
    }
    if (report.entries().size() > 1) {
      List<Object> models = new ArrayList<>();
      for (EvaluationReport.Entry e : report.entries()) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", e.name());
        Map<String, Object> results = new LinkedHashMap<>();
        for (MetricResult r : e.allMetrics()) {
          results.put(r.suite(), suite(r));
        }
        entry.put("suites", results);
        models.add(entry);
      }
      m.put("models", models);
    }
    if (report.comparison() != null) {
      m.put("comparison", report.comparison().toMap());
    }
    m.put("provenance", report.provenance().toMap());
    return m;
  }

  private static Map<String, Object> suite(MetricResult r) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : r.scalars().entrySet()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("value", finiteOrNull(e.getValue()));
      ConfidenceInterval ci = r.intervals().get(e.getKey());
      if (ci != null) {
        row.put("ci95", new Object[] {finiteOrNull(ci.lower()), finiteOrNull(ci.upper())});
        row.put("interval", ci.toMap());
      }
      out.put(e.getKey(), row);
    }
    for (ReportTable t : r.tables()) {
      Map<String, Object> table = new LinkedHashMap<>();
      table.put("header", t.header());
      table.put("rows", t.rows());
      if (!t.note().isEmpty()) {
        table.put("note", t.note());
      }
      out.put("table " + t.title(), table);
    }
    if (!r.figures().isEmpty()) {
      List<Object> figures = new ArrayList<>();
      for (ReportFigure f : r.figures()) {
        figures.add(Map.of("file", f.file(), "title", f.title()));
      }
      out.put("figures", figures);
    }
    // A suite's own details are written when they are already JSON-shaped (a map of numbers, strings, lists, maps);
    // typed details such as ClassificationMetrics have their own keys above.
    if (r.details() instanceof Map<?, ?> details) {
      out.put("details", finite(details));
    }
    return out;
  }

  /** {@code value} with every non-finite number replaced by null, which JSON can hold. */
  private static Object finite(Object value) {
    if (value instanceof Double d) {
      return finiteOrNull(d);
    }
    if (value instanceof Float f) {
      return finiteOrNull(f);
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), finite(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(finite(v)));
      return out;
    }
    return value;
  }

  /** The document as indented JSON text ending in a newline. */
  public static String toJson(EvaluationReport report) {
    return GSON.toJson(toMap(report)) + "\n";
  }

  private static Double finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
