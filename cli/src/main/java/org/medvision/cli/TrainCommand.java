package org.medvision.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.medvision.api.MedvisionException;
import org.medvision.api.embed.Medvision;
import org.medvision.api.engine.Device;
import org.medvision.api.engine.Engine;
import org.medvision.api.task.OutputSpec;
import org.medvision.api.task.Task;
import org.medvision.api.training.OptimizerSpec;
import org.medvision.api.training.Precision;
import org.medvision.api.weights.Weights;
import org.medvision.train.CheckpointInfo;
import org.medvision.train.Checkpoints;
import org.medvision.train.ClassWeighting;
import org.medvision.train.RunFiles;
import org.medvision.train.SelectionMetric;
import org.medvision.train.StopOnShutdown;
import org.medvision.train.Trainer;
import org.medvision.train.TrainerConfig;
import org.medvision.train.TrainingData;
import org.medvision.train.TrainingRequest;
import org.medvision.train.TrainingResult;

/** {@code medvision train}: trains a task's classifier on a data set and writes checkpoints into a run directory. */
public final class TrainCommand implements Command {
  /** Engine used when --engine is absent: the first engine that trains. */
  static final String DEFAULT_ENGINE = "djl";
  /** Exit code of a run stopped by Ctrl-C after saving a resumable checkpoint (128 + SIGINT, as shells report). */
  static final int INTERRUPTED = 130;

