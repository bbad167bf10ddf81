package org.medvision.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.medvision.api.AtomicFiles;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.Windowing;
import org.medvision.api.embed.Medvision;
import org.medvision.api.engine.Device;
import org.medvision.api.engine.Engine;
import org.medvision.api.task.Task;
import org.medvision.api.training.OptimizerSpec;
import org.medvision.api.training.Precision;
import org.medvision.api.training.TrainingRecipe;
import org.medvision.api.weights.KeyMap;
import org.medvision.api.weights.Safetensors;
import org.medvision.api.weights.Weights;
import org.medvision.io.dataset.Augmentation;
import org.medvision.io.dataset.TaskData;
import org.medvision.runtime.ModelSource;
import org.medvision.train.CheckpointInfo;
import org.medvision.train.LearningRateSweep;
import org.medvision.train.Checkpoints;
import org.medvision.train.MetricSelection;
import org.medvision.train.RunFiles;
import org.medvision.train.StopOnShutdown;
import org.medvision.train.Trainer;
import org.medvision.train.TrainerConfig;
import org.medvision.train.TrainingRequest;
import org.medvision.train.TrainingResult;
import org.medvision.train.report.Charts;

/** {@code medvision train}: trains any task's model on a data set and writes checkpoints into a run directory. */
public final class TrainCommand implements Command {
  /** Engine used when --engine is absent: the first engine that trains. */
  static final String DEFAULT_ENGINE = "djl";
  /** Exit code of a run stopped by Ctrl-C after saving a resumable checkpoint (128 + SIGINT, as shells report). */
  static final int INTERRUPTED = 130;

  private static final int FIND_LR_STEPS = 100;
  // The help text names these two.
  private static final double FIND_LR_MIN = 1e-6;
  private static final double FIND_LR_MAX = 1;

  /** Options that set training and so must come from the checkpoint when resuming. */
  private static final List<String> TRAINING_OPTIONS = List.of("batch", "optimizer", "lr", "final-lr", "momentum",
      "weight-decay", "warmup-epochs", "clip-norm", "accumulate", "select-metric", "seed", "device", "precision",
      "threads", "no-augment", "weights", "init", "key-map", "force", "set", "window", "variant",
      "bn-recalibration", "epoch-repeats", "shift", "find-lr");

  /** Trainer settings a task may give its own defaults for ({@link TrainingRecipe#trainerDefaults()}). */
  private static final List<String> TASK_DEFAULTABLE = List.of("epochs", "batch", "optimizer", "lr", "final-lr",
      "momentum", "weight-decay", "warmup-epochs", "clip-norm", "accumulate", "patience", "bn-recalibration",
      "epoch-repeats", "shift");

  private final Provider<Medvision> medvision;

  /** A command building tasks and engines from {@code medvision}. */
  @Inject
  public TrainCommand(Provider<Medvision> medvision) {
    this.medvision = medvision;
  }

  @Override
  public String name() {
    return "train";
  }

  @Override
  public String summary() {
    return "train a task's model on a data set, with checkpoints, validation and resume";
  }

