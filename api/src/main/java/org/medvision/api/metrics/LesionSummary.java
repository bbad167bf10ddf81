package org.medvision.api.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.medvision.api.MedvisionException;

/**
 * Lesion-wise detection over a set of scans: counts pooled over scans, so recall and precision weight every lesion
 * equally (not every scan), and false positives per scan averaged over all scans, lesion-free ones included.
 *
 * @param scans number of scans
 * @param total counts summed over the scans
 */
public record LesionSummary(int scans, LesionCounts total) {

  /** Rejects a summary of no scans, whose false positives per scan would be undefined. */
  public LesionSummary {
    if (scans < 1) {
      throw new MedvisionException("lesion summary: no scans");
    }
    Objects.requireNonNull(total, "total");
  }

  /**
   * Pools per-scan counts.
   *
   * @throws MedvisionException if there is no scan
   */
  public static LesionSummary of(List<LesionCounts> perScan) {
    LesionCounts total = LesionCounts.EMPTY;
    for (LesionCounts c : perScan) {
      total = total.plus(c);
    }
    return new LesionSummary(perScan.size(), total);
  }

  /** Pooled lesion recall (sensitivity); NaN when no scan has a true lesion. */
  public double recall() {
    return total.recall();
  }

  /** Pooled lesion precision; NaN when no lesion was predicted in any scan. */
  public double precision() {
    return total.precision();
  }

  /** Mean number of unmatched predicted lesions per scan. */
  public double falsePositivesPerScan() {
    return (double) total.falsePositives() / scans;
  }

  /** JSON-friendly view: {@code scans}, the pooled counts, {@code falsePositivesPerScan}; NaN as null. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scans", scans);
    m.putAll(total.toMap());
    m.put("falsePositivesPerScan", falsePositivesPerScan());
    return m;
  }
}
