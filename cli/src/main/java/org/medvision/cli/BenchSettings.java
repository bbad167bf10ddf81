package org.medvision.cli;

import java.util.List;
import org.medvision.api.engine.CompileOptions;

/**
 * What every bench mode shares: the batch sizes, the untimed and timed passes per batch size, the size of the peak
 * GEMM (0 skips it), how engines compile, and how many caller threads share the compiled model (inference only; each
 * caller runs the warm-up and timed passes).
 */
record BenchSettings(List<Integer> batches, int warmup, int iterations, int peakSize, CompileOptions options,
    int concurrency) {
  /** Copies the batch list. */
  BenchSettings {
    batches = List.copyOf(batches);
  }
}
