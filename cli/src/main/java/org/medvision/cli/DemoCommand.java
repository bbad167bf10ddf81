package org.medvision.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.medvision.api.MedvisionException;
import org.medvision.api.embed.Medvision;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Engine;
import org.medvision.api.engine.EngineProvider;
import org.medvision.api.pipeline.ClassProbabilities;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskProvider;
import org.medvision.engine.onnx.OnnxExporter;
import org.medvision.io.ProgressListener;
import org.medvision.io.dataset.ExampleReader;
import org.medvision.io.dataset.ExampleSet;
import org.medvision.io.dataset.Split;
import org.medvision.io.dataset.TaskData;
import org.medvision.io.synth.BrainCtDataset;
import org.medvision.io.synth.Difficulty;
import org.medvision.runtime.Evaluation;
import org.medvision.runtime.ModelRequest;
import org.medvision.runtime.ModelSource;
import org.medvision.runtime.Predictor;
import org.medvision.runtime.Scoring;
import org.medvision.train.EpochMetrics;
import org.medvision.train.Trainer;
import org.medvision.train.TrainerConfig;
import org.medvision.train.TrainingListener;
import org.medvision.train.TrainingPlan;
import org.medvision.train.TrainingRequest;
import org.medvision.train.TrainingResult;
import org.medvision.train.report.EvaluationReport;

/**
 * {@code medvision demo}: the whole pipeline, small, on synthetic data: synthesise brain CT, train StrokeNeXt-atto on
 * DJL, evaluate on ONNX Runtime with a report, export ONNX, and compare the predictions of every installed engine.
 */
public final class DemoCommand implements Command {
  static final String DEFAULT_OUT = "medvision-demo";
  static final int DEFAULT_COUNT = 450;
  static final int DEFAULT_SIZE = 64;
  static final int DEFAULT_IMAGE_SIZE = 64;
  static final int DEFAULT_EPOCHS = 20;
  static final int DEFAULT_BATCH = 16;
  static final double DEFAULT_LEARNING_RATE = 3e-3;
  static final String DEFAULT_DIFFICULTY = "easy";
  /** The stroke window (level 40, width 40): infarcts stand out more than in the brain window. */
  static final String WINDOW = "stroke";
  static final long DEFAULT_SEED = 7;
  /**
   * Seconds per training image and epoch for atto at 64 px on DJL with 2 idle CPU cores (measured about 50-70
   * images/s, validation included), and the fixed cost of loading both engines, synthesis, evaluation and export.
   * Only for the estimate printed up front.
   */
  static final double SECONDS_PER_IMAGE_EPOCH = 0.02;
  static final double FIXED_SECONDS = 40;

  static final String TRAIN_ENGINE = "djl";
  static final String EVAL_ENGINE = "onnx";
  /** What the demo writes inside --out; --force removes exactly these, nothing else. */
  static final List<String> ENTRIES = List.of("data", "run", "report", "strokenext-atto.onnx");

  private final Provider<Medvision> medvision;

  /** A command building tasks and engines from {@code medvision}. */
  @Inject
  public DemoCommand(Provider<Medvision> medvision) {
    this.medvision = medvision;
  }

  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String summary() {
    return "synthesise, train, evaluate, export and cross-check engines in a few minutes";
  }

  @Override
  public String description() {
    return "Runs the whole pipeline on synthetic data: writes " + DEFAULT_COUNT + " synthetic brain-CT slices "
        + "(normal, ischemic, hemorrhagic) with a manifest, trains StrokeNeXt-atto from scratch on the DJL (PyTorch) "
        + "engine, evaluates the best checkpoint on the held-out test split with ONNX Runtime (metrics with 95% CIs "
        + "and report.html), exports the model to ONNX, predicts the test images with every installed engine and "
        + "prints the largest probability difference between engines. It says how long it expects to take before "
        + "it starts (a few minutes on 2 CPU cores). Everything goes under --out; an existing non-empty folder is "
        + "refused unless --force, which replaces only the demo's own entries (" + String.join(", ", ENTRIES)
        + "). --count, --size, --image-size, --epochs and --batch shrink or grow it. Training uses AdamW with "
        + "learning rate " + DEFAULT_LEARNING_RATE + ", one warm-up epoch and cosine decay, label smoothing 0.1 and "
        + "augmentation; the synthetic lesions are easy by default so that a few epochs suffice.";
  }

  @Override
  public List<String> examples() {
    return List.of("demo", "demo --out /tmp/mv-demo --force", "demo --count 90 --epochs 2 --image-size 32");
  }

