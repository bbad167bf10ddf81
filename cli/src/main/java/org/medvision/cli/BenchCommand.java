package org.medvision.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.medvision.api.MedvisionException;
import org.medvision.api.embed.Medvision;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.GraphStats;
import org.medvision.api.task.Task;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;
import org.medvision.runtime.ModelSource;

/**
 * {@code medvision bench}: latency, throughput, memory and achieved FLOP rate of a task model on one or several
 * engines in one process, beside each engine's measured float32 peak on this machine and the largest difference of
 * each engine's outputs from the first engine's.
 */
public final class BenchCommand implements Command {
  private final Provider<Medvision> medvision;

  /** A command building tasks and engines from {@code medvision}. */
  @Inject
  public BenchCommand(Provider<Medvision> medvision) {
    this.medvision = medvision;
  }

  @Override
  public String name() {
    return "bench";
  }

  @Override
  public String summary() {
    return "measure latency, throughput, memory and FLOP rate on one or all engines against the machine's peak";
  }

  @Override
  public String description() {
    return "Compiles the model once per engine (seeded random weights unless --weights) and, per batch size, times "
        + "--warmup untimed and --iterations timed passes. --engine takes one name, a comma list or 'all'; the "
        + "engines run one after another in this process, on the same model, weights and seeded synthetic "
        + "grayscale images, and each engine's outputs are compared with the first engine's (max |diff|). Each "
        + "pass is the whole inference path on images already in memory: preprocessing into input tensors, the "
        + "engine run, and reading the logits into probabilities. Reported per engine and batch: mean, p50 "
        + "(median) and p90 latency per batch and per image, images/s, peak resident memory of the batch "
        + "(VmHWM, native engine memory included, reset before each batch) and peak Java heap, achieved GFLOP/s "
        + "(2 x multiply-adds x images/s) and its share of the float32 peak measured by running a chain of square "
        + "GEMMs on the same engine (best of several runs, before and after), and the framework overhead: time "
        + "outside the engine run as a percentage of the time inside it. Per engine also the peak resident memory "
        + "of its whole phase (loading, peak GEMMs, compiling, all batches): the kernel's high-water mark is reset "
        + "before the engine is created (writing 5 to /proc/self/clear_refs, where permitted), so it counts what "
        + "this engine adds on top of what the process already holds resident, including native libraries earlier "
        + "engines left mapped.";
  }

  @Override
  public List<String> examples() {
    return List.of("bench --task strokenext --variant tiny --engine onnx --batch 1,8",
        "bench --task strokenext --variant tiny --engine all --batch 1,8",
        "bench --task strokenext --variant atto --image-size 96 --engine onnx,tensorflow --batch 1,4 "
            + "--iterations 20 --threads 2 --json");
  }

  @Override
  public Options options() {
    Options o = EngineOptions.add(ModelOptions.add(TaskOptions.add(new Options(), medvision.get()), true));
    o.getOption("engine").setDescription("engine to run on, a comma list of engines (onnx,tensorflow) or 'all'; "
        + "'medvision engines' lists them (default: " + EngineOptions.DEFAULT_ENGINE + ")");
    return o.addOption(Args.valued("batch", "LIST", "comma-separated batch sizes (default: 1,8)"))
        .addOption(Args.valued("warmup", "N", "untimed passes per batch size (default: 3)"))
        .addOption(Args.valued("iterations", "N", "timed passes per batch size (default: 10)"))
        .addOption(Args.valued("peak-size", "N", "matrix size of the peak GEMM measurement; 0 skips it "
            + "(default: 2048)"))
        .addOption(Args.flag("json", "print JSON instead of a table"));
  }

  /** One batch size's measurements on one engine; {@code maxDiff} is NaN for the reference (first) engine. */
  record Row(int batch, LatencyStats perBatch, double imagesPerSecond, long peakRss, long peakHeap,
      long macsPerImage, double gflops, double overheadPercent, double runMs, double preMs, double postMs,
      double maxDiff) {}

  /**
   * One engine's phase.
   *
   * @param phasePeakRss VmHWM at the end of the phase, -1 where unknown
   * @param phaseReset whether the high-water mark could be reset when the phase began
   */
  record EngineRun(String engine, String version, double peak, long phasePeakRss, boolean phaseReset,
      List<Row> rows) {}

