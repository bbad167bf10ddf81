package org.medvision.api.metrics;

import java.util.ArrayList;
import java.util.List;
import org.medvision.api.MedvisionException;

/**
 * Macro and support-weighted precision, recall and F1 of hard predictions (class indices), for predictions that
 * are not arg-max rows of a probability matrix (thresholded, voted, or read from a paper's confusion matrix).
 * The averaging rules are those of {@link AveragedScores}; per-class scores follow {@link ClassScores}, 0 when a
 * denominator is 0.
 *
 * <p>Against scikit-learn: the weighted values equal {@code precision_recall_fscore_support(y, y_pred,
 * average='weighted', zero_division=0)}; the macro values average over all K classes, which equals scikit-learn with
 * {@code labels=range(K)} (its default averages only over classes seen in {@code y} or {@code y_pred}).
 */
public final class ClassAverages {
  private ClassAverages() {
  }

  /**
   * The support-weighted averages; absent classes have weight 0.
   *
   * @param labels true class of each sample, in {@code 0..K-1}
   * @param predicted predicted class of each sample, in {@code 0..K-1}
   * @param classCount K, at least 2
   * @throws MedvisionException if there are no samples, the arrays differ in length, K is below 2 or an index is
   *     outside {@code 0..K-1}
   */
  public static AveragedScores weighted(int[] labels, int[] predicted, int classCount) {
    return AveragedScores.weighted(classScores(labels, predicted, classCount));
  }

  /**
   * The unweighted averages over all K classes, absent ones counting with their zero-division value 0.
   *
   * @param labels true class of each sample, in {@code 0..K-1}
   * @param predicted predicted class of each sample, in {@code 0..K-1}
   * @param classCount K, at least 2
   * @throws MedvisionException if there are no samples, the arrays differ in length, K is below 2 or an index is
   *     outside {@code 0..K-1}
   */
  public static AveragedScores macro(int[] labels, int[] predicted, int classCount) {
    return AveragedScores.macro(classScores(labels, predicted, classCount));
  }

  private static List<ClassScores> classScores(int[] labels, int[] predicted, int classCount) {
    if (labels.length == 0) {
      throw new MedvisionException("class averages: no samples; metrics need at least one");
    }
    List<String> names = new ArrayList<>(Math.max(classCount, 0));
    for (int k = 0; k < classCount; k++) {
      names.add(Integer.toString(k));
    }
    ConfusionMatrix matrix = ConfusionMatrix.of(labels, predicted, names);
    List<ClassScores> classes = new ArrayList<>(classCount);
    for (int k = 0; k < classCount; k++) {
      // Ranking scores need probabilities, which hard predictions do not have.
      classes.add(ClassScores.of(matrix, k, Double.NaN, Double.NaN));
    }
    return classes;
  }
}