  @Override
  public Options options() {
    return new Options()
        .addOption(Args.valued("out", "DIR", "where everything goes (default: ./" + DEFAULT_OUT + ")"))
        .addOption(Args.flag("force", "reuse a non-empty --out, replacing the demo's own entries"))
        .addOption(Args.valued("count", "N", "synthetic images (default: " + DEFAULT_COUNT + ")"))
        .addOption(Args.valued("size", "N", "synthetic slice size in pixels (default: " + DEFAULT_SIZE + ")"))
        .addOption(Args.valued("image-size", "N", "model input size (default: " + DEFAULT_IMAGE_SIZE + ")"))
        .addOption(Args.valued("epochs", "N", "training epochs (default: " + DEFAULT_EPOCHS + ")"))
        .addOption(Args.valued("difficulty", "LEVEL", "lesion difficulty of the synthetic set: easy, medium, hard "
            + "or 0..1 (default: " + DEFAULT_DIFFICULTY + ")"))
        .addOption(Args.valued("batch", "N", "training batch size (default: " + DEFAULT_BATCH + ")"))
        .addOption(Args.valued("seed", "N", "seed of data, training and evaluation (default: " + DEFAULT_SEED
            + ")"))
        .addOption(Args.valued("threads", "N", "engine intra-op threads; 0 lets the engines choose (default: 0)"));
  }

