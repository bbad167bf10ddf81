package org.medvision.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.graph.GraphStats;
import org.medvision.api.task.Task;
import org.medvision.api.weights.Weights;

/** Prints inference measurements ({@link InferenceBench}) as a table or JSON. */
final class InferenceReport {
  private InferenceReport() {}

  static void text(PrintStream out, Task task, GraphStats stats, BenchSettings settings, Weights weights,
      List<EnginePhase<InferenceBench.Row>> runs) {
    BenchReport.header(out, task, stats, settings, weights, settings.warmup() + " warm-up + "
        + settings.iterations() + " timed per batch size" + (settings.concurrency() > 1 ? " and caller, "
        + settings.concurrency() + " callers at once on one compiled model" : "")
        + "; same seeded inputs on every engine");
    BenchReport.engines(out, runs, settings.peakSize());
    out.println();
    Table t = new Table("engine", "batch", "callers", "examples/s", "ms/batch", "p50", "p90", "p99", "ms/example",
        "peak RSS MiB", "heap MiB", "GFLOP/s", "% peak", "overhead %", "max |diff|");
    for (EnginePhase<InferenceBench.Row> e : runs) {
      for (InferenceBench.Row r : e.rows()) {
        t.row(e.engine(), r.batch(), r.callers(), Formats.fixed(r.examplesPerSecond(), 2),
            Formats.fixed(r.perBatch().meanMs(), 2), Formats.fixed(r.perBatch().p50Ms(), 2),
            Formats.fixed(r.perBatch().p90Ms(), 2), Formats.fixed(r.perBatch().p99Ms(), 2),
            Formats.fixed(r.perBatch().meanMs() / r.batch(), 2), Formats.mebibytes(r.peakRss()),
            Formats.mebibytes(r.peakHeap()), Formats.fixed(r.gflops(), 1), BenchReport.percentOfPeak(e, r.gflops()),
            Formats.fixed(r.overheadPercent(), 2),
            Double.isNaN(r.maxDiff()) ? "reference" : BenchReport.scientific(r.maxDiff()));
      }
    }
    t.print(out);
    out.println();
    out.println("max |diff| = largest absolute difference of the first output from " + runs.get(0).engine()
        + "'s at the same batch; peak RSS = VmHWM of that batch's passes (reset before each batch); "
        + "GFLOP/s = 2 x multiply-adds x examples/s." + (settings.concurrency() > 1 ? " With several callers, "
        + "examples/s is all callers' timed examples / timed wall time and the latencies are every caller's passes."
        : ""));
    out.println("overhead = (preprocessing + input tensor creation + output reading) / time inside "
        + "CompiledModel.run, over all timed passes; per-pass means, and the median pass's overhead (what a pass "
        + "costs when no stall from a loaded machine or a garbage collection lands in it):");
    for (EnginePhase<InferenceBench.Row> e : runs) {
      for (InferenceBench.Row r : e.rows()) {
        out.println("  " + e.engine() + " batch " + r.batch() + ": pre " + Formats.fixed(r.preMs(), 3) + " ms, run "
            + Formats.fixed(r.runMs(), 3) + " ms, post " + Formats.fixed(r.postMs(), 3) + " ms; median pass "
            + Formats.fixed(r.overheadP50Percent(), 2) + "%");
      }
    }
  }

  static Map<String, Object> json(Task task, GraphStats stats, BenchSettings settings, Weights weights,
      List<EnginePhase<InferenceBench.Row>> runs) {
    Map<String, Object> m = BenchReport.json("inference", task, stats, settings, weights);
    m.put("reference", runs.get(0).engine());
    m.put("engines", BenchReport.jsonEngines(runs, InferenceReport::row));
    return m;
  }

  private static Map<String, Object> row(EnginePhase<InferenceBench.Row> e, InferenceBench.Row r) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("batch", r.batch());
    row.put("callers", r.callers());
    row.put("meanMsPerBatch", r.perBatch().meanMs());
    row.put("p50MsPerBatch", r.perBatch().p50Ms());
    row.put("p90MsPerBatch", r.perBatch().p90Ms());
    row.put("p99MsPerBatch", r.perBatch().p99Ms());
    row.put("meanMsPerExample", r.perBatch().meanMs() / r.batch());
    row.put("p50MsPerExample", r.perBatch().p50Ms() / r.batch());
    row.put("p90MsPerExample", r.perBatch().p90Ms() / r.batch());
    row.put("p99MsPerExample", r.perBatch().p99Ms() / r.batch());
    row.put("examplesPerSecond", r.examplesPerSecond());
    row.put("peakRssBytes", r.peakRss());
    row.put("peakHeapBytes", r.peakHeap());
    row.put("achievedGflops", r.gflops());
    row.put("percentOfPeak", e.percentOfPeak(r.gflops()));
    row.put("preprocessMs", r.preMs());
    row.put("runMs", r.runMs());
    row.put("postprocessMs", r.postMs());
    row.put("overheadPercent", r.overheadPercent());
    row.put("overheadPercentP50", r.overheadP50Percent());
    row.put("maxAbsDiffFromReference", Double.isNaN(r.maxDiff()) ? null : r.maxDiff());
    return row;
  }
}