  /** A row plus the outputs of its last pass, for comparing engines. */
  private record Measured(Row row, float[] output) {}

  @Override
  public int run(CommandLine line, CommandContext ctx) {
    List<Integer> batches = Args.integers(line, "batch", "1,8", 1);
    int warmup = Args.integer(line, "warmup", 3, 0);
    int iterations = Args.integer(line, "iterations", 10, 1);
    int peakSize = Args.integer(line, "peak-size", 2048, 0);
    CompileOptions options = EngineOptions.compileOptions(line);
    Medvision mv = medvision.get();
    List<String> engines = EngineSelection.names(EngineOptions.engineName(line), mv);
    ModelSource model = ModelOptions.load(line, mv, true, ctx.err());
    if (model.isEnsemble()) {
      throw new UsageException("bench runs one model; give one member of ensemble " + model.file());
    }
    Task task = model.task();
    Weights weights = model.members().get(0).weights();
    GraphStats stats = GraphStats.of(task.graph(), 1);
    long fixed = task.graph().inputs().get(0).shape().dim(0);
    if (fixed > 0 && batches.stream().anyMatch(b -> b != fixed)) {
      throw new UsageException("this graph has a fixed batch of " + fixed + "; use --batch " + fixed);
    }
    List<EngineRun> runs = new ArrayList<>();
    Map<Integer, float[]> reference = new LinkedHashMap<>();
    for (String name : engines) {
      runs.add(benchEngine(mv, name, task, weights, options, batches, warmup, iterations, peakSize,
          stats.multiplyAdds(), reference, ctx));
    }
    if (line.hasOption("json")) {
      ctx.out().println(Json.write(json(task, stats, options, peakSize, runs, warmup, iterations, weights)));
    } else {
      text(ctx.out(), task, stats, options, peakSize, runs, warmup, iterations, weights);
    }
    return ExitCodes.OK;
  }

  /**
   * Loads one engine, measures it and closes it. The first engine's outputs become {@code reference}; later
   * engines are compared with them.
   */
  private static EngineRun benchEngine(Medvision mv, String name, Task task, Weights weights,
      CompileOptions options, List<Integer> batches, int warmup, int iterations, int peakSize, long macs,
      Map<Integer, float[]> reference, CommandContext ctx) {
    boolean reset = ProcessMemory.resetPeaks();
    long phasePeak = -1;
    List<Row> rows = new ArrayList<>();
    double peak;
    String version;
    int peakRuns = 5;
    try (Engine engine = mv.engine(name)) {
      version = engine.version();
      peak = measurePeak(engine, options, peakSize, peakRuns, ctx, name + ", before");
      try (CompiledModel model = engine.compile(task.graph(), weights, options);
          ProgressBar bar = ctx.progress("bench " + name, (long) batches.size() * (warmup + iterations))) {
        long done = 0;
        for (int b : batches) {
          // Each batch resets the high-water mark for its own column; keep the phase's maximum across resets.
          phasePeak = Math.max(phasePeak, ProcessMemory.peakRssBytes());
          Measured m = measure(model, task, b, warmup, iterations, macs, bar, done,
              reference.get(b));
          reference.putIfAbsent(b, m.output());
          rows.add(m.row());
          done += warmup + iterations;
        }
      }
      phasePeak = Math.max(phasePeak, ProcessMemory.peakRssBytes());
      // On a shared host one noisy phase can understate the peak; the best of both phases is the honest ceiling.
      peak = Math.max(peak, measurePeak(engine, options, peakSize, peakRuns, ctx, name + ", after"));
    }
    phasePeak = Math.max(phasePeak, ProcessMemory.peakRssBytes());
    return new EngineRun(name, version, peak, phasePeak, reset, rows);
  }

  /** The GEMM peak in GFLOP/s, or NaN when {@code --peak-size 0} turned it off. */
  private static double measurePeak(Engine engine, CompileOptions options, int peakSize, int runs,
      CommandContext ctx, String phase) {
    if (peakSize == 0) {
      return Double.NaN;
    }
    try (ProgressBar bar = ctx.progress("peak GEMM " + peakSize + " (" + phase + ")", runs + 1)) {
      return PeakFlops.measure(engine, options, peakSize, runs, bar::update);
    }
  }

