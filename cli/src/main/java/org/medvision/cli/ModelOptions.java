package org.medvision.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.medvision.api.MedvisionException;
import org.medvision.api.embed.Medvision;
import org.medvision.api.registry.UnknownNameException;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskProvider;
import org.medvision.api.weights.KeyMap;
import org.medvision.runtime.ModelCheckpoint;
import org.medvision.runtime.ModelSource;

/**
 * Where a trained model comes from: {@code --model FILE} (a checkpoint, its sidecar, or an ensemble file, each
 * recording the task and every option, so nothing else is needed), {@code --weights FILE} (the same for a checkpoint
 * with a sidecar; a plain weights file needs {@code --task} and the options it was made with), or
 * {@code --random-init [--seed N]}. Task options given besides a model file must agree with what it records.
 */
final class ModelOptions {
  /** Seed used by --random-init without --seed. */
  static final long DEFAULT_SEED = 0;

  private ModelOptions() {}

  static Options add(Options options, boolean allowRandom) {
    return add(options, allowRandom, true);
  }

  /** The options, for a command that runs ensembles or (export, bench) one model at a time. */
  static Options add(Options options, boolean allowRandom, boolean allowEnsemble) {
    options.addOption(Args.valued("model", "FILE", "a trained model: a checkpoint (best.safetensors, or its "
        + "best.json)" + (allowEnsemble ? " or an ensemble.json" : ", one member of an ensemble at a time")
        + "; it records the task and every option (default: none)"));
    options.addOption(Args.valued("weights", "FILE", "weights in .safetensors format: a checkpoint with its sidecar "
        + "is used as --model; a plain file needs --task and the options it was made with ('medvision info --params' "
        + "lists the names it must hold)"));
    options.addOption(Args.valued("key-map", "NAME", "read --weights saved in another layout, e.g. torchvision for "
        + "the StrokeNeXt authors' checkpoints or medicalnet for MedicalNet backbones ('medvision tasks' lists each "
        + "task's layouts; default: none, the task's own names)"));
    if (allowRandom) {
      options.addOption(Args.flag("random-init", "use seeded random initial weights instead of --weights"));
      options.addOption(Args.valued("seed", "N", "seed for --random-init (default: " + DEFAULT_SEED + ")"));
    }
    return options;
  }

  /** Whether the options name a model at all. */
  static boolean given(CommandLine line) {
    return line.hasOption("model") || line.hasOption("weights") || line.hasOption("random-init");
  }

  /**
   * The model the options name.
   *
   * @param randomByDefault whether no model at all means random weights (bench) rather than an error
   * @throws UsageException if the options conflict or name no model
   * @throws MedvisionException if a file is missing, damaged or disagrees with the options
   */
  static ModelSource load(CommandLine line, Medvision mv, boolean randomByDefault, PrintStream err) {
    Path model = Args.path(line, "model");
    Path weights = Args.path(line, "weights");
    boolean random = line.hasOption("random-init");
    int sources = (model != null ? 1 : 0) + (weights != null ? 1 : 0) + (random ? 1 : 0);
    if (sources > 1) {
      throw new UsageException("give one of --model, --weights and --random-init");
    }
    if (line.hasOption("key-map") && weights == null) {
      throw new UsageException("--key-map needs --weights");
    }
    if (!random && line.hasOption("seed") && !randomByDefault && model == null && weights == null) {
      throw new UsageException("--seed needs --random-init");
    }
    Path recorded = model != null ? model : weights != null && ModelCheckpoint.sidecarOf(weights).isPresent()
        && !line.hasOption("key-map") ? weights : null;
    if (recorded != null) {
      String taskName = ModelSource.taskName(recorded);
      if (taskName == null) {
        throw new MedvisionException("model file " + recorded + " records no task; give a checkpoint a training run "
            + "wrote (with its .json sidecar), an ensemble.json, or --weights with --task");
      }
      TaskProvider provider;
      try {
        provider = mv.tasks().get(line.hasOption("task") ? line.getOptionValue("task") : taskName);
      } catch (UnknownNameException e) {
        throw new MedvisionException("model " + recorded + " is for task '" + taskName + "': " + e.getMessage(), e);
      }
      return ModelSource.load(mv, recorded, TaskOptions.request(line, provider, mv));
    }
    if (!line.hasOption("task")) {
      throw new UsageException(weights != null ? "weights " + weights + " have no checkpoint sidecar naming their "
          + "task; give --task and the options they were made with" : "give --model FILE, --weights FILE with "
          + "--task, or --random-init with --task");
    }
    Task task = TaskOptions.task(line, mv);
    if (weights != null) {
      return ModelSource.ofWeights(task, weights, keyMap(line, mv));
    }
    if (!random && !randomByDefault) {
      throw new UsageException("give --model FILE, --weights FILE or --random-init [--seed N]");
    }
    long seed = Args.longValue(line, "seed", DEFAULT_SEED);
    err.println("using random weights (seed " + seed + ")");
    return ModelSource.random(task, seed);
  }

  /** The key map named by {@code --key-map}, or null. */
  static KeyMap keyMap(CommandLine line, Medvision mv) {
    String name = line.getOptionValue("key-map");
    if (name == null) {
      return null;
    }
    Map<String, KeyMap> keyMaps = TaskOptions.keyMaps(line, mv);
    KeyMap map = keyMaps.get(name);
    if (map == null) {
      throw new UnknownNameException("key map", name, keyMaps.keySet().stream().sorted().toList(),
          keyMaps.isEmpty() ? "this task reads only its own parameter names" : "");
    }
    return map;
  }
}