  @Override
  public String description() {
    return "Reads --data (a manifest CSV with the columns the task needs, 'medvision tasks' lists them, plus "
        + "optional patient_id and split; or, for image classifiers, a folder with one subfolder per class such as "
        + "Non-Stroke/ Ischemic/ Hemorrhagic/), maps its labels to the task's classes, keeps the manifest's splits "
        + "and assigns the rest 80/10/10 by patient, stratified by class, with the seed, and prints the balance. "
        + "It then trains as the task's recipe says (its losses, loss weights, sampler, parameter groups; task "
        + "options such as --set sampler=size-balanced choose among them) from seeded random weights, full "
        + "--weights, or a backbone checkpoint (--init: the parameters it has are loaded, the rest initialised at "
        + "random, and a report of both is printed and kept in the run's sidecar), with AdamW, warm-up and cosine "
        + "decay, seeded augmentation (images: flip, +-10 degree rotation, +-5% shift, brightness/contrast; volumes: "
        + "left-right flip and brightness/contrast, masks moved alike), validates after every epoch with the "
        + "task's metrics, and writes into --out: best.safetensors + best.json (best epoch by --select-metric), "
        + "last.safetensors + last.json + last.optimizer.safetensors (every epoch) and training.csv. Ctrl-C stops "
        + "after the current step with a resumable checkpoint (exit code " + INTERRUPTED + "); --resume continues "
        + "a run with the same draws. A NaN loss stops with exit code 1 and keeps the last good checkpoint. "
        + "Defaults suit training small models from scratch: lr " + TrainerConfig.DEFAULT_LEARNING_RATE
        + ", weight decay " + TrainerConfig.DEFAULT_WEIGHT_DECAY + ", " + TrainerConfig.DEFAULT_EPOCHS
        + " epochs, batch " + TrainerConfig.DEFAULT_BATCH + ", and an epoch of a small training set makes several "
        + "passes over it, so that it holds about " + TrainerConfig.MIN_EPOCH_UPDATES + " updates (--epoch-repeats); "
        + "a task may suggest its own (e.g. a smaller batch for "
        + "3-D volumes), which the plan line shows and any flag overrides.";
  }

  @Override
  public List<String> examples() {
    return List.of("train --task strokenext --variant atto --subtask 3class --engine djl --data data/brain/manifest.csv"
        + " --epochs 15 --batch 32 --image-size 96 --out runs/atto",
        "train --task covid-dsa --variant resnet18 --set sampler=size-balanced --set input=32x64x64 "
            + "--data data/chest/manifest.csv --epochs 20 --out runs/balanced",
        "train --out runs/atto --resume --epochs 20",
        "train --task covid-dsa --variant resnet34 --init resnet_34.safetensors --key-map medicalnet "
            + "--data chest/manifest.csv --out runs/medicalnet",
        "train --task strokenext --variant tiny --data Training/ --weights tv.safetensors --key-map torchvision "
            + "--lr 1e-4 --class-weights balanced --patience 5 --out runs/tiny");
  }

