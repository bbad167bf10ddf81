package org.medvision.api.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.MedvisionException;

/**
 * Counts of (true class, predicted class) pairs: row {@code t}, column {@code p} holds how many samples of class
 * {@code t} were predicted as {@code p}.
 *
 * <p>The predicted class of a probability row is its arg-max; when several classes share the largest probability the
 * lowest index wins (so a uniform row predicts class 0), which keeps results independent of iteration order.
 */
public final class ConfusionMatrix {
  private final List<String> classNames;
  private final long[][] counts;
  private final long total;

  private ConfusionMatrix(List<String> classNames, long[][] counts, long total) {
    this.classNames = classNames;
    this.counts = counts;
    this.total = total;
  }

  /** The confusion matrix of a validated prediction set, predictions by arg-max. */
  public static ConfusionMatrix of(Predictions predictions) {
    int c = predictions.classCount();
    long[][] counts = new long[c][c];
    for (int i = 0; i < predictions.size(); i++) {
      counts[predictions.label(i)][predictions.predicted(i)]++;
    }
    return new ConfusionMatrix(predictions.classNames(), counts, predictions.size());
  }

  /**
   * The confusion matrix of hard predictions.
   *
   * @param labels true class of each sample, in {@code 0..C-1}
   * @param predicted predicted class of each sample, in {@code 0..C-1}
   * @param classNames the C class names (C at least 2)
   * @throws MedvisionException if the arrays differ in length or hold an index outside {@code 0..C-1}
   */
  public static ConfusionMatrix of(int[] labels, int[] predicted, List<String> classNames) {
    if (labels.length != predicted.length) {
      throw new MedvisionException("confusion matrix: " + labels.length + " labels but " + predicted.length
          + " predictions");
    }
    int c = classNames.size();
    if (c < 2) {
      throw new MedvisionException("confusion matrix: need at least 2 classes, got " + classNames);
    }
    long[][] counts = new long[c][c];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= c || predicted[i] < 0 || predicted[i] >= c) {
        throw new MedvisionException("confusion matrix: sample " + i + " has label " + labels[i] + " and prediction "
            + predicted[i] + ", expected both in 0.." + (c - 1));
      }
      counts[labels[i]][predicted[i]]++;
    }
    return new ConfusionMatrix(List.copyOf(classNames), counts, labels.length);
  }

  /** Index of the largest value of {@code row}, the lowest such index on ties. */
  public static int argmax(float[] row) {
    int best = 0;
    for (int k = 1; k < row.length; k++) {
      if (row[k] > row[best]) {
        best = k;
      }
    }
    return best;
  }

  /** Number of classes C. */
  public int classCount() {
    return counts.length;
  }

  /** Class names in row/column order. */
  public List<String> classNames() {
    return classNames;
  }

  /** Samples of true class {@code trueClass} predicted as {@code predictedClass}. */
  public long count(int trueClass, int predictedClass) {
    return counts[trueClass][predictedClass];
  }

  /** Number of samples counted. */
  public long total() {
    return total;
  }

  /** Samples whose true class is {@code k} (row sum); the class's support. */
  public long support(int k) {
    long s = 0;
    for (long v : counts[k]) {
      s += v;
    }
    return s;
  }

  /** Samples predicted as {@code k} (column sum). */
  public long predictedCount(int k) {
    long s = 0;
    for (long[] row : counts) {
      s += row[k];
    }
    return s;
  }

  /** Samples of class {@code k} predicted as {@code k}. */
  public long truePositives(int k) {
    return counts[k][k];
  }

  /** Samples of another class predicted as {@code k}. */
  public long falsePositives(int k) {
    return predictedCount(k) - counts[k][k];
  }

  /** Samples of class {@code k} predicted as another class. */
  public long falseNegatives(int k) {
    return support(k) - counts[k][k];
  }

  /** Samples neither of class {@code k} nor predicted as {@code k}. */
  public long trueNegatives(int k) {
    return total - support(k) - predictedCount(k) + counts[k][k];
  }

  /** Fraction of samples on the diagonal; 0 for an empty matrix. */
  public double accuracy() {
    long correct = 0;
    for (int k = 0; k < counts.length; k++) {
      correct += counts[k][k];
    }
    return ratio(correct, total);
  }

  /**
   * Matthews correlation coefficient generalized to C classes (Gorodkin's R_K).
   *
   * <p>With s samples, c of them correct, t_k true and p_k predicted samples of class k:
   * {@code (c*s - sum_k p_k*t_k) / sqrt((s^2 - sum_k p_k^2) * (s^2 - sum_k t_k^2))}. For two classes this is the
   * phi coefficient {@code (TP*TN - FP*FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN))}. When the denominator is 0 (all
   * samples in one true class, or all predicted as one class) the result is 0, as in scikit-learn.
   */
  public double matthewsCorrelation() {
    double s = total;
    double c = 0;
    double pt = 0;
    double pp = 0;
    double tt = 0;
    for (int k = 0; k < counts.length; k++) {
      double t = support(k);
      double p = predictedCount(k);
      c += counts[k][k];
      pt += p * t;
      pp += p * p;
      tt += t * t;
    }
    double denominator = Math.sqrt((s * s - pp) * (s * s - tt));
    return denominator == 0 ? 0 : (c * s - pt) / denominator;
  }

  /** A copy of the counts, rows = true class, columns = predicted class. */
  public long[][] counts() {
    long[][] copy = new long[counts.length][];
    for (int k = 0; k < counts.length; k++) {
      copy[k] = counts[k].clone();
    }
    return copy;
  }

  /** JSON-friendly view: {@code labels} (class names) and {@code counts} (rows = true, columns = predicted). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("labels", classNames);
    List<List<Long>> rows = new ArrayList<>();
    for (long[] row : counts) {
      List<Long> r = new ArrayList<>();
      for (long v : row) {
        r.add(v);
      }
      rows.add(r);
    }
    m.put("counts", rows);
    m.put("rows", "true class");
    m.put("columns", "predicted class (arg-max, ties to the lowest index)");
    return m;
  }

  static double ratio(double numerator, double denominator) {
    return denominator == 0 ? 0 : numerator / denominator;
  }
}