  private static Measured measure(CompiledModel model, Task task, int batch, int warmup, int iterations,
      long macsPerImage, ProgressBar bar, long doneBefore, float[] reference) {
    SyntheticInputs inputs = new SyntheticInputs(task, batch, 42);
    String output = model.graph().outputs().get(0).name();
    ProcessMemory.resetPeaks();
    long[] total = new long[iterations];
    long pre = 0;
    long run = 0;
    long post = 0;
    float[] values = null;
    for (int i = 0; i < warmup + iterations; i++) {
      long t0 = System.nanoTime();
      List<org.medvision.api.data.Example> examples = inputs.examples();
      Map<String, Tensor> feeds = inputs.feeds(examples);
      long t1 = System.nanoTime();
      Map<String, Tensor> out = model.run(feeds);
      long t2 = System.nanoTime();
      // The task's pipeline turns the outputs into results, as predict does (the stage already ran).
      task.pipeline().predict(examples, (stage, f) -> out);
      values = out.get(output).toFloatArray();
      long t3 = System.nanoTime();
      if (i >= warmup) {
        total[i - warmup] = t3 - t0;
        pre += t1 - t0;
        run += t2 - t1;
        post += t3 - t2;
      }
      bar.update(doneBefore + i + 1);
    }
    for (float v : values) {
      if (Float.isNaN(v)) {
        throw new MedvisionException("the model produced NaN in output '" + output + "' at batch " + batch);
      }
    }
    LatencyStats stats = LatencyStats.of(total);
    double imagesPerSecond = batch / (stats.meanMs() / 1e3);
    double gflops = 2.0 * macsPerImage * imagesPerSecond / 1e9;
    double overhead = run == 0 ? 0 : 100.0 * (pre + post) / run;
    Row row = new Row(batch, stats, imagesPerSecond, ProcessMemory.peakRssBytes(), ProcessMemory.peakHeapBytes(),
        macsPerImage, gflops, overhead, run / 1e6 / iterations, pre / 1e6 / iterations, post / 1e6 / iterations,
        reference == null ? Double.NaN : maxAbsDiff(reference, values));
    return new Measured(row, values);
  }