  /** Options that set training and so must come from the checkpoint when resuming. */
  private static final List<String> TRAINING_OPTIONS = List.of("batch", "optimizer", "lr", "final-lr", "momentum",
      "weight-decay", "warmup-epochs", "label-smoothing", "clip-norm", "accumulate", "class-weights",
      "select-metric", "seed", "device", "precision", "threads", "no-augment", "weights", "key-map", "force");

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
    return "Reads --data (a manifest CSV with path,label[,patient_id][,split] or a folder in the stroke dataset "
        + "layout Non-Stroke/ Ischemic/ Hemorrhagic/), maps its labels to the task's classes, keeps the manifest's "
        + "splits and assigns the rest 80/10/10 stratified with the seed, and prints the class balance. It then "
        + "trains from seeded random weights (or --weights) with AdamW, warm-up and cosine decay, label smoothing, "
        + "seeded shuffling and augmentation (flip, +-10 degree rotation, brightness/contrast), validates after "
        + "every epoch and writes into --out: best.safetensors + best.json (best epoch by --select-metric), "
        + "last.safetensors + last.json + last.optimizer.safetensors (every epoch) and training.csv. Ctrl-C stops "
        + "after the current step with a resumable checkpoint (exit code " + INTERRUPTED + "); --resume continues "
        + "a run with the same shuffles. A NaN loss stops with exit code 1 and keeps the last good checkpoint. "
        + "Defaults suit training the small variants from scratch: lr " + TrainerConfig.DEFAULT_LEARNING_RATE
        + ", weight decay " + TrainerConfig.DEFAULT_WEIGHT_DECAY + ", " + TrainerConfig.DEFAULT_EPOCHS
        + " epochs, batch " + TrainerConfig.DEFAULT_BATCH + ".";
  }

  @Override
  public List<String> examples() {
    return List.of("train --task strokenext --variant atto --subtask 3class --engine djl --data data/brain/manifest.csv"
        + " --epochs 15 --batch 32 --image-size 96 --out runs/atto",
        "train --out runs/atto --resume --epochs 20",
        "train --task strokenext --variant tiny --data Training/ --weights tv.safetensors --key-map torchvision "
            + "--lr 1e-4 --class-weights balanced --patience 5 --out runs/tiny");
  }

  @Override
  public Options options() {
    Options o = WeightsOptions.add(TaskOptions.add(new Options()), false);
    return o
        .addOption(Args.valued("data", "PATH", "manifest CSV or dataset folder (required unless --resume)"))
        .addOption(Args.valued("out", "DIR", "run directory for checkpoints and the log (required)"))
        .addOption(Args.flag("resume", "continue the run in --out from its last checkpoint"))
        .addOption(Args.flag("force", "start a new run in a non-empty --out, replacing its checkpoints and log"))
        .addOption(Args.valued("engine", "NAME", "engine that trains; 'medvision engines' lists them (default: "
            + DEFAULT_ENGINE + ")"))
        .addOption(Args.valued("device", "DEVICE", "cpu or cuda:N (default: cpu)"))
        .addOption(Args.valued("threads", "N", "engine intra-op threads; 0 lets the engine choose (default: 0)"))
        .addOption(Args.valued("epochs", "N", "epochs (default: " + TrainerConfig.DEFAULT_EPOCHS + ")"))
        .addOption(Args.valued("batch", "N", "images per step (default: " + TrainerConfig.DEFAULT_BATCH + ")"))
        .addOption(Args.valued("optimizer", "NAME", "adamw or sgd (default: adamw)"))
        .addOption(Args.valued("lr", "RATE", "peak learning rate (default: " + TrainerConfig.DEFAULT_LEARNING_RATE
            + ")"))
        .addOption(Args.valued("final-lr", "RATE", "rate the cosine decays to (default: 0)"))
        .addOption(Args.valued("momentum", "M", "SGD momentum (default: 0.9)"))
        .addOption(Args.valued("weight-decay", "W", "weight decay on conv and linear weights (default: "
            + TrainerConfig.DEFAULT_WEIGHT_DECAY + ")"))
        .addOption(Args.valued("warmup-epochs", "E", "epochs of linear warm-up (default: "
            + TrainerConfig.DEFAULT_WARMUP_EPOCHS + ")"))
        .addOption(Args.valued("label-smoothing", "EPS", "cross-entropy label smoothing (default: "
            + TrainerConfig.DEFAULT_LABEL_SMOOTHING + ")"))
        .addOption(Args.valued("clip-norm", "N", "clip the global gradient norm to N; 0 = off (default: 0)"))
        .addOption(Args.valued("accumulate", "K", "average gradients of K batches per update (default: 1)"))
        .addOption(Args.valued("class-weights", "KIND", "none or balanced (from the training split; default: none)"))
        .addOption(Args.valued("patience", "N", "stop after N epochs without improvement; 0 = never (default: 0)"))
        .addOption(Args.valued("select-metric", "NAME", "val-accuracy, val-macro-f1, val-loss or val-auroc picks "
            + "best.safetensors (default: val-accuracy)"))
        .addOption(Args.valued("seed", "N", "seed of initialisation, splits, shuffling and augmentation (default: "
            + "0)"))
        .addOption(Args.valued("precision", "P", "float32, bf16 or fp16 (mixed precision, fp16 with loss "
            + "scaling); meant for --device cuda:N, also runs on the CPU when asked, e.g. to test a setup (default: "
            + "float32)"))
        .addOption(Args.flag("no-augment", "train on the images as they are"));
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
    if (resume) {
      for (String option : TRAINING_OPTIONS) {
        if (line.hasOption(option)) {
          throw new UsageException("--" + option + " cannot be combined with --resume: a resumed run keeps the "
              + "settings of its checkpoint; only --epochs, --patience, --data and --engine may be given");
        }
      }
      Path sidecar = out.resolve(RunFiles.LAST_SIDECAR);
      CheckpointInfo info = Checkpoints.readInfo(sidecar);
      task = CheckpointSidecar.task(line, mv, info, out.resolve(RunFiles.LAST_WEIGHTS));
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
      config = config(line);
      if (line.hasOption("weights")) {
        initial = WeightsOptions.load(line, mv, task.graph(), false, ctx.err());
      } else if (line.hasOption("key-map")) {
        throw new UsageException("--key-map needs --weights");
      }
    }
    List<String> classes = classes(task);
    ctx.err().println("task " + TaskOptions.describe(task) + ", classes " + classes + "; seed " + config.seed()
        + (resume ? " (resuming " + out + ")" : ""));
    TrainingData data = TrainingData.load(dataPath, classes, config.seed());
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
          + ", precision " + config.precision().name().toLowerCase(Locale.ROOT));
      try (TrainProgress progress = new TrainProgress(ctx.err(), ctx.terminal())) {
        Trainer trainer = new Trainer(engine, progress);
        try (StopOnShutdown guard = StopOnShutdown.install(trainer, StopOnShutdown.DEFAULT_GRACE_MILLIS)) {
          result = trainer.train(new TrainingRequest(task, data, config, out, initial, resume,
              line.hasOption("force"), Main.version()));
        }
      }
    }
    ctx.out().printf(Locale.ROOT, "%s after %d epoch%s; best epoch %d with %s %.4f%n",
        result.status().name().toLowerCase(Locale.ROOT).replace('_', ' '), result.epochsCompleted(),
        result.epochsCompleted() == 1 ? "" : "s", result.bestEpoch(), result.selectMetric().id(), result.bestValue());
    ctx.out().println("best checkpoint: " + result.bestWeights() + " (seed " + result.seed() + ")");
    return result.status() == TrainingResult.Status.INTERRUPTED ? INTERRUPTED : ExitCodes.OK;
  }

  private static List<String> classes(Task task) {
    return task.outputs().stream().filter(o -> o.kind() == OutputSpec.Kind.CLASS_LOGITS).findFirst()
        .map(OutputSpec::labels).orElseThrow(() -> new MedvisionException("task " + task.name()
            + " has no class-logits output to train"));
  }

  /** The trainer settings the options describe, from the defaults. */
  static TrainerConfig config(CommandLine line) {
    TrainerConfig.Builder b = TrainerConfig.builder();
    try {
      if (line.hasOption("epochs")) {
        b.epochs(Args.integer(line, "epochs", 1, 1));
      }
      if (line.hasOption("batch")) {
        b.batchSize(Args.integer(line, "batch", 1, 1));
      }
      if (line.hasOption("optimizer")) {
        b.optimizer(optimizer(line.getOptionValue("optimizer")));
      }
      if (line.hasOption("lr")) {
        b.learningRate(number(line, "lr"));
      }
      if (line.hasOption("final-lr")) {
        b.finalLearningRate(number(line, "final-lr"));
      }
      if (line.hasOption("momentum")) {
        b.momentum(number(line, "momentum"));
      }
      if (line.hasOption("weight-decay")) {
        b.weightDecay(number(line, "weight-decay"));
      }
      if (line.hasOption("warmup-epochs")) {
        b.warmupEpochs(number(line, "warmup-epochs"));
      }
      if (line.hasOption("label-smoothing")) {
        b.labelSmoothing(number(line, "label-smoothing"));
      }
      if (line.hasOption("clip-norm")) {
        b.clipNorm(number(line, "clip-norm"));
      }
      if (line.hasOption("accumulate")) {
        b.accumulationSteps(Args.integer(line, "accumulate", 1, 1));
      }
      if (line.hasOption("class-weights")) {
        b.classWeighting(ClassWeighting.parse(line.getOptionValue("class-weights")));
      }
      if (line.hasOption("patience")) {
        b.patience(Args.integer(line, "patience", 0, 0));
      }
      if (line.hasOption("select-metric")) {
        b.selectMetric(SelectionMetric.parse(line.getOptionValue("select-metric")));
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

  private static double number(CommandLine line, String name) {
    String v = line.getOptionValue(name);
    try {
      return Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " needs a number, got '" + v + "'");
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
