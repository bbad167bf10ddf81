package org.medvision.train.eval;

import java.util.function.ToDoubleFunction;
import org.medvision.api.metrics.ClassificationMetrics;

/**
 * The headline numbers of an evaluation, in report order: the StrokeNeXt paper's columns (accuracy and macro
 * precision, recall, F1) followed by the ranking, agreement and calibration scores.
 */
public enum SummaryMetric {
  /** Fraction of images classified correctly. */
  ACCURACY("accuracy", "acc", "Accuracy", ClassificationMetrics::accuracy),
  /** Unweighted mean of per-class precision. */
  PRECISION("macroPrecision", "macro_precision", "Precision (macro)", m -> m.macro().precision()),
  /** Unweighted mean of per-class recall (sensitivity). */
  RECALL("macroRecall", "macro_recall", "Recall (macro)", m -> m.macro().recall()),
  /** Unweighted mean of per-class F1. */
  F1("macroF1", "macro_f1", "F1 (macro)", m -> m.macro().f1()),
  /** Positive-class AUROC for two classes, mean one-vs-rest AUROC otherwise. */
  AUROC("auroc", "auroc", "AUROC", ClassificationMetrics::auroc),
  /** Positive-class average precision for two classes, mean one-vs-rest otherwise. */
  AUPRC("auprc", "auprc", "AUPRC", ClassificationMetrics::auprc),
  /** Mean recall over the classes present. */
  BALANCED_ACCURACY("balancedAccuracy", "balanced_acc", "Balanced accuracy",
      ClassificationMetrics::balancedAccuracy),
  /** Matthews correlation (Gorodkin's R_K). */
  MCC("mcc", "mcc", "MCC", ClassificationMetrics::matthewsCorrelation),
  /** Multi-class Brier score, lower is better. */
  BRIER("brierScore", "brier", "Brier score", ClassificationMetrics::brierScore),
  /** Expected calibration error over 15 bins, lower is better. */
  ECE("ece", "ece", "ECE (15 bins)", ClassificationMetrics::expectedCalibrationError);

  private final String key;
  private final String suiteKey;
  private final String label;
  private final ToDoubleFunction<ClassificationMetrics> value;

  SummaryMetric(String key, String suiteKey, String label, ToDoubleFunction<ClassificationMetrics> value) {
    this.key = key;
    this.suiteKey = suiteKey;
    this.label = label;
    this.value = value;
  }

  /** The JSON key, e.g. {@code macroF1}. */
  public String key() {
    return key;
  }

  /** The key of the same metric in {@link org.medvision.api.metrics.ClassificationSuite}'s results. */
  public String suiteKey() {
    return suiteKey;
  }

  /** The human-readable column name, e.g. {@code F1 (macro)}. */
  public String label() {
    return label;
  }

  /** The metric's value in {@code m}; NaN when undefined. */
  public double of(ClassificationMetrics m) {
    return value.applyAsDouble(m);
  }
}
