package org.medvision.cli;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.medvision.api.graph.GraphStats;
import org.medvision.api.task.Task;
import org.medvision.api.weights.Weights;
import org.medvision.train.TrainerConfig;

/** Prints training-step measurements ({@link TrainingBench}) as a table or JSON. */
final class TrainingReport {
  /** The FLOP convention, printed under the table and in the help. */
  static final String CONVENTION = "GFLOP/s of a training step = " + TrainingBench.PASSES_PER_STEP
      + " x 2 x forward multiply-adds x examples/s (forward, input gradients and weight gradients each count as one "
      + "forward pass; normalisation, activations and the optimiser update are not counted)";

  private TrainingReport() {}

  static void text(PrintStream out, Task task, GraphStats stats, BenchSettings settings, Weights weights,
      TrainerConfig config, List<EnginePhase<TrainingBench.Row>> runs) {
    BenchReport.header(out, task, stats, settings, weights, settings.warmup() + " warm-up + "
        + settings.iterations() + " timed training steps per batch size, a fresh session each; same seeded batch "
        + "on every engine");
    out.println("optimizer  " + optimizer(config));
    BenchReport.engines(out, runs, settings.peakSize());
    out.println();
    Table t = new Table("engine", "batch", "examples/s", "ms/step", "p50", "p90", "ms/example", "peak RSS MiB",
        "heap MiB", "GFLOP/s", "% peak", "first loss", "last loss");
    for (EnginePhase<TrainingBench.Row> e : runs) {
      for (TrainingBench.Row r : e.rows()) {
        t.row(e.engine(), r.batch(), Formats.fixed(r.examplesPerSecond(), 2), Formats.fixed(r.perStep().meanMs(), 1),
            Formats.fixed(r.perStep().p50Ms(), 1), Formats.fixed(r.perStep().p90Ms(), 1),
            Formats.fixed(r.perStep().meanMs() / r.batch(), 1), Formats.mebibytes(r.peakRss()),
            Formats.mebibytes(r.peakHeap()), Formats.fixed(r.gflops(), 1), BenchReport.percentOfPeak(e, r.gflops()),
            Formats.fixed(r.firstLoss(), 4), Formats.fixed(r.lastLoss(), 4));
      }
    }
    t.print(out);
    out.println();
    out.println(CONVENTION + ".");
    out.println("peak RSS = VmHWM from opening the batch size's training session to its last step (parameters, "
        + "gradients, optimiser state and activations); a step = feeds + forward/backward + loss terms + update.");
  }

  static Map<String, Object> json(Task task, GraphStats stats, BenchSettings settings, Weights weights,
      TrainerConfig config, List<EnginePhase<TrainingBench.Row>> runs) {
    Map<String, Object> m = BenchReport.json("training", task, stats, settings, weights);
    m.put("optimizer", optimizer(config));
    m.put("flopConvention", CONVENTION);
    m.put("engines", BenchReport.jsonEngines(runs, TrainingReport::row));
    return m;
  }

  private static String optimizer(TrainerConfig config) {
    return String.format(Locale.ROOT, "%s, lr %s, weight decay %s%s, precision %s (as train would use them)",
        config.optimizer().name().toLowerCase(Locale.ROOT), plain(config.learningRate()), plain(config.weightDecay()),
        config.clipNorm() > 0 ? ", clip norm " + plain(config.clipNorm()) : "",
        config.precision().name().toLowerCase(Locale.ROOT));
  }

  /** {@code 1.0E-4} as {@code 0.0001}, {@code 1.0} as {@code 1}. */
  private static String plain(double v) {
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  private static Map<String, Object> row(EnginePhase<TrainingBench.Row> e, TrainingBench.Row r) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("batch", r.batch());
    row.put("meanMsPerStep", r.perStep().meanMs());
    row.put("p50MsPerStep", r.perStep().p50Ms());
    row.put("p90MsPerStep", r.perStep().p90Ms());
    row.put("meanMsPerExample", r.perStep().meanMs() / r.batch());
    row.put("examplesPerSecond", r.examplesPerSecond());
    row.put("peakRssBytes", r.peakRss());
    row.put("peakHeapBytes", r.peakHeap());
    row.put("achievedGflops", r.gflops());
    row.put("percentOfPeak", e.percentOfPeak(r.gflops()));
    row.put("firstLoss", r.firstLoss());
    row.put("lastLoss", r.lastLoss());
    return row;
  }
}
