package org.medvision.api.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report tables and ROC figures of {@link MultiLabelSuite}. */
final class MultiLabelTables {
  private final List<String> labels;
  private final MultiLabelMetrics ranking;
  private final List<LabelOperatingPoints> points;
  private final float threshold;

  MultiLabelTables(List<String> labels, MultiLabelMetrics ranking, List<LabelOperatingPoints> points,
      float threshold) {
    this.labels = labels;
    this.ranking = ranking;
    this.points = points;
    this.threshold = threshold;
  }

  /**
   * One row per label, then the mean row.
   *
   * @param keys each label's AUROC metric key, to find its interval
   * @param intervals the suite's intervals; empty when none were computed
   */
  ReportTable perLabel(List<String> keys, Map<String, ConfidenceInterval> intervals) {
    String t = Float.toString(threshold);
    List<String> header = List.of("label", "positives", "prevalence", "AUROC", "95% CI", "AP", "F1 @ " + t,
        "best F1", "best-F1 threshold", "precision @ best", "recall @ best");
    List<List<String>> rows = new ArrayList<>();
    for (int k = 0; k < labels.size(); k++) {
      LabelScores s = ranking.labels().get(k);
      LabelOperatingPoints x = points.get(k);
      List<String> row = new ArrayList<>();
      row.add(labels.get(k));
      row.add(Long.toString(x.positives()));
      row.add(format(x.prevalence()));
      row.add(Double.isNaN(s.auroc()) ? "n/a (one class)" : format(s.auroc()));
      row.add(interval(intervals.get(keys.get(k))));
      row.add(format(s.averagePrecision()));
      row.add(x.positives() == 0 ? "n/a" : format(x.atThreshold().f1()));
      if (x.bestF1().isPresent()) {
        BinaryMetrics best = x.bestF1().get();
        row.addAll(List.of(format(best.f1()), format(best.threshold()), format(best.precision()),
            format(best.sensitivity())));
      } else {
        row.addAll(List.of("n/a", "", "", ""));
      }
      rows.add(row);
    }
    int averaged = labels.size() - ranking.aurocExcluded().size();
    rows.add(List.of("mean (" + averaged + " of " + labels.size() + " labels)", "", "", format(ranking.macroAuroc()),
        interval(intervals.get("mean_auroc")), format(ranking.macroAveragePrecision()),
        format(meanF1(points, false)), format(meanF1(points, true)), "", "", ""));
    return new ReportTable("Per label", header, rows, perLabelNote(intervals, averaged));
  }

  private String perLabelNote(Map<String, ConfidenceInterval> intervals, int averaged) {
    StringBuilder note = new StringBuilder();
    note.append(ranking.samples()).append(" examples. ");
    ConfidenceInterval any = intervals.get("mean_auroc");
    if (any != null) {
      note.append(String.format(Locale.ROOT, "95%% CI: percentile bootstrap over examples, %d resamples, seed %d; "
          + "resamples where a label has one class are left out of its interval. ", any.resamples(), any.seed()));
    }
    note.append("AP: average precision (step-wise, as scikit-learn's). F1 @ ").append(threshold)
        .append(": a label is called present where its probability is at least ").append(threshold)
        .append(". Best F1: the threshold among the label's own scores that maximises its F1 on these data "
            + "(optimistic for new data), with its precision and recall. Mean row: AUROC over the ").append(averaged)
        .append(" labels whose truth has both classes; AP, F1 and best F1 over the labels with a positive example.");
    if (!ranking.aurocExcluded().isEmpty()) {
      List<String> excluded = new ArrayList<>();
      for (String name : ranking.aurocExcluded()) {
        long positives = ranking.labels().get(labels.indexOf(name)).positives();
        excluded.add(name + (positives == 0 ? " (present in no example)" : " (present in every example)"));
      }
      note.append(" Left out of the mean AUROC, their truth having one class: ").append(String.join(", ", excluded))
          .append('.');
    }
    return note.toString();
  }

  /** The truth's label pairs, over the labels with a positive example. */
  ReportTable cooccurrence(LabelCooccurrence c) {
    List<Integer> shown = c.presentLabels();
    List<String> header = new ArrayList<>(List.of("label"));
    shown.forEach(j -> header.add(labels.get(j)));
    List<List<String>> rows = new ArrayList<>();
    for (int a : shown) {
      List<String> row = new ArrayList<>(List.of(labels.get(a)));
      for (int b : shown) {
        row.add(Long.toString(c.count(a, b)));
      }
      rows.add(row);
    }
    StringBuilder note = new StringBuilder("Examples in which both labels are present in the truth; the diagonal "
        + "counts each label. ").append(c.samples()).append(" examples, ").append(c.withoutLabel())
        .append(" without any label.");
    List<String> absent = new ArrayList<>();
    for (int j = 0; j < labels.size(); j++) {
      if (!shown.contains(j)) {
        absent.add(labels.get(j));
      }
    }
    if (!absent.isEmpty()) {
      note.append(" Not shown, present in no example: ").append(String.join(", ", absent)).append('.');
    }
    return new ReportTable("Label co-occurrence (truth)", header, rows, note.toString());
  }

  /** ROC curves of the labels with both classes, {@value MultiLabelSuite#CURVES_PER_FIGURE} per figure. */
  List<ReportFigure> rocFigures(boolean[][] truth, float[][] probabilities, String prefix) {
    List<ReportFigure.Series> series = new ArrayList<>();
    for (int k = 0; k < labels.size(); k++) {
      double[] scores = new double[truth.length];
      boolean[] present = new boolean[truth.length];
      for (int i = 0; i < truth.length; i++) {
        scores[i] = probabilities[i][k];
        present[i] = truth[i][k];
      }
      RocCurve roc = RocCurve.of(scores, present);
      if (roc.isDefined()) {
        series.add(new ReportFigure.Series(labels.get(k) + String.format(Locale.ROOT, " (AUROC %.3f)", roc.area()),
            roc.falsePositiveRates(), roc.truePositiveRates()));
      }
    }
    int per = MultiLabelSuite.CURVES_PER_FIGURE;
    int figures = (series.size() + per - 1) / per;
    List<ReportFigure> out = new ArrayList<>();
    for (int f = 0; f < figures; f++) {
      String title = "ROC per label" + (figures > 1 ? " (" + (f + 1) + " of " + figures + ")" : "");
      out.add(new ReportFigure.Curves(prefix + "-roc-" + (f + 1) + ".png", title,
          "False positive rate (1 - specificity)", "True positive rate (sensitivity)",
          series.subList(f * per, Math.min(series.size(), (f + 1) * per)), true));
    }
    return out;
  }

  /** Mean F1 over the labels with a positive example: at the fixed threshold, or at each label's best. */
  static double meanF1(List<LabelOperatingPoints> points, boolean best) {
    double sum = 0;
    int count = 0;
    for (LabelOperatingPoints x : points) {
      if (x.positives() > 0) {
        sum += best ? x.bestF1().orElseThrow().f1() : x.atThreshold().f1();
        count++;
      }
    }
    return count == 0 ? Double.NaN : sum / count;
  }

  private static String interval(ConfidenceInterval ci) {
    return ci == null ? "" : "[" + format(ci.lower()) + ", " + format(ci.upper()) + "]";
  }

  /** Four decimals, or {@code n/a} for NaN. */
  static String format(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }
}
