package org.medvision.api.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.medvision.api.MedvisionException;

/**
 * The threshold-dependent scores of one label of a multi-label problem: the label is called present at a fixed
 * threshold (the task's, e.g. 0.5), and at the threshold that maximises its F1 on these data
 * ({@link BinaryMetrics#bestF1}).
 *
 * @param name label name
 * @param atThreshold counts and scores with the label called present where its probability is {@code >=} the fixed
 *     threshold
 * @param bestF1 counts and scores at the F1-maximising threshold; empty when no sample has the label
 */
public record LabelOperatingPoints(String name, BinaryMetrics atThreshold, Optional<BinaryMetrics> bestF1) {

  /**
   * The operating points of every label.
   *
   * @param truth N rows of K flags, true where the label is present
   * @param probabilities N rows of K label probabilities
   * @param labelNames the K label names
   * @param threshold the fixed threshold, not NaN
   * @throws MedvisionException if there are no samples, a row does not have K values, or a probability or the
   *     threshold is NaN
   */
  public static List<LabelOperatingPoints> compute(boolean[][] truth, float[][] probabilities,
      List<String> labelNames, double threshold) {
    int n = truth.length;
    int k = labelNames.size();
    if (n == 0 || n != probabilities.length) {
      throw new MedvisionException("label operating points: need the same non-zero number of truth and"
          + " probability rows, got " + n + " and " + probabilities.length);
    }
    List<LabelOperatingPoints> out = new ArrayList<>(k);
    for (int j = 0; j < k; j++) {
      boolean[] present = new boolean[n];
      double[] scores = new double[n];
      for (int i = 0; i < n; i++) {
        if (truth[i].length != k || probabilities[i].length != k) {
          throw new MedvisionException("label operating points: sample " + i + " has " + truth[i].length
              + " truth values and " + probabilities[i].length + " probabilities, expected " + k);
        }
        present[i] = truth[i][j];
        scores[i] = probabilities[i][j];
      }
      out.add(new LabelOperatingPoints(labelNames.get(j), BinaryMetrics.of(present, scores, threshold),
          BinaryMetrics.bestF1(present, scores)));
    }
    return out;
  }

  /** Samples where the label is present. */
  public long positives() {
    return atThreshold.positives();
  }

  /** The fraction of samples where the label is present. */
  public double prevalence() {
    return (double) atThreshold.positives() / atThreshold.samples();
  }

  /**
   * JSON-friendly view: {@code positives}, {@code prevalence}, {@code atThreshold} and {@code bestF1} (each
   * {@link BinaryMetrics#toMap()}; {@code bestF1} null when empty).
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("positives", positives());
    m.put("prevalence", prevalence());
    m.put("atThreshold", atThreshold.toMap());
    m.put("bestF1", bestF1.map(BinaryMetrics::toMap).orElse(null));
    return m;
  }
}
