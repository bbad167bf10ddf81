package org.medvision.train.eval;

import java.util.function.ToDoubleFunction;
import org.medvision.api.metrics.ClassificationMetrics;

/**
 * The headline numbers of an evaluation, in report order: the StrokeNeXt paper's columns (accuracy and macro
 * precision, recall, F1) followed by the ranking, agreement and calibration scores, and for two classes the
 * positive class's sensitivity, specificity and F1 (DSA-Net's columns, COVID-19 positive). The positive class is the
 * second one, as {@link org.medvision.api.metrics.ClassificationSuite} takes it.
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
  ECE("ece", "ece", "ECE (15 bins)", ClassificationMetrics::expectedCalibrationError),
  /** Recall of the positive class (two classes only). */
  SENSITIVITY("sensitivity", "sensitivity", "Sensitivity", m -> m.classes().get(1).recall()),
  /** Specificity of the positive class: recall of the other (two classes only). */
  SPECIFICITY("specificity", "specificity", "Specificity", m -> m.classes().get(1).specificity()),
  /** F1 of the positive class (two classes only). */
  POSITIVE_F1("positiveF1", "f1", "F1", m -> m.classes().get(1).f1());

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

  /** The metrics that apply to {@code classCount} classes, in report order. */
  public static java.util.List<SummaryMetric> forClasses(int classCount) {
    java.util.List<SummaryMetric> out = new java.util.ArrayList<>();
    for (SummaryMetric m : values()) {
      if (classCount == 2 || !m.positiveClass()) {
        out.add(m);
      }
    }
    return out;
  }

  /** Whether the metric is about the positive class of a two-class task. */
  public boolean positiveClass() {
    return this == SENSITIVITY || this == SPECIFICITY || this == POSITIVE_F1;
  }

  /** The label, naming the positive class for the two-class metrics, e.g. {@code Sensitivity (covid positive)}. */
  public String label(java.util.List<String> classes) {
    return positiveClass() && classes.size() == 2 ? label + " (" + classes.get(1) + " positive)" : label;
  }

  /** The metric's value in {@code m}; NaN when undefined. */
  public double of(ClassificationMetrics m) {
    return value.applyAsDouble(m);
  }
}