  @Override
  public Options options() {
    Options o = TaskOptions.add(new Options(), medvision.get());
    return o
        .addOption(Args.valued("data", "PATH", "manifest CSV or dataset folder (required unless --resume)"))
        .addOption(Args.valued("out", "DIR", "run directory for checkpoints and the log (required)"))
        .addOption(Args.flag("resume", "continue the run in --out from its last checkpoint"))
        .addOption(Args.flag("force", "start a new run in a non-empty --out, replacing its checkpoints and log"))
        .addOption(Args.valued("weights", "FILE", "start from these weights (every parameter; .safetensors)"))
        .addOption(Args.valued("init", "FILE", "start from a backbone checkpoint (.safetensors): the parameters it "
            + "holds are loaded, the others initialised at random; the task's backbone must be covered"))
        .addOption(Args.valued("key-map", "NAME", "read --weights or --init saved in another layout (e.g. "
            + "torchvision, medicalnet; 'medvision tasks' lists each task's; default: none, the task's own names)"))
        .addOption(Args.valued("engine", "NAME", "engine that trains; 'medvision engines' lists them (default: "
            + DEFAULT_ENGINE + ")"))
        .addOption(Args.valued("device", "DEVICE", "cpu or cuda:N (default: cpu)"))
        .addOption(Args.valued("threads", "N", "engine intra-op threads; 0 lets the engine choose (default: 0)"))
        .addOption(Args.valued("epochs", "N", "epochs (default: the task's, else " + TrainerConfig.DEFAULT_EPOCHS
            + ")"))
        .addOption(Args.valued("batch", "N", "examples per step (default: the task's, else "
            + TrainerConfig.DEFAULT_BATCH + ")"))
        .addOption(Args.valued("optimizer", "NAME", "adamw or sgd (default: adamw)"))
        .addOption(Args.valued("lr", "RATE", "peak learning rate (default: the task's, else "
            + TrainerConfig.DEFAULT_LEARNING_RATE + ")"))
        .addOption(Args.valued("final-lr", "RATE", "rate the cosine decays to (default: 0)"))
        .addOption(Args.valued("momentum", "M", "SGD momentum (default: 0.9)"))
        .addOption(Args.valued("weight-decay", "W", "weight decay on conv and linear weights (default: the task's, "
            + "else " + TrainerConfig.DEFAULT_WEIGHT_DECAY + ")"))
        .addOption(Args.valued("warmup-epochs", "E", "epochs of linear warm-up (default: "
            + TrainerConfig.DEFAULT_WARMUP_EPOCHS + ")"))
        .addOption(Args.valued("clip-norm", "N", "clip the global gradient norm to N; 0 = off (default: 0)"))
        .addOption(Args.valued("accumulate", "K", "average gradients of K batches per update (default: 1)"))
        .addOption(Args.valued("patience", "N", "stop after N epochs without improvement; 0 = never (default: 0)"))
        .addOption(Args.valued("bn-recalibration", "N", "before each validation, recompute the BatchNorm running "
            + "statistics of the current network on N unaugmented training examples (precise BN), so validation and "
            + "checkpoints do not use statistics that lag behind the weights; 0 = off; models without BatchNorm "
            + "ignore it (default: " + TrainerConfig.DEFAULT_BN_RECALIBRATION + ")"))
        .addOption(Args.valued("epoch-repeats", "N|auto", "passes over the training data that make one epoch (the "
            + "unit of the schedule, validation and checkpoints); auto makes enough passes for about "
            + TrainerConfig.MIN_EPOCH_UPDATES + " updates per epoch, so a few hundred images still get enough updates "
            + "to learn (one pass from about 1,370 training examples at batch 32) (default: auto)"))
        .addOption(Args.valued("shift", "FRACTION", "largest random shift of an augmented training image, as a "
            + "fraction of its width and height; makes a network trained from scratch learn the lesion rather than "
            + "where things sit in each image; 0 = none; a task may choose its own (default: "
            + Augmentation.DEFAULT_MAX_SHIFT + ")"))
        .addOption(Args.valued("select-metric", "NAME", "the validation metric that picks best.safetensors, one of "
            + "the task's ('medvision tasks' lists them; e.g. acc, macro_f1, auroc, loss; a val- prefix is "
            + "accepted) (default: the task's)"))
        .addOption(Args.valued("window", "NAME|C/W|file|range", "windowing of DICOM inputs instead of the task's "
            + "(default: the task's)"))
        .addOption(Args.valued("seed", "N", "seed of initialisation, splits, sampling and augmentation (default: "
            + "0)"))
        .addOption(Args.valued("precision", "P", "float32, bf16 or fp16 (mixed precision, fp16 with loss "
            + "scaling); meant for --device cuda:N, also runs on the CPU when asked, e.g. to test a setup (default: "
            + "float32)"))
        .addOption(Args.flag("no-augment", "train on the examples as they are"))
        .addOption(Args.flag("find-lr", "instead of training, run a learning-rate range test: from fresh weights, "
            + FIND_LR_STEPS + " updates at rates growing from 1e-6 to 1 (stopping when "
            + "the loss explodes) with every other setting as given; prints the loss per rate and a suggested --lr, "
            + "and writes lr-finder.csv and lr-finder.png into --out"));
  }

