package org.medvision.cli;

import java.util.Arrays;

/** Summary of timed iterations: mean and percentiles (nearest-rank) in milliseconds. */
record LatencyStats(double meanMs, double p50Ms, double p90Ms, double p99Ms) {
  /** Summarises durations in nanoseconds; at least one. */
  static LatencyStats of(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    double sum = 0;
    for (long n : sorted) {
      sum += n;
    }
    return new LatencyStats(sum / sorted.length / 1e6, percentile(sorted, 50) / 1e6, percentile(sorted, 90) / 1e6,
        percentile(sorted, 99) / 1e6);
  }

  /** Nearest-rank percentile of sorted values: the smallest value with at least p% of values at or below it. */
  static long percentile(long[] sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
