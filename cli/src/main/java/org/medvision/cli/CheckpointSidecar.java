package org.medvision.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.medvision.api.MedvisionException;
import org.medvision.api.embed.Medvision;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskConfig;
import org.medvision.train.CheckpointInfo;
import org.medvision.train.Checkpoints;

/**
 * Reconciles the task options of a command with the JSON sidecar a trainer wrote beside a checkpoint
 * ({@code best.json} next to {@code best.safetensors}): options left out are taken from the sidecar, options given
 * must agree with it.
 */
final class CheckpointSidecar {
  private CheckpointSidecar() {}

  /** The sidecar of {@code weights} ({@code name.json} for {@code name.safetensors}), or null when there is none. */
  static CheckpointInfo find(Path weights) {
    String name = weights.getFileName().toString();
    String stem = name.endsWith(".safetensors") ? name.substring(0, name.length() - ".safetensors".length()) : name;
    Path sidecar = weights.resolveSibling(stem + ".json");
    return Files.isRegularFile(sidecar) ? Checkpoints.readInfo(sidecar) : null;
  }

  /**
   * The task the options describe, completed from {@code info} when it is not null.
   *
   * @param weights the checkpoint, for messages
   * @throws MedvisionException if an option names another task, variant, subtask, fusion or image size than the
   *     checkpoint was trained for, naming both
   * @throws UsageException if neither the options nor a sidecar name the task
   */
  static Task task(CommandLine line, Medvision mv, CheckpointInfo info, Path weights) {
    if (info == null) {
      return TaskOptions.task(line, mv);
    }
    String name = line.hasOption("task") ? line.getOptionValue("task") : info.task();
    agree(weights, "task", info.task(), name);
    TaskConfig trained = info.taskConfig();
    int size = trained.imageSize();
    if (line.hasOption("image-size")) {
      int asked = Args.integer(line, "image-size", size, 1);
      agree(weights, "image-size", Integer.toString(size), Integer.toString(asked));
    }
    TaskConfig c = new TaskConfig(pick(line, "variant", trained.variant(), weights),
        pick(line, "subtask", trained.subtask(), weights), pick(line, "fusion", trained.fusion(), weights), size,
        trained.options());
    return mv.task(name, c);
  }

  private static String pick(CommandLine line, String option, String trained, Path weights) {
    if (line.hasOption(option)) {
      agree(weights, option, trained, line.getOptionValue(option));
    }
    return trained;
  }

  private static void agree(Path weights, String option, String trained, String asked) {
    if (!trained.equals(asked)) {
      throw new MedvisionException("checkpoint " + weights + " was trained for " + option + " '" + trained
          + "' but --" + option + " " + asked + " was given; drop --" + option + " (the checkpoint's sidecar "
          + "supplies it) or use a checkpoint trained for " + option + " '" + asked + "'");
    }
  }
}
