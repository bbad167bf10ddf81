package org.medvision.api.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.medvision.api.MedvisionException;

/**
 * Scores of one positive class against everything else at a fixed threshold on that class's probability, with the
 * threshold-free AUROC of the same probability: the accuracy, sensitivity, specificity, precision, F1 and AUC that
 * screening papers report (e.g. COVID-19 as positive against community-acquired pneumonia).
 *
 * <p>A sample is predicted positive when its score is {@code >= threshold}; the default threshold is
 * {@value #DEFAULT_THRESHOLD}. This differs from {@link ClassificationMetrics}, which predicts by arg-max and fixes the
 * positive class at index 1 of two: here any class can be positive, the data may have more than two classes (the
 * others are all negative), and a score of exactly 0.5 in a two-class problem is positive, where arg-max would give
 * the tie to class 0.
 *
 * <p>Count-based scores follow the package's zero-division rule (0 when the denominator is 0, scikit-learn's
 * {@code zero_division=0}): sensitivity with no positive sample, specificity with no negative sample, precision with
 * no positive prediction, F1 when TP + FP + FN = 0. AUROC ({@link RankAuc}, ties counting 1/2) is NaN when only one
 * class is present.
 *
 * @param threshold the score at or above which a sample is predicted positive
 * @param truePositives positive samples predicted positive
 * @param falsePositives negative samples predicted positive
 * @param falseNegatives positive samples predicted negative
 * @param trueNegatives negative samples predicted negative
 * @param auroc area under the ROC curve of the scores, NaN when all samples are of one class
 */