  @Override
  public int run(CommandLine line, CommandContext ctx) {
    Path out = Args.path(line, "out");
    if (out == null) {
      throw new UsageException("missing required option --out (the run directory)");
    }
    boolean resume = line.hasOption("resume");
    Medvision mv = medvision.get();
    Task task;
    TrainerConfig config;
    Path dataPath;
    Weights initial = null;
    Weights backbone = null;
    if (resume) {
      for (String option : TRAINING_OPTIONS) {
        if (line.hasOption(option)) {
          throw new UsageException("--" + option + " cannot be combined with --resume: a resumed run keeps the "
              + "settings of its checkpoint; only --epochs, --patience, --data and --engine may be given");
        }
      }
      for (String alias : TaskOptions.aliases(mv).keySet()) {
        if (line.hasOption(alias)) {
          throw new UsageException("--" + alias + " cannot be combined with --resume: a resumed run keeps the task "
              + "options of its checkpoint");
        }
      }
      CheckpointInfo info = Checkpoints.readInfo(out.resolve(RunFiles.LAST_SIDECAR));
      if (line.hasOption("task") && !line.getOptionValue("task").equals(info.task())) {
        throw new UsageException("the run in " + out + " trains task " + info.task() + ", not "
            + line.getOptionValue("task"));
      }
      task = mv.task(info.task(), info.taskConfig());
      TrainerConfig.Builder b = info.trainer().toBuilder();
      if (line.hasOption("epochs")) {
        b.epochs(Args.integer(line, "epochs", 1, 1));
      }
      if (line.hasOption("patience")) {
        b.patience(Args.integer(line, "patience", 0, 0));
      }
      config = b.build();
      dataPath = line.hasOption("data") ? Args.path(line, "data") : Path.of(info.data());
    } else {
      if (!line.hasOption("data")) {
        throw new UsageException("missing required option --data (a manifest CSV or a dataset folder)");
      }
      dataPath = Args.path(line, "data");
      task = TaskOptions.task(line, mv);
      config = config(line, task);
      if (config.selectMetric() != null) {
        try {
          MetricSelection.resolve(task, config.selectMetric());
        } catch (MedvisionException e) {
          // Before the data is read: a typo here should not cost a scan of the whole data set.
          throw new UsageException("--select-metric: " + e.getMessage());
        }
      }
      if (line.hasOption("weights") && line.hasOption("init")) {
        throw new UsageException("give --weights (every parameter) or --init (a backbone), not both");
      }
      KeyMap keyMap = ModelOptions.keyMap(line, mv);
      if (keyMap != null && !line.hasOption("weights") && !line.hasOption("init")) {
        throw new UsageException("--key-map needs --weights or --init");
      }
      if (line.hasOption("weights")) {
        initial = ModelSource.ofWeights(task, Args.path(line, "weights"), keyMap).members().get(0).weights();
      } else if (line.hasOption("init")) {
        Path init = Args.path(line, "init");
        if (!Files.isRegularFile(init)) {
          throw new MedvisionException("backbone checkpoint not found: " + init);
        }
        backbone = Safetensors.read(init);
        if (keyMap != null) {
          backbone = keyMap.apply(backbone);
        }
      }
    }
    ctx.err().println("task " + TaskOptions.describe(task) + "; seed " + config.seed()
        + (resume ? " (resuming " + out + ")" : ""));
    TaskData data;
    try (DicomInfoPrinter.Progress progress = new DicomInfoPrinter.Progress(ctx, "read data")) {
      data = TaskData.load(dataPath, task.data(), config.seed(), progress);
    }
    ctx.err().println("data " + data.source() + " (SHA-256 " + data.sha256().substring(0, 12) + "...):");
    ctx.err().print(data.balance().toTable());
    String engineName = Args.string(line, "engine", DEFAULT_ENGINE);
    TrainingResult result;
    try (Engine engine = mv.engine(engineName)) {
      if (!engine.capabilities().training()) {
        throw new MedvisionException("engine '" + engine.name() + "' runs inference only; train with --engine "
            + DEFAULT_ENGINE);
      }
      ctx.err().println("engine " + engine.name() + " (" + engine.version() + "), device " + config.device()
          + ", precision " + config.precision().name().toLowerCase(Locale.ROOT) + ", batch " + config.batchSize()
          + ", lr " + config.learningRate() + ", " + config.epochs() + " epochs");
      if (line.hasOption("find-lr")) {
        return findLearningRate(ctx, engine, new TrainingRequest(task, data, config, out, initial, backbone, false,
            false, Main.version(), Map.of()), out);
      }
      try (TrainProgress progress = new TrainProgress(ctx.err(), ctx.terminal())) {
        Trainer trainer = new Trainer(engine, progress);
        try (StopOnShutdown guard = StopOnShutdown.install(trainer, StopOnShutdown.DEFAULT_GRACE_MILLIS)) {
          result = trainer.train(new TrainingRequest(task, data, config, out, initial, backbone, resume,
              line.hasOption("force"), Main.version(), Map.of()));
        }
      }
    }
    ctx.out().printf(Locale.ROOT, "%s after %d epoch%s; best epoch %d with val %s %.4f%n",
        result.status().name().toLowerCase(Locale.ROOT).replace('_', ' '), result.epochsCompleted(),
        result.epochsCompleted() == 1 ? "" : "s", result.bestEpoch(), result.selectMetric(), result.bestValue());
    ctx.out().println("best checkpoint: " + result.bestWeights() + " (seed " + result.seed() + ")");
    return result.status() == TrainingResult.Status.INTERRUPTED ? INTERRUPTED : ExitCodes.OK;
  }

