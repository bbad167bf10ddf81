package org.medvision.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.medvision.api.MedvisionException;
import org.medvision.api.embed.Medvision;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.GraphStats;
import org.medvision.api.task.OutputSpec;
import org.medvision.api.task.Task;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;
import org.medvision.io.classify.Probabilities;
import org.medvision.io.classify.TaskInputs;

/**
 * {@code medvision bench}: latency, throughput, memory and achieved FLOP rate of a task model on one engine, beside
 * the engine's measured float32 peak on this machine.
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
    return "measure latency, throughput, memory and FLOP rate against the machine's peak";
  }

  @Override
  public String description() {
    return "Compiles the model once (seeded random weights unless --weights) and, per batch size, times --warmup "
        + "untimed and --iterations timed passes. Each pass is the whole inference path on synthetic grayscale "
        + "images already in memory: preprocessing into input tensors, the engine run, and reading the logits "
        + "into probabilities. Reported per batch: mean, p50 and p90 latency per batch and per image, images/s, "
        + "peak resident memory (VmHWM, native engine memory included) and peak Java heap, multiply-adds and "
        + "parameters, achieved GFLOP/s (2 x multiply-adds x images/s) and its share of the float32 peak measured "
        + "by running a chain of square GEMMs on the same engine (best of several runs), and the framework overhead: "
        + "time outside the engine run (preprocessing, tensor creation, output reading) as a percentage of the time "
        + "inside it.";
  }

  @Override
  public List<String> examples() {
    return List.of("bench --task strokenext --variant tiny --engine onnx --batch 1,8",
        "bench --task strokenext --variant atto --image-size 96 --batch 1,4 --iterations 20 --threads 2 --json");
  }

  @Override
  public Options options() {
    Options o = EngineOptions.add(WeightsOptions.add(TaskOptions.add(new Options()), true));
    return o.addOption(Args.valued("batch", "LIST", "comma-separated batch sizes (default: 1,8)"))
        .addOption(Args.valued("warmup", "N", "untimed passes per batch size (default: 3)"))
        .addOption(Args.valued("iterations", "N", "timed passes per batch size (default: 10)"))
        .addOption(Args.valued("peak-size", "N", "matrix size of the peak GEMM measurement; 0 skips it "
            + "(default: 2048)"))
        .addOption(Args.flag("json", "print JSON instead of a table"));
  }

  /** One batch size's measurements. */
  record Row(int batch, LatencyStats perBatch, double imagesPerSecond, long peakRss, long peakHeap,
      long macsPerImage, double gflops, double overheadPercent, double runMs, double preMs, double postMs) {}

  @Override
  public int run(CommandLine line, CommandContext ctx) {
    List<Integer> batches = Args.integers(line, "batch", "1,8", 1);
    int warmup = Args.integer(line, "warmup", 3, 0);
    int iterations = Args.integer(line, "iterations", 10, 1);
    int peakSize = Args.integer(line, "peak-size", 2048, 0);
    CompileOptions options = EngineOptions.compileOptions(line);
    Medvision mv = medvision.get();
    Task task = TaskOptions.task(line, mv);
    if (task.outputs().isEmpty()) {
      throw new MedvisionException("task " + task.name() + " declares no outputs to benchmark");
    }
    Weights weights = WeightsOptions.load(line, mv, task.graph(), true, ctx.err());
    GraphStats stats = GraphStats.of(task.graph(), 1);
    TaskInputs inputs = new TaskInputs(task);
    if (inputs.fixedBatch() > 0 && batches.stream().anyMatch(b -> b != inputs.fixedBatch())) {
      throw new UsageException("this graph has a fixed batch of " + inputs.fixedBatch() + "; use --batch "
          + inputs.fixedBatch());
    }
    List<Row> rows = new ArrayList<>();
    double peak;
    String engineName;
    String engineVersion;
    int peakRuns = 5;
    try (Engine engine = mv.engine(EngineOptions.engineName(line))) {
      engineName = engine.name();
      engineVersion = engine.version();
      peak = measurePeak(engine, options, peakSize, peakRuns, ctx, "before");
      try (CompiledModel model = engine.compile(task.graph(), weights, options);
          ProgressBar bar = ctx.progress("bench", (long) batches.size() * (warmup + iterations))) {
        long done = 0;
        for (int b : batches) {
          rows.add(measure(model, inputs, task, b, warmup, iterations, stats.multiplyAdds(), bar, done));
          done += warmup + iterations;
        }
      }
      // On a shared host one noisy phase can understate the peak; the best of both phases is the honest ceiling.
      peak = Math.max(peak, measurePeak(engine, options, peakSize, peakRuns, ctx, "after"));
    }
    if (line.hasOption("json")) {
      ctx.out().println(Json.write(json(task, stats, engineName, engineVersion, options, peak, peakSize, rows,
          warmup, iterations, weights)));
    } else {
      text(ctx.out(), task, stats, engineName, engineVersion, options, peak, peakSize, rows, warmup, iterations,
          weights);
    }
    return ExitCodes.OK;
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

  private static Row measure(CompiledModel model, TaskInputs inputs, Task task, int batch, int warmup,
      int iterations, long macsPerImage, ProgressBar bar, long doneBefore) {
    List<Map<String, Tensor>> items = syntheticItems(inputs, task.config().imageSize(), batch);
    OutputSpec output = task.outputs().get(0);
    ProcessMemory.resetPeaks();
    long[] total = new long[iterations];
    long pre = 0;
    long run = 0;
    long post = 0;
    double checksum = 0;
    for (int i = 0; i < warmup + iterations; i++) {
      long t0 = System.nanoTime();
      Map<String, Tensor> feeds = inputs.feeds(items);
      long t1 = System.nanoTime();
      Map<String, Tensor> out = model.run(feeds);
      long t2 = System.nanoTime();
      Tensor logits = out.get(output.name());
      if (logits == null) {
        throw new MedvisionException("the model returned no output '" + output.name() + "'");
      }
      float[] values = logits.toFloatArray();
      int k = (int) logits.shape().dim(-1);
      for (int r = 0; r < batch; r++) {
        checksum += Probabilities.softmax(values, r * k, k)[0];
      }
      long t3 = System.nanoTime();
      if (i >= warmup) {
        total[i - warmup] = t3 - t0;
        pre += t1 - t0;
        run += t2 - t1;
        post += t3 - t2;
      }
      bar.update(doneBefore + i + 1);
    }
    if (Double.isNaN(checksum)) {
      throw new MedvisionException("the model produced NaN probabilities at batch " + batch);
    }
    LatencyStats stats = LatencyStats.of(total);
    double imagesPerSecond = batch / (stats.meanMs() / 1e3);
    double gflops = 2.0 * macsPerImage * imagesPerSecond / 1e9;
    double overhead = run == 0 ? 0 : 100.0 * (pre + post) / run;
    return new Row(batch, stats, imagesPerSecond, ProcessMemory.peakRssBytes(), ProcessMemory.peakHeapBytes(),
        macsPerImage, gflops, overhead, run / 1e6 / iterations, pre / 1e6 / iterations, post / 1e6 / iterations);
  }

  /** Seeded random grayscale images at the model's size, as a decoder would deliver them. */
  private static List<Map<String, Tensor>> syntheticItems(TaskInputs inputs, int size, int batch) {
    SplittableRandom random = new SplittableRandom(42);
    List<Map<String, Tensor>> items = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      Map<String, Tensor> item = new LinkedHashMap<>();
      for (String source : inputs.sources()) {
        float[] v = new float[size * size];
        for (int j = 0; j < v.length; j++) {
          v[j] = (float) random.nextDouble();
        }
        item.put(source, Tensor.of(Shape.of(1, size, size), v));
      }
      items.add(item);
    }
    return items;
  }

  private static void text(PrintStream out, Task task, GraphStats stats, String engine, String version,
      CompileOptions options, double peak, int peakSize, List<Row> rows, int warmup, int iterations,
      Weights weights) {
    out.println("model      " + TaskOptions.describe(task) + ", " + Formats.millions(stats.parameters())
        + " parameters, " + Formats.giga(stats.multiplyAdds()) + " multiply-adds per image");
    out.println("engine     " + engine + " (" + version + ") on " + options.device() + ", threads "
        + (options.threads() == 0 ? "engine default" : options.threads()) + ", "
        + Runtime.getRuntime().availableProcessors() + " cores visible");
    out.println("weights    " + weights.source());
    out.println("passes     " + warmup + " warm-up + " + iterations + " timed per batch size");
    out.println("peak       " + (Double.isNaN(peak) ? "not measured (--peak-size 0)"
        : Formats.fixed(peak, 1) + " GFLOP/s float32 (best of chained " + peakSize + "x" + peakSize + " GEMMs, before and after)"));
    out.println();
    Table t = new Table("batch", "ms/batch", "p50", "p90", "ms/image", "images/s", "peak RSS MiB", "heap MiB",
        "GMACs/img", "params M", "GFLOP/s", "% peak", "overhead %");
    for (Row r : rows) {
      t.row(r.batch(), Formats.fixed(r.perBatch().meanMs(), 2), Formats.fixed(r.perBatch().p50Ms(), 2),
          Formats.fixed(r.perBatch().p90Ms(), 2), Formats.fixed(r.perBatch().meanMs() / r.batch(), 2),
          Formats.fixed(r.imagesPerSecond(), 2), Formats.mebibytes(r.peakRss()), Formats.mebibytes(r.peakHeap()),
          Formats.fixed(r.macsPerImage() / 1e9, 3), Formats.fixed(stats.parameters() / 1e6, 2),
          Formats.fixed(r.gflops(), 1), Double.isNaN(peak) ? "n/a" : Formats.fixed(100 * r.gflops() / peak, 1),
          Formats.fixed(r.overheadPercent(), 2));
    }
    t.print(out);
    out.println();
    out.println("overhead = (preprocessing + input tensor creation + output reading) / time inside "
        + "CompiledModel.run; per-pass means:");
    for (Row r : rows) {
      out.println("  batch " + r.batch() + ": pre " + Formats.fixed(r.preMs(), 3) + " ms, run "
          + Formats.fixed(r.runMs(), 3) + " ms, post " + Formats.fixed(r.postMs(), 3) + " ms");
    }
  }

  private static Map<String, Object> json(Task task, GraphStats stats, String engine, String version,
      CompileOptions options, double peak, int peakSize, List<Row> rows, int warmup, int iterations,
      Weights weights) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task", task.name());
    m.put("config", TasksCommand.config(task.config()));
    m.put("parameters", stats.parameters());
    m.put("multiplyAddsPerImage", stats.multiplyAdds());
    m.put("engine", engine);
    m.put("engineVersion", version);
    m.put("device", options.device().toString());
    m.put("threads", options.threads());
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("weights", weights.source());
    m.put("warmup", warmup);
    m.put("iterations", iterations);
    m.put("peakGemmSize", peakSize);
    m.put("peakGflops", peak);
    List<Object> list = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("batch", r.batch());
      e.put("meanMsPerBatch", r.perBatch().meanMs());
      e.put("p50MsPerBatch", r.perBatch().p50Ms());
      e.put("p90MsPerBatch", r.perBatch().p90Ms());
      e.put("meanMsPerImage", r.perBatch().meanMs() / r.batch());
      e.put("p50MsPerImage", r.perBatch().p50Ms() / r.batch());
      e.put("p90MsPerImage", r.perBatch().p90Ms() / r.batch());
      e.put("imagesPerSecond", r.imagesPerSecond());
      e.put("peakRssBytes", r.peakRss());
      e.put("peakHeapBytes", r.peakHeap());
      e.put("achievedGflops", r.gflops());
      e.put("percentOfPeak", 100 * r.gflops() / peak);
      e.put("preprocessMs", r.preMs());
      e.put("runMs", r.runMs());
      e.put("postprocessMs", r.postMs());
      e.put("overheadPercent", r.overheadPercent());
      list.add(e);
    }
    m.put("results", list);
    return m;
  }
}