public record BinaryMetrics(double threshold, long truePositives, long falsePositives, long falseNegatives,
    long trueNegatives, double auroc) {
  /** Threshold on the positive probability used when none is given. */
  public static final double DEFAULT_THRESHOLD = 0.5;

  /**
   * Scores of {@code scores} against {@code positive} at the default threshold {@value #DEFAULT_THRESHOLD}.
   *
   * @see #of(boolean[], double[], double)
   */
  public static BinaryMetrics of(boolean[] positive, double[] scores) {
    return of(positive, scores, DEFAULT_THRESHOLD);
  }

  /**
   * Scores of {@code scores} (higher = more likely positive) against {@code positive}.
   *
   * @param positive whether each sample belongs to the positive class
   * @param scores one score per sample, typically the positive class's probability
   * @param threshold samples scoring {@code >= threshold} are predicted positive; any non-NaN value
   * @throws MedvisionException if there are no samples, the arrays differ in length, a score or the threshold is
   *     NaN
   */
  public static BinaryMetrics of(boolean[] positive, double[] scores, double threshold) {
    ThresholdSweep.checkScores(scores, positive);
    if (scores.length == 0) {
      throw new MedvisionException("binary metrics: no samples; metrics need at least one");
    }
    if (Double.isNaN(threshold)) {
      throw new MedvisionException("binary metrics: threshold is NaN");
    }
    long tp = 0;
    long fp = 0;
    long fn = 0;
    long tn = 0;
    for (int i = 0; i < scores.length; i++) {
      boolean predicted = scores[i] >= threshold;
      if (positive[i]) {
        if (predicted) {
          tp++;
        } else {
          fn++;
        }
      } else if (predicted) {
        fp++;
      } else {
        tn++;
      }
    }
    return new BinaryMetrics(threshold, tp, fp, fn, tn, RankAuc.auroc(scores, positive));
  }

  /**
   * Scores of class {@code positiveClass} at the default threshold {@value #DEFAULT_THRESHOLD}.
   *
   * @see #of(int[], float[][], int, double)
   */
  public static BinaryMetrics of(int[] labels, float[][] probabilities, int positiveClass) {
    return of(labels, probabilities, positiveClass, DEFAULT_THRESHOLD);
  }

  /**
   * Scores of class {@code positiveClass} taken as positive and every other class as negative, predicting positive
   * when that class's probability is {@code >= threshold}. Rows need not sum to 1 (sigmoid outputs are fine); only
   * column {@code positiveClass} is read.
   *
   * @param labels true class index of each sample
   * @param probabilities one row per sample with at least {@code positiveClass + 1} columns
   * @param positiveClass index of the positive class
   * @param threshold samples whose positive probability is {@code >= threshold} are predicted positive
   * @throws MedvisionException if there are no samples, the arrays differ in length, a row is too short, a
   *     probability or the threshold is NaN, or {@code positiveClass} is negative
   */
  public static BinaryMetrics of(int[] labels, float[][] probabilities, int positiveClass, double threshold) {
    if (labels.length != probabilities.length) {
      throw new MedvisionException("binary metrics: " + labels.length + " labels but " + probabilities.length
          + " probability rows");
    }
    if (positiveClass < 0) {
      throw new MedvisionException("binary metrics: positive class index must be >= 0, got " + positiveClass);
    }
    boolean[] positive = new boolean[labels.length];
    double[] scores = new double[labels.length];
    for (int i = 0; i < labels.length; i++) {
      if (probabilities[i].length <= positiveClass) {
        throw new MedvisionException("binary metrics: probability row of sample " + i + " has "
            + probabilities[i].length + " values, too few for positive class " + positiveClass);
      }
      positive[i] = labels[i] == positiveClass;
      scores[i] = probabilities[i][positiveClass];
    }
    return of(positive, scores, threshold);
  }

  /**
   * The scores at the threshold that maximises F1 on these samples: every distinct score is tried as the threshold
   * ("positive when score &gt;= threshold"), and the one with the largest F1 wins. F1 values are compared exactly (as
   * fractions of counts), and of thresholds with the same F1 the highest is taken, so fewer samples are called
   * positive. The threshold is chosen on the data it is scored on, so its F1 is optimistic for new data.
   *
   * <p>The candidates are the thresholds of scikit-learn's {@code precision_recall_curve}; its F1 maximum is this F1.
   *
   * @param positive whether each sample is positive
   * @param scores one score per sample (higher = more likely positive)
   * @return the metrics at the best threshold; empty when no sample is positive (F1 is then 0 at every threshold)
   * @throws MedvisionException if there are no samples, the arrays differ in length or a score is NaN
   */
  public static Optional<BinaryMetrics> bestF1(boolean[] positive, double[] scores) {
    ThresholdSweep.checkScores(scores, positive);
    if (scores.length == 0) {
      throw new MedvisionException("binary metrics: no samples; metrics need at least one");
    }
    ThresholdSweep sweep = ThresholdSweep.of(scores, positive);
    if (sweep.positives == 0) {
      return Optional.empty();
    }
    int best = 0;
    for (int j = 1; j < sweep.size(); j++) {
      // F1 = 2TP / (TP + P + FP) with P = TP + FN fixed. Comparing the fractions by cross-multiplying the counts is
      // exact (an array has fewer than 2^31 samples, so each product stays below 2^63); a strict > keeps the highest
      // threshold among equal F1s, the sweep running from high thresholds to low.
      long tp = sweep.truePositives[j];
      long bestTp = sweep.truePositives[best];
      long denominator = tp + sweep.positives + sweep.falsePositives[j];
      long bestDenominator = bestTp + sweep.positives + sweep.falsePositives[best];
      if (tp * bestDenominator > bestTp * denominator) {
        best = j;
      }
    }
    long tp = sweep.truePositives[best];
    long fp = sweep.falsePositives[best];
    return Optional.of(new BinaryMetrics(sweep.thresholds[best], tp, fp, sweep.positives - tp,
        sweep.negatives - fp, RankAuc.auroc(scores, positive)));
  }

  /** Number of samples. */
  public long samples() {
    return truePositives + falsePositives + falseNegatives + trueNegatives;
  }

  /** Number of positive samples, TP + FN. */
  public long positives() {
    return truePositives + falseNegatives;
  }

  /** Number of negative samples, FP + TN. */
  public long negatives() {
    return falsePositives + trueNegatives;
  }

  /** (TP + TN) / N. */
  public double accuracy() {
    return ConfusionMatrix.ratio(truePositives + trueNegatives, samples());
  }

  /** TP / (TP + FN), the recall of the positive class; 0 when there is no positive sample. */
  public double sensitivity() {
    return ConfusionMatrix.ratio(truePositives, positives());
  }

  /** TN / (TN + FP), the recall of the negative class; 0 when there is no negative sample. */
  public double specificity() {
    return ConfusionMatrix.ratio(trueNegatives, negatives());
  }

  /** TP / (TP + FP), the positive predictive value; 0 when nothing is predicted positive. */
  public double precision() {
    return ConfusionMatrix.ratio(truePositives, truePositives + falsePositives);
  }

  /** 2TP / (2TP + FP + FN), the harmonic mean of precision and sensitivity; 0 when TP + FP + FN = 0. */
  public double f1() {
    return ConfusionMatrix.ratio(2.0 * truePositives, 2.0 * truePositives + falsePositives + falseNegatives);
  }

  /** JSON-friendly view: the counts, the five ratios, {@code auroc} (NaN as null) and the threshold. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("threshold", threshold);
    m.put("samples", samples());
    m.put("tp", truePositives);
    m.put("fp", falsePositives);
    m.put("fn", falseNegatives);
    m.put("tn", trueNegatives);
    m.put("accuracy", accuracy());
    m.put("sensitivity", sensitivity());
    m.put("specificity", specificity());
    m.put("precision", precision());
    m.put("f1", f1());
    m.put("auroc", JsonValues.number(auroc));
    return m;
  }
}
