package org.medvision.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.medvision.api.MedvisionException;
import org.medvision.api.embed.Medvision;
import org.medvision.api.task.OptionSpec;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.task.TaskProvider;
import org.medvision.api.weights.KeyMap;
import org.medvision.runtime.ModelRequest;

/**
 * The options that choose and configure a task model, shared by every command that builds one: {@code --task},
 * {@code --variant}, {@code --set KEY=VALUE} (repeatable, any option the task declares; {@code medvision tasks}
 * lists them), and the flags of earlier versions that set an option of the tasks declaring it ({@code --subtask},
 * {@code --fusion}, {@code --image-size}, ...).
 */
final class TaskOptions {
  private TaskOptions() {}

  static Options add(Options options, Medvision mv) {
    options
        .addOption(Args.valued("task", "NAME", "task to build; 'medvision tasks' lists them with their variants and "
            + "options (required unless a model file records it)"))
        .addOption(Args.valued("variant", "NAME", "size variant (default: the task's default)"))
        .addOption(Option.builder().longOpt("set").hasArg().argName("KEY=VALUE").desc("set a task option, e.g. "
            + "--set input=32x64x64 or --set sampler=size-balanced; repeatable; 'medvision tasks' lists each task's "
            + "options, defaults and allowed values (default: the task's defaults)").build());
    for (Map.Entry<String, String> alias : aliases(mv).entrySet()) {
      options.addOption(Args.valued(alias.getKey(), "VALUE", "same as --set " + alias.getValue() + "=VALUE, for "
          + "the tasks that declare " + alias.getValue() + " (default: the task's)"));
    }
    return options;
  }

  /** Every installed task's alias flag to the option it sets (the first task's wins on a clash). */
  static Map<String, String> aliases(Medvision mv) {
    Map<String, String> all = new TreeMap<>();
    for (TaskProvider p : mv.tasks().all()) {
      p.optionAliases().forEach(all::putIfAbsent);
    }
    return all;
  }

  /**
   * The options set explicitly for {@code provider}, from {@code --set} and its alias flags.
   *
   * @throws UsageException for a malformed {@code --set}, an option or alias flag the task does not declare, or a
   *     value the option does not allow
   */
  static Map<String, String> explicit(CommandLine line, TaskProvider provider, Medvision mv) {
    Map<String, String> out = new LinkedHashMap<>();
    Map<String, String> flagOf = new LinkedHashMap<>();
    for (Map.Entry<String, String> alias : aliases(mv).entrySet()) {
      if (line.hasOption(alias.getKey())) {
        String option = provider.optionAliases().get(alias.getKey());
        if (option == null) {
          throw new UsageException("--" + alias.getKey() + " sets option " + alias.getValue() + ", which task "
              + provider.name() + " does not have; its options: " + provider.options().stream()
              .map(OptionSpec::name).toList());
        }
        out.put(option, line.getOptionValue(alias.getKey()));
        flagOf.put(option, "--" + alias.getKey());
      }
    }
    String[] sets = line.getOptionValues("set");
    if (sets != null) {
      for (String s : sets) {
        int eq = s.indexOf('=');
        if (eq <= 0) {
          throw new UsageException("--set needs KEY=VALUE, got '" + s + "'");
        }
        String key = s.substring(0, eq).trim();
        if (out.containsKey(key) && !out.get(key).equals(s.substring(eq + 1).trim())) {
          throw new UsageException("option " + key + " is set twice, to '" + out.get(key) + "' and '"
              + s.substring(eq + 1).trim() + "'");
        }
        out.put(key, s.substring(eq + 1).trim());
        flagOf.putIfAbsent(key, "--set " + key);
      }
    }
    out.forEach((key, value) -> checkValue(provider, key, value, flagOf.get(key)));
    return out;
  }

  private static void checkValue(TaskProvider provider, String key, String value, String flag) {
    OptionSpec spec = provider.options().stream().filter(o -> o.name().equals(key)).findFirst().orElseThrow(
        () -> new UsageException("task " + provider.name() + " has no option '" + key + "'; its options: "
            + String.join(", ", provider.options().stream().map(OptionSpec::name).toList())
            + " ('medvision tasks " + provider.name() + "' describes them)"));
    try {
      spec.canonical(value);
    } catch (MedvisionException e) {
      throw new UsageException(flag + ": " + e.getMessage());
    }
  }

  /** The provider named by {@code --task}. */
  static TaskProvider provider(CommandLine line, Medvision mv) {
    return mv.tasks().get(Args.required(line, "task"));
  }

  /** The configuration the options describe, starting from the task's defaults. */
  static TaskConfig config(CommandLine line, Medvision mv) {
    TaskProvider p = provider(line, mv);
    String variant = line.hasOption("variant") ? line.getOptionValue("variant") : p.defaultVariant();
    return p.configure(variant, explicit(line, p, mv));
  }

  /** Builds the task the options describe. */
  static Task task(CommandLine line, Medvision mv) {
    return mv.task(Args.required(line, "task"), config(line, mv));
  }

  /** What the user asked for on top of a model file recording {@code provider}'s task. */
  static ModelRequest request(CommandLine line, TaskProvider provider, Medvision mv) {
    return new ModelRequest(line.getOptionValue("task"), line.getOptionValue("variant"),
        explicit(line, provider, mv));
  }

  /** The foreign checkpoint layouts of the task the options name, for {@code --key-map}. */
  static Map<String, KeyMap> keyMaps(CommandLine line, Medvision mv) {
    return provider(line, mv).keyMaps();
  }

  /** A short description such as {@code strokenext atto fusion=conv1d image_size=96 subtask=3class}. */
  static String describe(Task task) {
    return task.name() + " " + task.config();
  }
}
