package org.medvision.api.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.medvision.api.MedvisionException;

/**
 * A validated, immutable prediction set: the true class of each of N samples, an N x C matrix of class probabilities
 * and the C class names.
 *
 * <p>Validation rejects, with a {@link MedvisionException} naming the offending sample or class: no samples, fewer
 * than two classes, labels and probability rows of different counts, a row whose length is not C, a label outside
 * {@code 0..C-1}, a probability that is not finite or outside [0, 1], a row whose sum differs from 1 by more than
 * {@link #ROW_SUM_TOLERANCE}, and null, duplicate or missing class names.
 */
public final class Predictions {
  /** Largest accepted |row sum - 1|; float32 softmax rows of a few classes stay well inside it. */
  public static final double ROW_SUM_TOLERANCE = 1e-3;

  private final int[] labels;
  private final float[][] probabilities;
  private final List<String> classNames;
  private final int[] predicted;

  private Predictions(int[] labels, float[][] probabilities, List<String> classNames) {
    this.labels = labels;
    this.probabilities = probabilities;
    this.classNames = classNames;
    this.predicted = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      predicted[i] = ConfusionMatrix.argmax(probabilities[i]);
    }
  }

  /**
   * Validates and copies one prediction set.
   *
   * @param labels true class index of each sample, in {@code 0..C-1}
   * @param probabilities one row of C class probabilities per sample, each row summing to 1
   * @param classNames the C class names, in column order
   * @throws MedvisionException if the inputs break a rule listed on this class
   */
  public static Predictions of(int[] labels, float[][] probabilities, List<String> classNames) {
    if (labels == null || probabilities == null || classNames == null) {
      throw new MedvisionException("predictions need labels, probabilities and class names; got null");
    }
    List<String> names = checkNames(classNames);
    int c = names.size();
    if (labels.length != probabilities.length) {
      throw new MedvisionException("predictions: " + labels.length + " labels but " + probabilities.length
          + " probability rows");
    }
    if (labels.length == 0) {
      throw new MedvisionException("predictions: no samples; metrics need at least one");
    }
    float[][] rows = new float[probabilities.length][];
    for (int i = 0; i < probabilities.length; i++) {
      rows[i] = checkRow(i, probabilities[i], c);
      if (labels[i] < 0 || labels[i] >= c) {
        throw new MedvisionException("predictions: sample " + i + " has label " + labels[i] + ", expected 0.." + (c - 1)
            + " for classes " + names);
      }
    }
    return new Predictions(labels.clone(), rows, names);
  }

  /** Picks the samples at {@code indices} (repeats allowed) without re-validating; used by resampling. */
  Predictions select(int[] indices) {
    int[] l = new int[indices.length];
    float[][] p = new float[indices.length][];
    for (int j = 0; j < indices.length; j++) {
      l[j] = labels[indices[j]];
      p[j] = probabilities[indices[j]];
    }
    return new Predictions(l, p, classNames);
  }

  private static List<String> checkNames(List<String> classNames) {
    if (classNames.size() < 2) {
      throw new MedvisionException("predictions: need at least 2 class names, got " + classNames);
    }
    Set<String> seen = new HashSet<>();
    for (String name : classNames) {
      if (name == null) {
        throw new MedvisionException("predictions: class names contain null: " + classNames);
      }
      if (!seen.add(name)) {
        throw new MedvisionException("predictions: class name '" + name + "' appears twice in " + classNames);
      }
    }
    return List.copyOf(new ArrayList<>(classNames));
  }

  private static float[] checkRow(int i, float[] row, int c) {
    if (row == null || row.length != c) {
      throw new MedvisionException("predictions: probability row of sample " + i + " has "
          + (row == null ? "no values" : row.length + " values") + ", expected " + c);
    }
    double sum = 0;
    for (int k = 0; k < c; k++) {
      float p = row[k];
      if (!(p >= 0f && p <= 1f)) {
        throw new MedvisionException("predictions: probability of class " + k + " for sample " + i + " is " + p
            + ", expected a number in [0, 1]");
      }
      sum += p;
    }
    if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) {
      throw new MedvisionException("predictions: probabilities of sample " + i + " sum to " + sum
          + ", expected 1 within " + ROW_SUM_TOLERANCE + " (are these logits rather than softmax outputs?)");
    }
    return row.clone();
  }

  /** Number of samples N (at least 1). */
  public int size() {
    return labels.length;
  }

  /** Number of classes C (at least 2). */
  public int classCount() {
    return classNames.size();
  }

  /** The class names in column order. */
  public List<String> classNames() {
    return classNames;
  }

  /** True class of sample {@code i}. */
  public int label(int i) {
    return labels[i];
  }

  /** Probability the model gave class {@code k} for sample {@code i}. */
  public float probability(int i, int k) {
    return probabilities[i][k];
  }

  /** Predicted class of sample {@code i}: the arg-max of its row, ties to the lowest index. */
  public int predicted(int i) {
    return predicted[i];
  }

  /** Top-class confidence of sample {@code i}: the probability of its predicted class. */
  public float confidence(int i) {
    return probabilities[i][predicted[i]];
  }

  /** A copy of the true labels. */
  public int[] labels() {
    return labels.clone();
  }

  /** A copy of the predicted classes, e.g. to compare two models with {@link McNemar#test}. */
  public int[] predictedClasses() {
    return predicted.clone();
  }

  /** Column {@code k} of the probability matrix widened to double: the one-vs-rest scores of class {@code k}. */
  double[] scores(int k) {
    double[] s = new double[labels.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = probabilities[i][k];
    }
    return s;
  }

  /** Whether each sample's true class is {@code k}: the one-vs-rest truth of class {@code k}. */
  boolean[] isClass(int k) {
    boolean[] b = new boolean[labels.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = labels[i] == k;
    }
    return b;
  }
}
