package org.medvision.api.metrics;

/**
 * The Brier score: mean squared distance between the probability row and the one-hot truth.
 *
 * <p>Multi-class definition (Brier 1950): {@code (1/N) sum_i sum_k (p_ik - [y_i == k])^2}, in [0, 2], 0 for certain
 * correct predictions. For two classes whose rows sum to exactly 1 both columns carry the same error, so this is
 * twice the binary score {@code (1/N) sum_i (p_i1 - [y_i == 1])^2} that scikit-learn's {@code brier_score_loss}
 * reports; see {@link #binary}.
 */
public final class BrierScore {
  private BrierScore() {
  }

  /** The multi-class Brier score, in [0, 2]. */
  public static double multiClass(Predictions predictions) {
    double sum = 0;
    for (int i = 0; i < predictions.size(); i++) {
      for (int k = 0; k < predictions.classCount(); k++) {
        double target = predictions.label(i) == k ? 1 : 0;
        double d = predictions.probability(i, k) - target;
        sum += d * d;
      }
    }
    return sum / predictions.size();
  }

  /**
   * The binary Brier score of class {@code positiveClass} against the rest: {@code (1/N) sum_i (p_ik - [y_i == k])^2},
   * in [0, 1].
   */
  public static double binary(Predictions predictions, int positiveClass) {
    double sum = 0;
    for (int i = 0; i < predictions.size(); i++) {
      double target = predictions.label(i) == positiveClass ? 1 : 0;
      double d = predictions.probability(i, positiveClass) - target;
      sum += d * d;
    }
    return sum / predictions.size();
  }
}
