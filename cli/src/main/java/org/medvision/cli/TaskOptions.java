package org.medvision.cli;

import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.medvision.api.embed.Medvision;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.weights.KeyMap;

/** The options that choose and configure a task model, shared by info, export, predict and bench. */
final class TaskOptions {
  private TaskOptions() {}

  static Options add(Options options) {
    return options
        .addOption(Args.valued("task", "NAME", "task to build (required); 'medvision tasks' lists them"))
        .addOption(Args.valued("variant", "NAME", "size variant (default: the task's default)"))
        .addOption(Args.valued("subtask", "NAME", "output definition, e.g. 3class (default: the task's default)"))
        .addOption(Args.valued("fusion", "NAME", "fusion configuration (default: the task's default)"))
        .addOption(Args.valued("image-size", "N", "input height and width in pixels (default: the task's default)"));
  }

  /** The configuration the options describe, starting from the task's default. */
  static TaskConfig config(CommandLine line, Medvision mv) {
    String name = Args.required(line, "task");
    TaskConfig c = mv.defaultConfig(name);
    if (line.hasOption("variant")) {
      c = c.withVariant(line.getOptionValue("variant"));
    }
    if (line.hasOption("subtask")) {
      c = c.withSubtask(line.getOptionValue("subtask"));
    }
    if (line.hasOption("fusion")) {
      c = c.withFusion(line.getOptionValue("fusion"));
    }
    return c.withImageSize(Args.integer(line, "image-size", c.imageSize(), 1));
  }

  /** Builds the task the options describe. */
  static Task task(CommandLine line, Medvision mv) {
    return mv.task(Args.required(line, "task"), config(line, mv));
  }

  /** The foreign checkpoint layouts of the task the options name, for {@code --key-map}. */
  static Map<String, KeyMap> keyMaps(CommandLine line, Medvision mv) {
    return mv.tasks().get(Args.required(line, "task")).keyMaps();
  }

  /** A short description such as {@code strokenext tiny/3class/conv1d @224}. */
  static String describe(Task task) {
    TaskConfig c = task.config();
    return task.name() + " " + c.variant() + "/" + c.subtask() + "/" + c.fusion() + " @" + c.imageSize();
  }
}