  /** The largest |a - b| over two outputs of one shape; infinite when a value is NaN in one and not the other. */
  static double maxAbsDiff(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new MedvisionException("engines returned outputs of different sizes: " + a.length + " and " + b.length
          + " values");
    }
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      if (Float.isNaN(a[i]) != Float.isNaN(b[i])) {
        return Double.POSITIVE_INFINITY;
      }
      if (!Float.isNaN(a[i])) {
        max = Math.max(max, Math.abs((double) a[i] - b[i]));
      }
    }
    return max;
  }

  private static void text(PrintStream out, Task task, GraphStats stats, CompileOptions options, int peakSize,
      List<EngineRun> runs, int warmup, int iterations, Weights weights) {
    out.println("model      " + TaskOptions.describe(task) + ", " + Formats.millions(stats.parameters())
        + " parameters, " + Formats.giga(stats.multiplyAdds()) + " multiply-adds per image");
    out.println("device     " + options.device() + ", threads "
        + (options.threads() == 0 ? "engine default" : options.threads()) + ", "
        + Runtime.getRuntime().availableProcessors() + " cores visible");
    out.println("weights    " + weights.source());
    out.println("passes     " + warmup + " warm-up + " + iterations + " timed per batch size; same seeded inputs on "
        + "every engine");
    for (EngineRun e : runs) {
      out.println("engine     " + e.engine() + " (" + e.version() + "): peak " + (Double.isNaN(e.peak())
          ? "not measured (--peak-size 0)" : Formats.fixed(e.peak(), 1) + " GFLOP/s float32 (best of chained "
          + peakSize + "x" + peakSize + " GEMMs, before and after)") + ", phase peak RSS "
          + Formats.mebibytes(e.phasePeakRss()) + " MiB" + (e.phaseReset() ? "" : " (not reset: since process start)"));
    }
    out.println();
    Table t = new Table("engine", "batch", "images/s", "ms/batch", "p50", "p90", "ms/image", "peak RSS MiB",
        "heap MiB", "GFLOP/s", "% peak", "overhead %", "max |diff|");
    for (EngineRun e : runs) {
      for (Row r : e.rows()) {
        t.row(e.engine(), r.batch(), Formats.fixed(r.imagesPerSecond(), 2), Formats.fixed(r.perBatch().meanMs(), 2),
            Formats.fixed(r.perBatch().p50Ms(), 2), Formats.fixed(r.perBatch().p90Ms(), 2),
            Formats.fixed(r.perBatch().meanMs() / r.batch(), 2), Formats.mebibytes(r.peakRss()),
            Formats.mebibytes(r.peakHeap()), Formats.fixed(r.gflops(), 1),
            Double.isNaN(e.peak()) ? "n/a" : Formats.fixed(100 * r.gflops() / e.peak(), 1),
            Formats.fixed(r.overheadPercent(), 2), Double.isNaN(r.maxDiff()) ? "reference"
                : String.format(java.util.Locale.ROOT, "%.2e", r.maxDiff()));
      }
    }
    t.print(out);
    out.println();
    out.println("max |diff| = largest absolute difference of the logits from " + runs.get(0).engine()
        + "'s at the same batch; peak RSS = VmHWM of that batch's passes (reset before each batch).");
    out.println("overhead = (preprocessing + input tensor creation + output reading) / time inside "
        + "CompiledModel.run; per-pass means:");
    for (EngineRun e : runs) {
      for (Row r : e.rows()) {
        out.println("  " + e.engine() + " batch " + r.batch() + ": pre " + Formats.fixed(r.preMs(), 3) + " ms, run "
            + Formats.fixed(r.runMs(), 3) + " ms, post " + Formats.fixed(r.postMs(), 3) + " ms");
      }
    }
  }

  private static Map<String, Object> json(Task task, GraphStats stats, CompileOptions options, int peakSize,
      List<EngineRun> runs, int warmup, int iterations, Weights weights) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task", task.name());
    m.put("config", TasksCommand.config(task.config()));
    m.put("parameters", stats.parameters());
    m.put("multiplyAddsPerImage", stats.multiplyAdds());
    m.put("device", options.device().toString());
    m.put("threads", options.threads());
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("weights", weights.source());
    m.put("warmup", warmup);
    m.put("iterations", iterations);
    m.put("peakGemmSize", peakSize);
    m.put("reference", runs.get(0).engine());
    List<Object> engines = new ArrayList<>();
    for (EngineRun run : runs) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("engine", run.engine());
      e.put("engineVersion", run.version());
      e.put("peakGflops", run.peak());
      e.put("phasePeakRssBytes", run.phasePeakRss());
      e.put("phasePeakRssReset", run.phaseReset());
      List<Object> list = new ArrayList<>();
      for (Row r : run.rows()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("batch", r.batch());
        row.put("meanMsPerBatch", r.perBatch().meanMs());
        row.put("p50MsPerBatch", r.perBatch().p50Ms());
        row.put("p90MsPerBatch", r.perBatch().p90Ms());
        row.put("meanMsPerImage", r.perBatch().meanMs() / r.batch());
        row.put("p50MsPerImage", r.perBatch().p50Ms() / r.batch());
        row.put("p90MsPerImage", r.perBatch().p90Ms() / r.batch());
        row.put("imagesPerSecond", r.imagesPerSecond());
        row.put("peakRssBytes", r.peakRss());
        row.put("peakHeapBytes", r.peakHeap());
        row.put("achievedGflops", r.gflops());
        row.put("percentOfPeak", 100 * r.gflops() / run.peak());
        row.put("preprocessMs", r.preMs());
        row.put("runMs", r.runMs());
        row.put("postprocessMs", r.postMs());
        row.put("overheadPercent", r.overheadPercent());
        row.put("maxAbsDiffFromReference", Double.isNaN(r.maxDiff()) ? null : r.maxDiff());
        list.add(row);
      }
      e.put("results", list);
      engines.add(e);
    }
    m.put("engines", engines);
    return m;
  }
}
