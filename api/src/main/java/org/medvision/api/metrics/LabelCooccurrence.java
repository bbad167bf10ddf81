package org.medvision.api.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.MedvisionException;

/**
 * How often labels of a multi-label truth occur together: for labels a and b the number of samples where both are
 * present, so the diagonal holds each label's count. Symmetric by construction.
 */
public final class LabelCooccurrence {
  private final List<String> labels;
  private final long[][] counts;
  private final int samples;
  private final int withoutLabel;

  private LabelCooccurrence(List<String> labels, long[][] counts, int samples, int withoutLabel) {
    this.labels = labels;
    this.counts = counts;
    this.samples = samples;
    this.withoutLabel = withoutLabel;
  }

  /**
   * The co-occurrence counts of {@code truth}.
   *
   * @param truth N rows of K flags, true where the label is present
   * @param labelNames the K label names
   * @throws MedvisionException if a row does not have K flags
   */
  public static LabelCooccurrence of(boolean[][] truth, List<String> labelNames) {
    int k = labelNames.size();
    long[][] counts = new long[k][k];
    int none = 0;
    int[] present = new int[k];
    for (int i = 0; i < truth.length; i++) {
      if (truth[i].length != k) {
        throw new MedvisionException("label co-occurrence: sample " + i + " has " + truth[i].length
            + " truth values, expected " + k);
      }
      int m = 0;
      for (int j = 0; j < k; j++) {
        if (truth[i][j]) {
          present[m++] = j;
        }
      }
      none += m == 0 ? 1 : 0;
      for (int a = 0; a < m; a++) {
        for (int b = 0; b < m; b++) {
          counts[present[a]][present[b]]++;
        }
      }
    }
    return new LabelCooccurrence(List.copyOf(labelNames), counts, truth.length, none);
  }

  /** The label names, in column order. */
  public List<String> labels() {
    return labels;
  }

  /** Samples where labels {@code a} and {@code b} (indices) are both present; {@code a == b} gives a's count. */
  public long count(int a, int b) {
    return counts[a][b];
  }

  /** Number of samples counted. */
  public int samples() {
    return samples;
  }

  /** Samples where no label is present. */
  public int withoutLabel() {
    return withoutLabel;
  }

  /** Indices of the labels present in at least one sample, in column order. */
  public List<Integer> presentLabels() {
    List<Integer> out = new ArrayList<>();
    for (int j = 0; j < labels.size(); j++) {
      if (counts[j][j] > 0) {
        out.add(j);
      }
    }
    return out;
  }

  /** JSON-friendly view: {@code labels}, {@code samples}, {@code withoutLabel} and the K x K {@code counts}. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("labels", labels);
    m.put("samples", samples);
    m.put("withoutLabel", withoutLabel);
    List<List<Long>> rows = new ArrayList<>();
    for (long[] row : counts) {
      List<Long> r = new ArrayList<>(row.length);
      for (long c : row) {
        r.add(c);
      }
      rows.add(r);
    }
    m.put("counts", rows);
    return m;
  }
}
