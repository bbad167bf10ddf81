package org.medvision.runtime.batch;

import java.util.Locale;

/**
 * What a batch job did.
 *
 * @param predicted rows with a prediction written in this run
 * @param failed error rows written in this run (unreadable inputs, failed predictions)
 * @param skipped inputs already in the output folder from an earlier run, not predicted again
 * @param failedBefore error rows the output folder held from earlier runs
 * @param duplicates inputs whose id came up again in this run (e.g. a manifest naming a file twice), left out
 * @param parts part files written in this run (per format)
 * @param seconds wall time of the run
 * @param workers workers that predicted
 * @param sharing how they got their model
 */
public record BatchSummary(long predicted, long failed, long skipped, long failedBefore, long duplicates, int parts,
    double seconds, int workers, ModelSharing sharing) {
  /** Error rows in the output folder after this run: this run's and earlier runs'. */
  public long failedInAll() {
    return failed + failedBefore;
  }

  /** Rows per second written in this run. */
  public double rowsPerSecond() {
    return seconds > 0 ? (predicted + failed) / seconds : 0;
  }

  /**
   * e.g. {@code 998 predicted, 2 failed, 0 skipped (done before) in 12.3 s (81.3 inputs/s, 2 workers, shared)}; a
   * resumed run adds the error rows the earlier runs wrote.
   */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%d predicted, %d failed, %d skipped (done before%s)%s in %.1f s (%.1f "
        + "inputs/s, %d worker%s, %s model)", predicted, failed, skipped, failedBefore > 0 ? "; "
        + failedBefore + " error row" + (failedBefore == 1 ? "" : "s") + " from then" : "", duplicates > 0 ? ", " + duplicates + " duplicate ids" : "", seconds,
        rowsPerSecond(), workers, workers == 1 ? "" : "s",
        sharing == ModelSharing.SHARED ? "shared" : "per-worker");
  }
}