  @Override
  public int run(CommandLine line, CommandContext ctx) {
    Path out = Path.of(Args.string(line, "out", DEFAULT_OUT)).toAbsolutePath().normalize();
    int count = Args.integer(line, "count", DEFAULT_COUNT, BrainCtDataset.MIN_COUNT);
    int size = Args.integer(line, "size", DEFAULT_SIZE, 32);
    int imageSize = Args.integer(line, "image-size", DEFAULT_IMAGE_SIZE, 32);
    int epochs = Args.integer(line, "epochs", DEFAULT_EPOCHS, 1);
    int batch = Args.integer(line, "batch", DEFAULT_BATCH, 2);
    long seed = Args.longValue(line, "seed", DEFAULT_SEED);
    int threads = Args.integer(line, "threads", 0, 0);
    Difficulty difficulty;
    try {
      difficulty = Difficulty.parse(Args.string(line, "difficulty", DEFAULT_DIFFICULTY));
    } catch (MedvisionException e) {
      throw new UsageException(e.getMessage());
    }
    PrintStream say = ctx.err();
    Medvision mv = medvision.get();
    if (!mv.engines().names().contains(TRAIN_ENGINE) || !mv.engines().names().contains(EVAL_ENGINE)) {
      throw new MedvisionException("the demo trains on '" + TRAIN_ENGINE + "' and evaluates on '" + EVAL_ENGINE
          + "', but the installed engines are " + mv.engines().names() + "; add org.medvision:medvision-engine-"
          + TRAIN_ENGINE + " and org.medvision:medvision-engine-" + EVAL_ENGINE);
    }
    prepare(out, line.hasOption("force"));
    double minutes = (FIXED_SECONDS + SECONDS_PER_IMAGE_EPOCH * count * TaskData.TRAIN_FRACTION * epochs
        * imageSize * imageSize / (64.0 * 64.0)) / 60;
    say.printf(Locale.ROOT, "medvision demo: %d synthetic brain-CT slices -> train StrokeNeXt-atto on %s for %d "
        + "epochs at %dx%d -> evaluate on the test split with %s -> export ONNX -> compare every installed engine."
        + "%nExpect about %.0f minute%s on 2 otherwise idle CPU cores (less with more cores, more on a busy "
        + "machine). Output: %s%n", count, TRAIN_ENGINE, epochs, imageSize, imageSize, EVAL_ENGINE,
        Math.max(1, Math.ceil(minutes)), minutes > 1 ? "s" : "", out);
    long start = System.nanoTime();

    say.println("[1/5] synthesising " + count + " slices of " + size + "x" + size + " (difficulty " + difficulty
        + ") ...");
    Path dataDir = out.resolve("data");
    BrainCtDataset.Result synth;
    try (ProgressBar bar = ctx.progress("synth", count)) {
      synth = BrainCtDataset.generate(dataDir, count, size, seed, difficulty, WINDOW, false,
          (done, total) -> bar.update(done));
    }
    say.println("      " + synth.perClass() + " -> " + synth.manifest());

    TaskProvider strokenext = mv.tasks().get("strokenext");
    Task task = strokenext.create(strokenext.configure("atto", Map.of("subtask", "3class", "image_size",
        Integer.toString(imageSize))));
    TaskData data = TaskData.load(synth.manifest(), task.data(), seed, ProgressListener.NONE);
    Path runDir = out.resolve("run");
    // One warm-up epoch as in a full run, none when there is only one epoch to train. One pass per epoch: its 20
    // epochs of the easy synthetic set are enough, and the automatic choice would triple the demo's time.
    TrainerConfig config = TrainerConfig.builder().epochs(epochs).batchSize(batch).seed(seed).threads(threads)
        .learningRate(DEFAULT_LEARNING_RATE).epochRepeats(1)
        .warmupEpochs(Math.min(TrainerConfig.DEFAULT_WARMUP_EPOCHS, epochs - 1)).build();
    say.println("[2/5] training on " + TRAIN_ENGINE + " ...");
    TrainingResult result;
    try (Engine djl = mv.engine(TRAIN_ENGINE)) {
      result = new Trainer(djl, new EpochPrinter(say)).train(new TrainingRequest(task, data, config, runDir, false,
          Main.version()));
    }
    Path best = result.bestWeights();
    say.printf(Locale.ROOT, "      best epoch %d (validation %s %.4f) -> %s%n", result.bestEpoch(),
        result.selectMetric(), result.bestValue(), best);

    say.println("[3/5] evaluating the test split on " + EVAL_ENGINE + " ...");
    ModelSource model = ModelSource.load(mv, best, ModelRequest.none());
    CompileOptions options = CompileOptions.defaults().withThreads(threads);
    Evaluation.Result evaluation;
    String evalVersion;
    try (Engine engine = mv.engine(EVAL_ENGINE)) {
      evalVersion = engine.version();
      evaluation = Evaluation.run(model, engine, options, data, Split.TEST, seed, PredictCommand.DEFAULT_BATCH, null,
          ProgressListener.NONE);
    }
    Path reportDir = out.resolve("report");
    org.medvision.train.report.Provenance provenance = org.medvision.train.report.Provenance.now(task.name(),
        TasksCommand.config(task.config()), best.toString(), model.members().get(0).sha256(), EVAL_ENGINE,
        evalVersion, options.device().toString(), data.source().toString(), Split.TEST.id(), seed, Main.version());
    EvaluationReport report = EvaluationReport.of(evaluation, provenance, null);
    report.write(reportDir, false);
    EvaluateCommand.printSummary(ctx.out(), report.primary().classification());

    say.println("[4/5] exporting ONNX ...");
    Path onnx = out.resolve("strokenext-atto.onnx");
    OnnxExporter.export(task.graph(), model.members().get(0).weights(), onnx);

    ExampleSet test = data.split(Split.TEST);
    say.println("[5/5] predicting the " + test.size() + " test images with every engine ...");
    double maxDiff = compareEngines(mv, model, test, options, ctx);

    double seconds = (System.nanoTime() - start) / 1e9;
    PrintStream o = ctx.out();
    o.println();
    o.printf(Locale.ROOT, "largest |difference| of class probabilities between engines: %.3g%n", maxDiff);
    o.printf(Locale.ROOT, "done in %.0f s. Everything is under %s:%n", seconds, out);
    o.println("  data      " + synth.manifest() + " (PNG slices + manifest)");
    o.println("  training  " + runDir + " (best.safetensors, best.json, last.*, training.csv)");
    o.println("  report    " + reportDir.resolve(EvaluationReport.HTML) + " (metrics.json, predictions.json, plots)");
    o.println("  model     " + onnx);
    o.println("next: medvision evaluate --model " + best + " --data " + synth.manifest() + " --engine djl");
    return ExitCodes.OK;
  }

  /** Prints one line per epoch; the demo's output stays short, so no per-batch bar. */
  private static final class EpochPrinter implements TrainingListener {
    private final PrintStream out;

    EpochPrinter(PrintStream out) {
      this.out = out;
    }

    @Override
    public void started(TrainingPlan plan) {
      out.printf(Locale.ROOT, "      %d training / %d validation images, %d batches per epoch, %,d parameters, "
          + "seed %d%n", plan.trainExamples(), plan.valExamples(), plan.batchesPerEpoch(), plan.parameters(),
          plan.seed());
    }

