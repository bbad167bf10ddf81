package org.medvision.api.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medvision.api.MedvisionException;

/**
 * Ranking metrics of a multi-label problem: N samples, K labels, an N x K matrix of independent label
 * probabilities (e.g. sigmoid outputs, rows need not sum to 1) and an N x K multi-hot truth.
 *
 * <p>Per label: AUROC and average precision of the label's column (see {@link LabelScores}). Macro values are the
 * plain mean over the labels where the value is defined; the labels left out are listed in {@link #aurocExcluded()}
 * and {@link #averagePrecisionExcluded()} so a report can say so. A label whose truth is all 0 or all 1 has no AUROC;
 * a label whose truth is all 0 has no average precision. Micro values pool all N x K (truth, probability) cells into
 * one binary problem; micro AUROC is NaN when every cell has the same truth, micro average precision when no cell is
 * positive.
 *
 * <p>Relation to scikit-learn 1.2: per-label values equal {@code roc_auc_score(Y, P, average=None)} and
 * {@code average_precision_score(Y, P, average=None)}, and the micro values equal {@code average='micro'}. For
 * macro AUROC scikit-learn raises an error when any label has one class; here such labels are excluded. For macro
 * average precision scikit-learn counts a label with no positive as 0 (with a warning); here it is excluded.
 *
 * @param labelNames the K label names in column order
 * @param samples number of samples N
 * @param labels per-label scores in column order
 * @param macroAuroc mean AUROC over labels where it is defined; NaN when none is
 * @param macroAveragePrecision mean average precision over labels where it is defined; NaN when none is
 * @param microAuroc AUROC of all cells pooled
 * @param microAveragePrecision average precision of all cells pooled
 * @param aurocExcluded names of labels left out of the macro AUROC (truth all 0 or all 1)
 * @param averagePrecisionExcluded names of labels left out of the macro average precision (truth all 0)
 */
