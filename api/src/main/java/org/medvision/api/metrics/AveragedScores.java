package org.medvision.api.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Precision, recall and F1 averaged over classes.
 *
 * <p>The macro average is the plain mean over all C classes, absent ones included with their zero-division value 0.
 * The weighted average weights each class by its support, so absent classes drop out; F1 is averaged per class,
 * not recomputed from the averaged precision and recall (scikit-learn's convention).
 *
 * @param precision averaged precision
 * @param recall averaged recall
 * @param f1 averaged F1
 */
public record AveragedScores(double precision, double recall, double f1) {

  /** The unweighted mean over {@code classes}. */
  static AveragedScores macro(List<ClassScores> classes) {
    double p = 0;
    double r = 0;
    double f = 0;
    for (ClassScores c : classes) {
      p += c.precision();
      r += c.recall();
      f += c.f1();
    }
    int n = classes.size();
    return new AveragedScores(p / n, r / n, f / n);
  }

  /** The support-weighted mean over {@code classes}; 0 when the total support is 0. */
  static AveragedScores weighted(List<ClassScores> classes) {
    double p = 0;
    double r = 0;
    double f = 0;
    long total = 0;
    for (ClassScores c : classes) {
      p += c.support() * c.precision();
      r += c.support() * c.recall();
      f += c.support() * c.f1();
      total += c.support();
    }
    return new AveragedScores(ConfusionMatrix.ratio(p, total), ConfusionMatrix.ratio(r, total),
        ConfusionMatrix.ratio(f, total));
  }

  /** JSON-friendly view with keys {@code precision, recall, f1}. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("precision", precision);
    m.put("recall", recall);
    m.put("f1", f1);
    return m;
  }
}