    @Override
    public void epochFinished(EpochMetrics m, boolean improved) {
      out.printf(Locale.ROOT, "      epoch %d: loss %.4f, val accuracy %.4f, val macro-F1 %.4f, %.1f img/s, %.0f s%s%n",
          m.epoch(), m.trainLoss(), m.val("acc"), m.val("macro_f1"), m.examplesPerSecond(), m.seconds(),
          improved ? " (best so far)" : "");
    }

    @Override
    public void notice(String message) {
      out.println("      " + message);
    }
  }

  /**
   * Runs the test images through every installed engine with the same weights and prints, per engine, its
   * accuracy, speed and largest probability difference from the first engine that ran.
   *
   * @return the largest difference between any engine and the first; 0 with one engine
   */
  static double compareEngines(Medvision mv, ModelSource model, ExampleSet images, CompileOptions options,
      CommandContext ctx) {
    // Compiling is a one-off cost (TensorFlow builds and optimises its graph, several seconds), so it has its own
    // column and the rate counts only the runs.
    Table table = new Table("engine", "version", "accuracy", "compile s", "images/s", "max |diff| vs first");
    Scoring.Scored reference = null;
    String referenceName = null;
    double worst = 0;
    List<String> names = new ArrayList<>();
    for (EngineProvider p : mv.engines().all()) {
      names.add(p.name());
    }
    // ONNX Runtime first: it is the reference the demo evaluates with.
    names.sort(Comparator.comparing((String n) -> !n.equals(EVAL_ENGINE)).thenComparing(n -> n));
    ExampleReader reader = ExampleReader.all(model.task().data(), null);
    for (String name : names) {
      Scoring.Scored scored;
      String version;
      long compileStart = System.nanoTime();
      double compileSeconds;
      long t0;
      try (Engine engine = mv.engine(name);
          Predictor predictor = new Predictor(engine, model, options, PredictCommand.DEFAULT_BATCH)) {
        t0 = System.nanoTime();
        compileSeconds = (t0 - compileStart) / 1e9;
        version = engine.version();
        scored = Scoring.score(model.task(), images, reader, predictor.runner(0), PredictCommand.DEFAULT_BATCH,
            ProgressListener.NONE);
      } catch (MedvisionException e) {
        ctx.err().println("      " + name + ": skipped (" + e.getMessage() + ")");
        continue;
      }
      double rate = images.size() / ((System.nanoTime() - t0) / 1e9);
      double diff = 0;
      if (reference == null) {
        reference = scored;
        referenceName = name;
      } else {
        diff = maxDifference(reference, scored);
        worst = Math.max(worst, diff);
      }
      int right = 0;
      for (int i = 0; i < scored.results().size(); i++) {
        ClassProbabilities c = scored.results().get(i).first(ClassProbabilities.class).orElseThrow();
        if (c.top() == scored.examples().get(i).label()) {
          right++;
        }
      }
      table.row(name, version, Formats.fixed((double) right / scored.results().size(), 4),
          Formats.fixed(compileSeconds, 1), Formats.fixed(rate, 1),
          name.equals(referenceName) ? "(reference)" : String.format(Locale.ROOT, "%.3g", diff));
    }
    table.print(ctx.out());
    return worst;
  }

  /** The largest |p_a - p_b| over examples and classes; the results are in the same example order. */
  static double maxDifference(Scoring.Scored a, Scoring.Scored b) {
    double max = 0;
    for (int i = 0; i < a.results().size(); i++) {
      float[] pa = a.results().get(i).first(ClassProbabilities.class).orElseThrow().probabilities();
      float[] pb = b.results().get(i).first(ClassProbabilities.class).orElseThrow().probabilities();
      for (int k = 0; k < pa.length; k++) {
        max = Math.max(max, Math.abs(pa[k] - pb[k]));
      }
    }
    return max;
  }

  /** Makes {@code out} usable: absent, empty, or (with force) rid of the demo's own entries. */
  private static void prepare(Path out, boolean force) {
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new MedvisionException("--out " + out + " is a file; give a folder");
    }
    try {
      if (Files.isDirectory(out)) {
        try (Stream<Path> entries = Files.list(out)) {
          if (entries.findAny().isPresent()) {
            if (!force) {
              throw new MedvisionException("demo folder " + out + " is not empty; use --force to replace the demo's "
                  + "entries in it (" + String.join(", ", ENTRIES) + ") or choose another --out");
            }
            for (String entry : ENTRIES) {
              deleteTree(out.resolve(entry));
            }
          }
        }
      }
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the demo folder " + out + ": " + e.getMessage(), e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
