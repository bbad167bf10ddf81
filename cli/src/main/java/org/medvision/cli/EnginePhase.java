package org.medvision.cli;

import java.util.List;
import org.medvision.api.embed.Medvision;
import org.medvision.api.engine.Engine;

/**
 * One engine's part of a bench run: the engine, its measured GEMM peak, the memory high-water mark of its phase and
 * the rows measured on it.
 *
 * @param peak float32 GFLOP/s of chained GEMMs on this engine (best before and after the measurements), NaN when not
 *     measured
 * @param phasePeakRss VmHWM at the end of the phase, -1 where unknown
 * @param phaseReset whether the high-water mark could be reset when the phase began
 * @param <R> the rows
 */
record EnginePhase<R>(String engine, String version, double peak, long phasePeakRss, boolean phaseReset,
    List<R> rows) {
  /** Copies the rows. */
  EnginePhase {
    rows = List.copyOf(rows);
  }

  /** The measurements of one phase on an open engine. */
  interface Work<R> {
    List<R> run(Engine engine, PhaseMemory memory);
  }

  /**
   * Loads engine {@code name}, measures its peak, runs {@code work} on it, measures the peak again and closes it.
   * The peak is measured on both sides because on a shared host one noisy measurement can understate it; the best of
   * both is the honest ceiling.
   */
  static <R> EnginePhase<R> measure(Medvision mv, String name, BenchSettings settings, CommandContext ctx,
      Work<R> work) {
    PhaseMemory memory = new PhaseMemory();
    try (Engine engine = mv.engine(name)) {
      double peak = PeakFlops.best(engine, settings.options(), settings.peakSize(), ctx, name + ", before");
      List<R> rows = work.run(engine, memory);
      peak = Math.max(peak, PeakFlops.best(engine, settings.options(), settings.peakSize(), ctx, name + ", after"));
      return new EnginePhase<>(name, engine.version(), peak, memory.peak(), memory.wasReset(), rows);
    }
  }

  /** {@code gflops} as a percentage of this engine's peak, NaN when the peak was not measured. */
  double percentOfPeak(double gflops) {
    return 100 * gflops / peak;
  }
}