  /** Runs the range test, prints its table and suggestion, and writes the CSV and the plot into {@code out}. */
  private static int findLearningRate(CommandContext ctx, Engine engine, TrainingRequest request, Path out) {
    LearningRateSweep sweep;
    try (TrainProgress progress = new TrainProgress(ctx.err(), ctx.terminal())) {
      Trainer trainer = new Trainer(engine, progress);
      try (StopOnShutdown guard = StopOnShutdown.install(trainer, StopOnShutdown.DEFAULT_GRACE_MILLIS)) {
        sweep = trainer.findLearningRate(request, LearningRateSweep.schedule(FIND_LR_MIN, FIND_LR_MAX,
            FIND_LR_STEPS));
      }
    }
    StringBuilder csv = new StringBuilder("step,learning_rate,loss,smoothed_loss\n");
    double[] smoothed = sweep.smoothed();
    for (int i = 0; i < sweep.rates().length; i++) {
      csv.append(String.format(Locale.ROOT, "%d,%.6e,%.6f,%.6f%n", i + 1, sweep.rates()[i], sweep.losses()[i],
          smoothed[i]));
    }
    try {
      Files.createDirectories(out);
      AtomicFiles.write(out.resolve("lr-finder.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
      AtomicFiles.write(out.resolve("lr-finder.png"), Charts.learningRateSweep(sweep));
    } catch (IOException e) {
      throw new MedvisionException("cannot write the range test's results into " + out + ": " + e.getMessage(), e);
    }
    ctx.out().println("learning-rate range test: " + sweep.rates().length + " updates"
        + (sweep.stopReason().isEmpty() ? "" : " (" + sweep.stopReason() + ")"));
    ctx.out().println("      rate      loss  smoothed");
    sweep.table(12).forEach(ctx.out()::println);
    ctx.out().println(String.format(Locale.ROOT, "suggested: --lr %.1e (a tenth of the rate at the lowest smoothed "
        + "loss, %.1e; the loss falls fastest at %.1e)", sweep.suggested(), sweep.rateAtMinimum(),
        sweep.steepestRate()));
    ctx.out().println("wrote " + out.resolve("lr-finder.csv") + " and " + out.resolve("lr-finder.png"));
    return ExitCodes.OK;
  }

  /** The trainer settings the options describe: the task's defaults, then the flags. */
  static TrainerConfig config(CommandLine line, Task task) {
    Map<String, String> defaults = task.training().map(TrainingRecipe::trainerDefaults).orElse(Map.of());
    for (String key : defaults.keySet()) {
      if (!TASK_DEFAULTABLE.contains(key)) {
        throw new MedvisionException("task " + task.name() + " suggests a default for '" + key + "', which is not "
            + "a trainer setting a task may choose; those are " + TASK_DEFAULTABLE);
      }
    }
    TrainerConfig config = config(line, defaults);
    Windowing window = WindowOption.parse(line, task);
    return window == null ? config : config.toBuilder().window(window.toString()).build();
  }

  /** The trainer settings the options describe, from the defaults. */
  static TrainerConfig config(CommandLine line, Map<String, String> defaults) {
    TrainerConfig.Builder b = TrainerConfig.builder();
    Settings v = new Settings(line, defaults);
    try {
      if (v.has("epochs")) {
        b.epochs(v.integer("epochs", 1, 1));
      }
      if (v.has("batch")) {
        b.batchSize(v.integer("batch", 1, 1));
      }
      if (v.has("optimizer")) {
        b.optimizer(optimizer(v.value("optimizer")));
      }
      if (v.has("lr")) {
        b.learningRate(v.number("lr"));
      }
      if (v.has("final-lr")) {
        b.finalLearningRate(v.number("final-lr"));
      }
      if (v.has("momentum")) {
        b.momentum(v.number("momentum"));
      }
      if (v.has("weight-decay")) {
        b.weightDecay(v.number("weight-decay"));
      }
      if (v.has("warmup-epochs")) {
        b.warmupEpochs(v.number("warmup-epochs"));
      }
      if (v.has("clip-norm")) {
        b.clipNorm(v.number("clip-norm"));
      }
      if (v.has("accumulate")) {
        b.accumulationSteps(v.integer("accumulate", 1, 1));
      }
      if (v.has("patience")) {
        b.patience(v.integer("patience", 0, 0));
      }
      if (v.has("bn-recalibration")) {
        b.bnRecalibration(v.integer("bn-recalibration", 0, 0));
      }
      if (v.has("epoch-repeats")) {
        String repeats = v.value("epoch-repeats").trim();
        if (repeats.equalsIgnoreCase("auto")) {
          b.epochRepeats(TrainerConfig.AUTO_REPEATS);
        } else if (repeats.matches("-?\\d+")) {
          b.epochRepeats(v.integer("epoch-repeats", 1, 1));
        } else {
          throw new UsageException("--epoch-repeats needs a number of passes (1 or more) or auto, got '" + repeats
              + "'");
        }
      }
      if (v.has("shift")) {
        b.maxShift(v.number("shift"));
      }
      if (line.hasOption("select-metric")) {
        b.selectMetric(line.getOptionValue("select-metric"));
      }
      b.seed(Args.longValue(line, "seed", 0));
      if (line.hasOption("device")) {
        b.device(Device.parse(line.getOptionValue("device")).toString());
      }
      b.threads(Args.integer(line, "threads", 0, 0));
      if (line.hasOption("precision")) {
        b.precision(precision(line.getOptionValue("precision")));
      }
      b.augment(!line.hasOption("no-augment"));
      return b.build();
    } catch (UsageException e) {
      throw e;
    } catch (MedvisionException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** Flags, or the task's defaults for the flags not given. */
  private record Settings(CommandLine line, Map<String, String> defaults) {
    boolean has(String name) {
      return line.hasOption(name) || defaults.containsKey(name);
    }

    String value(String name) {
      return line.hasOption(name) ? line.getOptionValue(name) : defaults.get(name);
    }

    int integer(String name, int fallback, int min) {
      String v = value(name);
      if (v == null) {
        return fallback;
      }
      try {
        int n = Integer.parseInt(v.trim());
        if (n < min) {
          throw new UsageException("--" + name + " must be at least " + min + ", got " + n);
        }
        return n;
      } catch (NumberFormatException e) {
        throw new UsageException("--" + name + " needs an integer, got '" + v + "'");
      }
    }

    double number(String name) {
      String v = value(name);
      try {
        return Double.parseDouble(v.trim());
      } catch (NumberFormatException e) {
        throw new UsageException("--" + name + " needs a number, got '" + v + "'");
      }
    }
  }

  private static OptimizerSpec.Kind optimizer(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("adamw")) {
      return OptimizerSpec.Kind.ADAMW;
    }
    if (t.equals("sgd")) {
      return OptimizerSpec.Kind.SGD;
    }
    throw new UsageException("unknown --optimizer '" + text + "'; use adamw or sgd");
  }

  private static Precision precision(String text) {
    switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "float32":
      case "fp32":
        return Precision.FLOAT32;
      case "bf16":
      case "bfloat16":
        return Precision.BF16_MIXED;
      case "fp16":
      case "float16":
        return Precision.FP16_MIXED;
      default:
        throw new UsageException("unknown --precision '" + text + "'; use float32, bf16 or fp16");
    }
  }
}
