package org.medvision.train.report;

import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.metrics.ClassScores;
import org.medvision.api.metrics.ClassificationMetrics;
import org.medvision.api.metrics.ConfidenceInterval;
import org.medvision.api.metrics.ConfusionMatrix;
import org.medvision.api.metrics.McNemar;
import org.medvision.api.metrics.MetricResult;
import org.medvision.api.metrics.ReportFigure;
import org.medvision.api.metrics.ReportTable;
import org.medvision.train.eval.Comparison;
import org.medvision.train.eval.Evaluation;
import org.medvision.train.eval.SummaryMetric;

/**
 * Renders {@code report.html}: one self-contained page (inline CSS, plots embedded as base64 PNG data URIs, no
 * script, nothing fetched) with the summary table and its confidence intervals, per-class scores, the confusion
 * matrix, the plots, McNemar's test when there is a comparison, provenance and the metric definitions. All text
 * that comes from outside this class (class names, paths, configuration) is HTML-escaped.
 */
public final class HtmlReport {
  private static final String CSS = String.join("\n",
      "body{font-family:system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:2em auto;"
          + "max-width:1100px;color:#222;padding:0 1em}",
      "h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:1.8em;border-bottom:1px solid #ccc}",
      "table{border-collapse:collapse;margin:.6em 0}th,td{border:1px solid #ccc;padding:.3em .7em}",
      "th{background:#f2f4f7;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}",
      ".muted{color:#666;font-size:.9em}.plots{display:flex;flex-wrap:wrap;gap:1em}",
      ".plots figure{margin:0}.plots img{width:520px;max-width:100%;border:1px solid #ddd}",
      "code{background:#f5f5f5;padding:0 .25em}");

  private HtmlReport() {}

