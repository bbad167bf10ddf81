package org.medvision.train;

import java.util.Locale;
import org.medvision.api.MedvisionException;

/** The validation metric that picks the best checkpoint and drives early stopping. */
public enum SelectionMetric {
  /** Validation accuracy; higher is better. */
  VAL_ACCURACY("val-accuracy", true),
  /** Validation macro-averaged F1; higher is better. */
  VAL_MACRO_F1("val-macro-f1", true),
  /** Validation cross-entropy; lower is better. */
  VAL_LOSS("val-loss", false),
  /** Validation AUROC (positive class for two classes, macro one-vs-rest otherwise); higher is better. */
  VAL_AUROC("val-auroc", true);

  private final String id;
  private final boolean higherIsBetter;

  SelectionMetric(String id, boolean higherIsBetter) {
    this.id = id;
    this.higherIsBetter = higherIsBetter;
  }

  /** The name used on the command line and in sidecars, e.g. {@code val-accuracy}. */
  public String id() {
    return id;
  }

  /** This metric's value in {@code m}. */
  public double of(EpochMetrics m) {
    switch (this) {
      case VAL_ACCURACY: return m.valAccuracy();
      case VAL_MACRO_F1: return m.valMacroF1();
      case VAL_LOSS: return m.valLoss();
      case VAL_AUROC: return m.valAuroc();
      default: throw new AssertionError(this);
    }
  }

  /**
   * Whether {@code candidate} is strictly better than {@code incumbent}. A NaN candidate never improves; any
   * number improves on a NaN incumbent (no best yet).
   */
  public boolean improves(double candidate, double incumbent) {
    if (Double.isNaN(candidate)) {
      return false;
    }
    if (Double.isNaN(incumbent)) {
      return true;
    }
    return higherIsBetter ? candidate > incumbent : candidate < incumbent;
  }

  /**
   * The metric named {@code text}: {@code val-accuracy}, {@code val-macro-f1}, {@code val-loss}, {@code val-auroc}
   * (case-insensitive; the {@code val-} prefix and {@code _} for {@code -} are accepted).
   *
   * @throws MedvisionException for another name, listing the accepted ones
   */
  public static SelectionMetric parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (SelectionMetric m : values()) {
      if (m.id.equals(t) || m.id.equals("val-" + t)) {
        return m;
      }
    }
    throw new MedvisionException("unknown selection metric '" + text + "'; use val-accuracy, val-macro-f1, val-loss "
        + "or val-auroc");
  }
}