public record MultiLabelMetrics(List<String> labelNames, int samples, List<LabelScores> labels, double macroAuroc,
    double macroAveragePrecision, double microAuroc, double microAveragePrecision, List<String> aurocExcluded,
    List<String> averagePrecisionExcluded) {

  /** Copies the lists so the record stays immutable. */
  public MultiLabelMetrics {
    labelNames = List.copyOf(labelNames);
    labels = List.copyOf(labels);
    aurocExcluded = List.copyOf(aurocExcluded);
    averagePrecisionExcluded = List.copyOf(averagePrecisionExcluded);
  }

  /**
   * Computes every metric from a 0/1 integer truth matrix.
   *
   * @param truth N rows of K values, each 0 or 1
   * @param probabilities N rows of K label probabilities (any non-NaN scores; higher = more likely present)
   * @param labelNames the K label names, distinct
   * @throws MedvisionException if a truth value is not 0 or 1, or the inputs break a rule of
   *     {@link #compute(boolean[][], float[][], List)}
   */
  public static MultiLabelMetrics compute(int[][] truth, float[][] probabilities, List<String> labelNames) {
    boolean[][] present = new boolean[truth.length][];
    for (int i = 0; i < truth.length; i++) {
      present[i] = new boolean[truth[i].length];
      for (int k = 0; k < truth[i].length; k++) {
        if (truth[i][k] != 0 && truth[i][k] != 1) {
          throw new MedvisionException("multi-label metrics: truth of sample " + i + ", label " + k + " is "
              + truth[i][k] + ", expected 0 or 1");
        }
        present[i][k] = truth[i][k] == 1;
      }
    }
    return compute(present, probabilities, labelNames);
  }

  /**
   * Computes every metric.
   *
   * @param truth N rows of K flags, true where the label is present
   * @param probabilities N rows of K label probabilities (any non-NaN scores; higher = more likely present)
   * @param labelNames the K label names, distinct
   * @throws MedvisionException if there are no samples or labels, the row counts differ, a row does not have K
   *     values, a probability is NaN, or the names are null or repeated
   */
  public static MultiLabelMetrics compute(boolean[][] truth, float[][] probabilities, List<String> labelNames) {
    int k = checkNames(labelNames);
    int n = truth.length;
    if (n == 0 || n != probabilities.length) {
      throw new MedvisionException("multi-label metrics: need the same non-zero number of truth and probability"
          + " rows, got " + n + " and " + probabilities.length);
    }
    int cells = Math.multiplyExact(n, k);
    double[] pooledScores = new double[cells];
    boolean[] pooledTruth = new boolean[cells];
    for (int i = 0; i < n; i++) {
      if (truth[i].length != k || probabilities[i].length != k) {
        throw new MedvisionException("multi-label metrics: sample " + i + " has " + truth[i].length
            + " truth values and " + probabilities[i].length + " probabilities, expected " + k);
      }
      for (int j = 0; j < k; j++) {
        pooledScores[i * k + j] = probabilities[i][j];
        pooledTruth[i * k + j] = truth[i][j];
      }
    }
    List<LabelScores> scores = new ArrayList<>(k);
    List<String> aurocExcluded = new ArrayList<>();
    List<String> apExcluded = new ArrayList<>();
    double aurocSum = 0;
    double apSum = 0;
    for (int j = 0; j < k; j++) {
      double[] column = new double[n];
      boolean[] present = new boolean[n];
      long positives = 0;
      for (int i = 0; i < n; i++) {
        column[i] = probabilities[i][j];
        present[i] = truth[i][j];
        positives += present[i] ? 1 : 0;
      }
      LabelScores s = new LabelScores(labelNames.get(j), positives, n - positives, RankAuc.auroc(column, present),
          PrecisionRecallCurve.of(column, present).averagePrecision());
      scores.add(s);
      if (Double.isNaN(s.auroc())) {
        aurocExcluded.add(s.name());
      } else {
        aurocSum += s.auroc();
      }
      if (Double.isNaN(s.averagePrecision())) {
        apExcluded.add(s.name());
      } else {
        apSum += s.averagePrecision();
      }
    }
    return new MultiLabelMetrics(labelNames, n, scores, mean(aurocSum, k - aurocExcluded.size()),
        mean(apSum, k - apExcluded.size()), RankAuc.auroc(pooledScores, pooledTruth),
        PrecisionRecallCurve.of(pooledScores, pooledTruth).averagePrecision(), aurocExcluded, apExcluded);
  }

  private static double mean(double sum, int count) {
    return count == 0 ? Double.NaN : sum / count;
  }

  private static int checkNames(List<String> labelNames) {
    if (labelNames.isEmpty()) {
      throw new MedvisionException("multi-label metrics: need at least one label name");
    }
    Set<String> seen = new HashSet<>();
    for (String name : labelNames) {
      if (name == null || !seen.add(name)) {
        throw new MedvisionException("multi-label metrics: label names must be distinct and non-null, got "
            + labelNames);
      }
    }
    return labelNames.size();
  }

  /**
   * JSON-friendly view: {@code labels, samples, macro {auroc, averagePrecision, aurocExcluded,
   * averagePrecisionExcluded}, micro {auroc, averagePrecision}, perLabel}; NaN as null.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("labels", labelNames);
    m.put("samples", samples);
    Map<String, Object> macro = new LinkedHashMap<>();
    macro.put("auroc", JsonValues.number(macroAuroc));
    macro.put("averagePrecision", JsonValues.number(macroAveragePrecision));
    macro.put("aurocExcluded", aurocExcluded);
    macro.put("averagePrecisionExcluded", averagePrecisionExcluded);
    m.put("macro", macro);
    Map<String, Object> micro = new LinkedHashMap<>();
    micro.put("auroc", JsonValues.number(microAuroc));
    micro.put("averagePrecision", JsonValues.number(microAveragePrecision));
    m.put("micro", micro);
    Map<String, Object> perLabel = new LinkedHashMap<>();
    for (LabelScores s : labels) {
      perLabel.put(s.name(), s.toMap());
    }
    m.put("perLabel", perLabel);
    return m;
  }
}
