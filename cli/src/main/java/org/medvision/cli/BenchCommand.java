package org.medvision.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.medvision.api.embed.Medvision;
import org.medvision.api.graph.GraphStats;
import org.medvision.api.task.Task;
import org.medvision.api.weights.Weights;
import org.medvision.runtime.ModelSource;
import org.medvision.train.TrainerConfig;

/**
 * {@code medvision bench}: latency, throughput, memory and achieved FLOP rate of a task model on one or several
 * engines in one process, beside each engine's measured float32 peak on this machine: inference (with the largest
 * difference of each engine's outputs from the first engine's, {@link InferenceBench}), training steps
 * ({@code --train}, {@link TrainingBench}) or each heavy layer alone ({@code --layers}, {@link LayerBench}).
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
        + "examples (images as a decoder delivers them, volumes already preprocessed to the model's size), and "
        + "each engine's outputs are compared with the first engine's (max |diff|). Each pass is the whole "
        + "inference path on examples already in memory: preprocessing into input tensors, the engine run, and "
        + "the task's pipeline reading the outputs. --concurrency N runs the passes from N caller threads at once "
        + "on the one compiled model (as a server would), each with its own inputs; examples/s is then the "
        + "throughput of all callers together (examples of every timed pass / wall time from the moment all "
        + "callers finished warming up) and the latencies are those of every caller's passes. Reported per engine "
        + "and batch: mean, p50 (median), p90 and p99 latency per batch and per example, examples/s, peak resident "
        + "memory of the batch (VmHWM, native engine "
        + "memory included, reset before each batch) and peak Java heap, achieved GFLOP/s (2 x multiply-adds x "
        + "examples/s; multiply-adds of convolutions and matrix products) and its share of the float32 peak "
        + "measured by running a chain of square GEMMs on the same engine (best of several runs, before and "
        + "after), and the framework overhead: time outside the engine run as a percentage of the time inside "
        + "it. Per engine also the peak resident memory of its whole phase (loading, peak GEMMs, compiling, all "
        + "batches): the kernel's high-water mark is reset before the engine is created (writing 5 to "
        + "/proc/self/clear_refs, where permitted), so it counts what this engine adds on top of what the process "
        + "already holds resident, including native libraries earlier engines left mapped. "
        + "--train times training steps instead, on the engines that train (default " + TrainCommand.DEFAULT_ENGINE
        + "; 'all' keeps those that train): the task's own recipe (losses, loss weights, parameter groups) and "
        + "training defaults (optimiser, learning rate, weight decay), seeded synthetic targets for every target "
        + "the recipe reads, a fresh session per batch size; a step is building the feeds, forward and backward, "
        + "and the optimiser update. Reported: examples/s, ms per step (mean, p50, p90), peak RSS from opening "
        + "the session (parameters, gradients, optimiser state, activations) and heap, the loss of the first and "
        + "last step, and " + TrainingReport.CONVENTION + ". "
        + "--layers shows where the model's time goes: every distinct convolution, matrix product, pooling and "
        + "batch norm shape of the graph (at one batch size) is built as a graph of its own and timed alone on "
        + "each engine (median of the timed runs), beside the whole model: per shape its kernel, stride, input "
        + "and output, how many nodes share it, multiply-adds, ms, GFLOP/s and % of the GEMM peak, GB/s of "
        + "activations moved (the measure for memory-bound layers) and its share of the summed layer time. A layer "
        + "alone also pays for handing its input to the engine and its output back (TensorFlow also for changing "
        + "to channels-last and back), so small layers look slower alone than inside the model; the whole-model "
        + "time minus the summed layers is the rest (ReLU, residual adds, framework overhead) less that cost. On "
        + "onnx --layers also reads ONNX Runtime's profiler on the whole model: the kernel time of each layer "
        + "inside the model, after ONNX Runtime's fusions, and the time per kernel type.";
  }

  @Override
  public List<String> examples() {
    return List.of("bench --task strokenext --variant tiny --engine onnx --batch 1,8",
        "bench --task strokenext --variant tiny --engine all --batch 1,8",
        "bench --task covid-dsa --variant resnet34 --set input=128x224x224 --engine all --batch 1 --warmup 1 "
            + "--iterations 3",
        "bench --train --task covid-dsa --variant resnet18 --set input=32x64x64 --engine djl,tensorflow --batch 8",
        "bench --layers --task covid-dsa --variant resnet18 --set input=32x64x64 --engine all",
        "bench --task strokenext --variant atto --engine onnx --batch 1 --concurrency 8 --iterations 50",
        "bench --task strokenext --variant atto --image-size 96 --engine onnx,tensorflow --batch 1,4 "
            + "--iterations 20 --threads 2 --json");
  }

  @Override
  public Options options() {
    Options o = EngineOptions.add(ModelOptions.add(TaskOptions.add(new Options(), medvision.get()), true, false));
    o.getOption("engine").setDescription("engine to run on, a comma list of engines (onnx,tensorflow) or 'all'; "
        + "'medvision engines' lists them (default: " + EngineOptions.DEFAULT_ENGINE + ", with --train "
        + TrainCommand.DEFAULT_ENGINE + ")");
    return o.addOption(Args.valued("batch", "LIST", "comma-separated batch sizes (default: 1,8; --layers: 1)"))
        .addOption(Args.valued("warmup", "N", "untimed passes per batch size (default: 3)"))
        .addOption(Args.valued("iterations", "N", "timed passes per batch size (default: 10)"))
        .addOption(Args.valued("peak-size", "N", "matrix size of the peak GEMM measurement; 0 skips it "
            + "(default: 2048)"))
        .addOption(Args.valued("concurrency", "N", "caller threads sharing the one compiled model, each running the "
            + "warm-up and timed passes; reports throughput and p50/p99 latency under N callers (default: 1)"))
        .addOption(Args.flag("train", "time training steps (forward, backward, update) on engines that train"))
        .addOption(Args.flag("layers", "time each distinct convolution, matrix product, pooling and batch norm "
            + "shape alone, beside the whole model"))
        .addOption(Args.flag("json", "print JSON instead of a table"));
  }

  @Override
  public int run(CommandLine line, CommandContext ctx) {
    boolean train = line.hasOption("train");
    boolean layers = line.hasOption("layers");
    if (train && layers) {
      throw new UsageException("give --train or --layers, not both");
    }
    List<Integer> batches = Args.integers(line, "batch", layers ? "1" : "1,8", 1);
    if (layers && batches.size() != 1) {
      throw new UsageException("--layers profiles one batch size; give --batch N");
    }
    BenchSettings settings = new BenchSettings(batches, Args.integer(line, "warmup", 3, 0),
        Args.integer(line, "iterations", 10, 1), Args.integer(line, "peak-size", 2048, 0),
        EngineOptions.compileOptions(line), Args.integer(line, "concurrency", 1, 1));
    if (settings.concurrency() > 1 && (train || layers)) {
      throw new UsageException("--concurrency measures inference; leave it out with --train or --layers");
    }
    Medvision mv = medvision.get();
    List<String> engines = train ? trainingEngines(line, mv, ctx)
        : EngineSelection.names(EngineOptions.engineName(line), mv);
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
    boolean json = line.hasOption("json");
    PrintStream out = ctx.out();
    if (train) {
      if (task.training().isEmpty()) {
        throw new UsageException("task " + task.name() + " declares no training recipe; bench --train needs one");
      }
      TrainerConfig config = TrainCommand.config(line, task);
      TrainingBench bench = new TrainingBench(task, weights, config, settings, stats.multiplyAdds(), ctx);
      List<EnginePhase<TrainingBench.Row>> runs = measure(mv, engines, settings, ctx, bench::run);
      if (json) {
        out.println(Json.write(TrainingReport.json(task, stats, settings, weights, config, runs)));
      } else {
        TrainingReport.text(out, task, stats, settings, weights, config, runs);
      }
    } else if (layers) {
      int batch = batches.get(0);
      List<LayerShapes.Layer> shapes = LayerShapes.of(task.graph(), batch);
      LayerBench bench = new LayerBench(task, weights, settings, batch, shapes, ctx);
      List<EnginePhase<LayerBench.Run>> runs = measure(mv, engines, settings, ctx, bench::run);
      if (json) {
        out.println(Json.write(LayerReport.json(task, stats, settings, weights, batch, shapes, runs)));
      } else {
        LayerReport.text(out, task, stats, settings, weights, batch, shapes, runs);
      }
    } else {
      InferenceBench bench = new InferenceBench(task, weights, settings, stats.multiplyAdds(), ctx);
      List<EnginePhase<InferenceBench.Row>> runs = measure(mv, engines, settings, ctx, bench::run);
      if (json) {
        out.println(Json.write(InferenceReport.json(task, stats, settings, weights, runs)));
      } else {
        InferenceReport.text(out, task, stats, settings, weights, runs);
      }
    }
    return ExitCodes.OK;
  }

  /** Each engine's phase in turn. */
  private static <R> List<EnginePhase<R>> measure(Medvision mv, List<String> engines, BenchSettings settings,
      CommandContext ctx, EnginePhase.Work<R> work) {
    List<EnginePhase<R>> runs = new ArrayList<>();
    for (String name : engines) {
      runs.add(EnginePhase.measure(mv, name, settings, ctx, work));
    }
    return runs;
  }

  /**
   * The engines --train runs on: those named (default {@value TrainCommand#DEFAULT_ENGINE}), or with 'all' every
   * engine that trains. Whether an engine trains is known from its provider, before any native library loads.
   *
   * @throws UsageException when a named engine runs inference only, naming the engines that train
   */
  private static List<String> trainingEngines(CommandLine line, Medvision mv, CommandContext ctx) {
    String spec = Args.string(line, "engine", TrainCommand.DEFAULT_ENGINE);
    List<String> named = EngineSelection.names(spec, mv);
    List<String> training = mv.engines().names().stream()
        .filter(n -> mv.engines().get(n).capabilities().training()).toList();
    List<String> out = new ArrayList<>();
    for (String name : named) {
      if (training.contains(name)) {
        out.add(name);
      } else if (spec.trim().equals(EngineSelection.ALL)) {
        ctx.err().println("bench --train: skipping " + name + ", which runs inference only");
      } else {
        throw new UsageException("engine '" + name + "' runs inference only; bench --train needs an engine that "
            + "trains: " + String.join(", ", training));
      }
    }
    if (out.isEmpty()) {
      throw new UsageException("no engine here trains; bench --train needs one such as " + TrainCommand.DEFAULT_ENGINE);
    }
    return out;
  }
}