  /**
   * The page.
   *
   * @param plots plot file name (e.g. {@code roc.png}) to PNG bytes, in display order; each is embedded
   */
  public static String render(EvaluationReport report, Map<String, byte[]> plots) {
    EvaluationReport.Entry primary = report.primary();
    Provenance provenance = report.provenance();
    StringBuilder h = new StringBuilder(64 * 1024);
    String title = "Evaluation of " + provenance.task() + " " + configSummary(provenance)
        + (report.entries().size() > 1 ? " (ensemble of " + (report.entries().size() - 1) + ")" : "") + " on the "
        + provenance.split() + " split";
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(Html.escape(title)).append("</title>\n<style>\n").append(CSS).append("\n</style>\n</head>\n<body>\n");
    h.append("<h1>").append(Html.escape(title)).append("</h1>\n");
    Evaluation evaluation = primary.classification();
    h.append("<p class=\"muted\">");
    if (evaluation != null) {
      h.append(evaluation.metrics().samples()).append(" examples, classes ")
          .append(Html.escape(String.join(", ", evaluation.metrics().classNames()))).append("; ");
    }
    h.append("engine ").append(Html.escape(provenance.engine() + " (" + provenance.engineVersion() + ")"))
        .append(" on ").append(Html.escape(provenance.device())).append("; ").append(Html.escape(provenance.date()))
        .append("</p>\n");
    if (evaluation != null) {
      summary(h, evaluation);
      perClass(h, evaluation.metrics());
      confusion(h, evaluation.metrics().confusionMatrix());
    }
    for (MetricResult r : primary.metrics()) {
      suite(h, r);
    }
    if (report.entries().size() > 1) {
      models(h, report.entries());
    }
    plots(h, plots, figureTitles(primary));
    if (report.comparison() != null) {
      mcnemar(h, report.comparison());
    }
    provenance(h, provenance);
    if (evaluation != null) {
      definitions(h, evaluation.metrics());
    }
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  /** A metric suite other than classification: its scalars with intervals, then its tables. */
  private static void suite(StringBuilder h, MetricResult r) {
    h.append("<h2>").append(Html.escape(title(r.suite()))).append("</h2>\n<table>\n<tr><th>Metric</th><th>Value</th>"
        + "<th>95% CI</th></tr>\n");
    for (Map.Entry<String, Double> e : r.scalars().entrySet()) {
      ConfidenceInterval ci = r.intervals().get(e.getKey());
      h.append("<tr><td>").append(Html.escape(r.labels().getOrDefault(e.getKey(), e.getKey())))
          .append("</td><td class=\"n\">").append(Html.number(e.getValue())).append("</td><td class=\"n\">")
          .append(ci == null ? "" : Html.number(ci.lower()) + " &ndash; " + Html.number(ci.upper()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
    for (ReportTable t : r.tables()) {
      h.append("<h3>").append(Html.escape(t.title())).append("</h3>\n<table>\n<tr>");
      t.header().forEach(c -> h.append("<th>").append(Html.escape(c)).append("</th>"));
      h.append("</tr>\n");
      for (List<String> row : t.rows()) {
        h.append("<tr>");
        row.forEach(c -> h.append("<td>").append(Html.escape(c)).append("</td>"));
        h.append("</tr>\n");
      }
      h.append("</table>\n");
      if (!t.note().isEmpty()) {
        h.append("<p class=\"muted\">").append(Html.escape(t.note())).append("</p>\n");
      }
    }
  }

  /** The headline numbers of the ensemble and each member side by side. */
  private static void models(StringBuilder h, List<EvaluationReport.Entry> entries) {
    java.util.LinkedHashMap<String, String> columns = new java.util.LinkedHashMap<>();
    for (EvaluationReport.Entry e : entries) {
      for (MetricResult r : e.allMetrics()) {
        r.scalars().keySet().forEach(k -> columns.putIfAbsent(k, r.labels().getOrDefault(k, k)));
      }
    }
    h.append("<h2>Ensemble and members</h2>\n<table>\n<tr><th>model</th>");
    columns.values().forEach(c -> h.append("<th>").append(Html.escape(c)).append("</th>"));
    h.append("</tr>\n");
    for (EvaluationReport.Entry e : entries) {
      h.append("<tr><td>").append(Html.escape(e.name())).append("</td>");
      for (String key : columns.keySet()) {
        double v = Double.NaN;
        ConfidenceInterval ci = null;
        for (MetricResult r : e.allMetrics()) {
          if (r.scalars().containsKey(key)) {
            v = r.scalar(key);
            ci = r.intervals().get(key);
          }
        }
        h.append("<td class=\"n\">").append(Html.number(v)).append(ci == null ? "" : "<br><span class=\"muted\">"
            + Html.number(ci.lower()) + "&ndash;" + Html.number(ci.upper()) + "</span>").append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n<p class=\"muted\">The ensemble averages its members' probabilities (and maps); intervals "
        + "are percentile bootstraps over examples.</p>\n");
  }

  private static String title(String suite) {
    return suite.isEmpty() ? suite : Character.toUpperCase(suite.charAt(0)) + suite.substring(1).replace('_', ' ');
  }

  private static String configSummary(Provenance p) {
    Object variant = p.config().get("variant");
    return variant == null ? "" : variant.toString();
  }

  private static void summary(StringBuilder h, Evaluation e) {
    ConfidenceInterval any = e.interval(SummaryMetric.ACCURACY);
    h.append("<h2>Summary</h2>\n<table>\n<tr><th>Metric</th><th>Value</th><th>95% CI</th></tr>\n");
    for (SummaryMetric metric : e.summaryMetrics()) {
      ConfidenceInterval ci = e.interval(metric);
      h.append("<tr><td>").append(Html.escape(metric.label(e.classes()))).append("</td><td class=\"n\">")
          .append(Html.number(metric.of(e.metrics()))).append("</td><td class=\"n\">")
          .append(Html.number(ci.lower())).append(" &ndash; ").append(Html.number(ci.upper())).append("</td></tr>\n");
    }
    h.append("</table>\n<p class=\"muted\">Percentile bootstrap over examples: ").append(any.resamples())
        .append(" resamples with replacement, seed ").append(any.seed())
        .append("; resamples on which a metric is undefined (a class missing) are left out of its interval."
            + " Precision, recall and F1 are unweighted means over classes; AUROC and AUPRC are one-vs-rest ")
        .append(e.classes().size() == 2 ? "of the positive class." : "means over classes.").append("</p>\n");
  }

  private static void perClass(StringBuilder h, ClassificationMetrics m) {
    h.append("<h2>Per class (one vs rest)</h2>\n<table>\n<tr><th>Class</th><th>Support</th><th>Precision</th>"
        + "<th>Recall (sensitivity)</th><th>Specificity</th><th>F1</th><th>AUROC</th><th>AUPRC</th></tr>\n");
    for (ClassScores s : m.classes()) {
      h.append("<tr><td>").append(Html.escape(s.name())).append("</td><td class=\"n\">").append(s.support());
      for (double v : new double[] {s.precision(), s.recall(), s.specificity(), s.f1(), s.auroc(), s.auprc()}) {
        h.append("</td><td class=\"n\">").append(Html.number(v));
      }
      h.append("</td></tr>\n");
    }
    h.append("<tr><td><em>macro</em></td><td class=\"n\">").append(m.samples()).append("</td><td class=\"n\">")
        .append(Html.number(m.macro().precision())).append("</td><td class=\"n\">")
        .append(Html.number(m.macro().recall())).append("</td><td></td><td class=\"n\">")
        .append(Html.number(m.macro().f1())).append("</td><td class=\"n\">").append(Html.number(m.macroAuroc()))
        .append("</td><td class=\"n\">").append(Html.number(m.macroAuprc())).append("</td></tr>\n");
    h.append("<tr><td><em>weighted</em></td><td class=\"n\">").append(m.samples()).append("</td><td class=\"n\">")
        .append(Html.number(m.weighted().precision())).append("</td><td class=\"n\">")
        .append(Html.number(m.weighted().recall())).append("</td><td></td><td class=\"n\">")
        .append(Html.number(m.weighted().f1())).append("</td><td></td><td></td></tr>\n</table>\n");
  }

  private static void confusion(StringBuilder h, ConfusionMatrix cm) {
    List<String> names = cm.classNames();
    h.append("<h2>Confusion matrix</h2>\n<table>\n<tr><th>true \\ predicted</th>");
    for (String n : names) {
      h.append("<th>").append(Html.escape(n)).append("</th>");
    }
    h.append("<th>support</th></tr>\n");
    for (int t = 0; t < names.size(); t++) {
      h.append("<tr><th>").append(Html.escape(names.get(t))).append("</th>");
      for (int p = 0; p < names.size(); p++) {
        h.append("<td class=\"n\">").append(cm.count(t, p)).append("</td>");
      }
      h.append("<td class=\"n\">").append(cm.support(t)).append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  private static void plots(StringBuilder h, Map<String, byte[]> plots, Map<String, String> titles) {
    h.append("<h2>Plots</h2>\n<div class=\"plots\">\n");
    for (Map.Entry<String, byte[]> e : plots.entrySet()) {
      String title = titles.get(e.getKey());
      h.append("<figure><img alt=\"").append(Html.escape(title == null ? e.getKey() : title))
          .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(e.getValue()))
          .append("\"><figcaption class=\"muted\">").append(title == null ? "" : Html.escape(title) + ": ")
          .append(Html.escape(e.getKey())).append(" (also saved beside this page)</figcaption></figure>\n");
    }
    h.append("</div>\n");
  }

  /** The captions the suites gave their figures, by file name. */
  private static Map<String, String> figureTitles(EvaluationReport.Entry entry) {
    Map<String, String> titles = new HashMap<>();
    for (MetricResult r : entry.metrics()) {
      for (ReportFigure f : r.figures()) {
        titles.put(f.file(), f.title());
      }
    }
    return titles;
  }

  private static void mcnemar(StringBuilder h, Comparison c) {
    McNemar t = c.test();
    h.append("<h2>McNemar's test</h2>\n<p>A = ").append(Html.escape(c.nameA())).append("<br>B = ")
        .append(Html.escape(c.nameB())).append("</p>\n<table>\n");
    row(h, "images compared", Long.toString(t.samples()));
    row(h, "accuracy A / B", Html.number(c.accuracyA()) + " / " + Html.number(c.accuracyB()));
    row(h, "b: A right, B wrong", Long.toString(t.b()));
    row(h, "c: A wrong, B right", Long.toString(t.c()));
    row(h, "chi-square (continuity-corrected, 1 dof)", Html.number(t.chiSquare()));
    row(h, "p (chi-square)", Html.pValue(t.chiSquarePValue()));
    row(h, "p (exact binomial)", Html.pValue(t.exactPValue()));
    row(h, "p reported", Html.pValue(t.recommendedPValue()) + (t.discordant() < McNemar.EXACT_BELOW
        ? " (exact: fewer than " + McNemar.EXACT_BELOW + " discordant images)" : " (chi-square)"));
    h.append("</table>\n");
  }

  private static void provenance(StringBuilder h, Provenance p) {
    h.append("<h2>Provenance</h2>\n<table>\n");
    for (Map.Entry<String, Object> e : p.toMap().entrySet()) {
      row(h, e.getKey(), Html.escape(String.valueOf(e.getValue())));
    }
    h.append("</table>\n");
  }

  private static void definitions(StringBuilder h, ClassificationMetrics m) {
    h.append("<h2>Definitions</h2>\n<table>\n");
    Object defs = m.toMap().get("definitions");
    if (defs instanceof Map) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) defs).entrySet()) {
        row(h, Html.escape(String.valueOf(e.getKey())), Html.escape(String.valueOf(e.getValue())));
      }
    }
    h.append("</table>\n");
  }

  /** A two-cell row; both cells are inserted as given, so callers escape outside text first. */
  private static void row(StringBuilder h, String key, String valueHtml) {
    h.append("<tr><th>").append(key).append("</th><td>").append(valueHtml).append("</td></tr>\n");
  }
}
