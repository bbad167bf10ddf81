package org.medvision.api.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.MedvisionException;

/**
 * One-vs-rest AUROC of a K-class problem, per class and averaged: class k's probability column ranked against
 * "true class is k".
 *
 * <p>The macro value is the plain mean, and the weighted value the support-weighted mean
 * {@code sum_k n_k AUC_k / sum_k n_k}, both over the classes whose AUROC is defined. A class is excluded (and listed
 * in {@link #excluded()}) when it has no sample, which gives it weight 0 anyway, or when it is every sample's class,
 * in which case every other class is absent and both averages are NaN.
 *
 * <p>With every class present this is scikit-learn's {@code roc_auc_score(y, P, multi_class='ovr',
 * average='weighted')} (and {@code average='macro'}); scikit-learn raises an error instead of excluding an absent
 * class, and it also requires rows summing to 1, which the one-vs-rest AUROC itself does not use and which is not
 * checked here.
 *
 * @param auroc per-class AUROC in class order ({@link RankAuc}, ties count 1/2), NaN where undefined
 * @param support per-class number of samples in class order
 * @param macro mean AUROC over defined classes
 * @param weighted support-weighted mean AUROC over defined classes
 * @param excluded indices of the classes whose AUROC is undefined
 */
public record OneVsRestAuc(List<Double> auroc, List<Long> support, double macro, double weighted,
    List<Integer> excluded) {

  /** Copies the lists so the record stays immutable. */
  public OneVsRestAuc {
    auroc = List.copyOf(auroc);
    support = List.copyOf(support);
    excluded = List.copyOf(excluded);
  }

  /**
   * Computes the per-class and averaged AUROC.
   *
   * @param labels true class of each sample, in {@code 0..K-1}
   * @param probabilities one row of K class scores per sample (non-NaN; higher = more likely that class)
   * @throws MedvisionException if there are no samples, the counts differ, rows differ in length, K is below 2, a
   *     label is outside {@code 0..K-1} or a score is NaN
   */
  public static OneVsRestAuc compute(int[] labels, float[][] probabilities) {
    int n = labels.length;
    if (n == 0 || n != probabilities.length) {
      throw new MedvisionException("one-vs-rest AUROC: need the same non-zero number of labels and probability"
          + " rows, got " + n + " and " + probabilities.length);
    }
    int k = probabilities[0].length;
    if (k < 2) {
      throw new MedvisionException("one-vs-rest AUROC: need at least 2 classes, got rows of " + k);
    }
    for (int i = 0; i < n; i++) {
      if (probabilities[i].length != k) {
        throw new MedvisionException("one-vs-rest AUROC: row " + i + " has " + probabilities[i].length
            + " values, expected " + k);
      }
      if (labels[i] < 0 || labels[i] >= k) {
        throw new MedvisionException("one-vs-rest AUROC: sample " + i + " has label " + labels[i] + ", expected 0.."
            + (k - 1));
      }
    }
    List<Double> aurocs = new ArrayList<>(k);
    List<Long> supports = new ArrayList<>(k);
    List<Integer> excluded = new ArrayList<>();
    double sum = 0;
    double weightedSum = 0;
    long weight = 0;
    for (int c = 0; c < k; c++) {
      double[] column = new double[n];
      boolean[] isClass = new boolean[n];
      long support = 0;
      for (int i = 0; i < n; i++) {
        column[i] = probabilities[i][c];
        isClass[i] = labels[i] == c;
        support += isClass[i] ? 1 : 0;
      }
      double auc = RankAuc.auroc(column, isClass);
      aurocs.add(auc);
      supports.add(support);
      if (Double.isNaN(auc)) {
        excluded.add(c);
      } else {
        sum += auc;
        weightedSum += support * auc;
        weight += support;
      }
    }
    int defined = k - excluded.size();
    return new OneVsRestAuc(aurocs, supports, defined == 0 ? Double.NaN : sum / defined,
        weight == 0 ? Double.NaN : weightedSum / weight, excluded);
  }

  /** JSON-friendly view: {@code macro, weighted, perClass, support, excluded}; NaN as null. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("macro", JsonValues.number(macro));
    m.put("weighted", JsonValues.number(weighted));
    List<Double> perClass = new ArrayList<>();
    for (double a : auroc) {
      perClass.add(JsonValues.number(a));
    }
    m.put("perClass", perClass);
    m.put("support", support);
    m.put("excluded", excluded);
    return m;
  }
}
