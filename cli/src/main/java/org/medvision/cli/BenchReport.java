package org.medvision.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.medvision.api.graph.GraphStats;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.task.Task;
import org.medvision.api.tensor.Shape;
import org.medvision.api.weights.Weights;

/**
 * What every bench report starts with, as text lines or JSON fields: the model and what one example is, the device,
 * the weights, the passes, and per engine its version, GEMM peak and phase peak memory.
 */
final class BenchReport {
  private BenchReport() {}

  /** The header lines up to the passes line. */
  static void header(PrintStream out, Task task, GraphStats stats, BenchSettings settings, Weights weights,
      String passes) {
    out.println("model      " + TaskOptions.describe(task) + ", " + Formats.millions(stats.parameters())
        + " parameters, " + Formats.giga(stats.multiplyAdds()) + " multiply-adds per example (forward)");
    out.println("example    " + example(task));
    out.println("device     " + settings.options().device() + ", threads "
        + (settings.options().threads() == 0 ? "engine default" : settings.options().threads()) + ", "
        + Runtime.getRuntime().availableProcessors() + " cores visible");
    out.println("weights    " + weights.source());
    out.println("passes     " + passes);
  }

  /** One line per engine: version, GEMM peak and phase peak RSS. */
  static void engines(PrintStream out, List<? extends EnginePhase<?>> runs, int peakSize) {
    for (EnginePhase<?> e : runs) {
      out.println("engine     " + e.engine() + " (" + e.version() + "): peak " + (Double.isNaN(e.peak())
          ? "not measured (--peak-size 0)" : Formats.fixed(e.peak(), 1) + " GFLOP/s float32 (best of chained "
          + peakSize + "x" + peakSize + " GEMMs, before and after)") + ", phase peak RSS "
          + Formats.mebibytes(e.phasePeakRss()) + " MiB" + (e.phaseReset() ? "" : " (not reset: since process start)"));
    }
  }

  /** What one example is: each graph input's shape without the batch axis, e.g. {@code ct 1x32x64x64}. */
  static String example(Task task) {
    List<String> parts = new ArrayList<>();
    for (ValueInfo in : task.graph().inputs()) {
      long[] d = in.shape().dims();
      StringBuilder sb = new StringBuilder(in.name()).append(' ');
      for (int i = 1; i < d.length; i++) {
        sb.append(i > 1 ? "x" : "").append(d[i] == Shape.DYNAMIC ? "?" : Long.toString(d[i]));
      }
      parts.add(sb.toString().trim());
    }
    return String.join(", ", parts);
  }

  /** {@code gflops} as a percentage of the engine's peak, or {@code n/a} when the peak was not measured. */
  static String percentOfPeak(EnginePhase<?> e, double gflops) {
    return Double.isNaN(e.peak()) ? "n/a" : Formats.fixed(e.percentOfPeak(gflops), 1);
  }

  /** A difference in scientific notation, e.g. {@code 2.98e-08}. */
  static String scientific(double v) {
    return String.format(Locale.ROOT, "%.2e", v);
  }

  /** The JSON fields every mode shares, without the engines. */
  static Map<String, Object> json(String mode, Task task, GraphStats stats, BenchSettings settings,
      Weights weights) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mode", mode);
    m.put("task", task.name());
    m.put("config", TasksCommand.config(task.config()));
    m.put("example", example(task));
    m.put("parameters", stats.parameters());
    m.put("multiplyAddsPerExample", stats.multiplyAdds());
    m.put("device", settings.options().device().toString());
    m.put("threads", settings.options().threads());
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("weights", weights.source());
    m.put("warmup", settings.warmup());
    m.put("iterations", settings.iterations());
    m.put("concurrency", settings.concurrency());
    m.put("peakGemmSize", settings.peakSize());
    return m;
  }

  /** The engines as JSON objects, each row made by {@code row} from its engine's phase and the row. */
  static <R> List<Object> jsonEngines(List<EnginePhase<R>> runs,
      BiFunction<EnginePhase<R>, R, Map<String, Object>> row) {
    List<Object> engines = new ArrayList<>();
    for (EnginePhase<R> run : runs) {
      Map<String, Object> e = jsonEngine(run);
      List<Object> rows = new ArrayList<>();
      for (R r : run.rows()) {
        rows.add(row.apply(run, r));
      }
      e.put("results", rows);
      engines.add(e);
    }
    return engines;
  }

  /** An engine's fields without its rows. */
  static Map<String, Object> jsonEngine(EnginePhase<?> run) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("engine", run.engine());
    e.put("engineVersion", run.version());
    e.put("peakGflops", run.peak());
    e.put("phasePeakRssBytes", run.phasePeakRss());
    e.put("phasePeakRssReset", run.phaseReset());
    return e;
  }
}
