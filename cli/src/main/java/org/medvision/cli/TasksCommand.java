package org.medvision.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.medvision.api.embed.Medvision;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.task.TaskProvider;

/** {@code medvision tasks}: every task plugin with its citation, variants, subtasks, fusions and default config. */
public final class TasksCommand implements Command {
  private final Provider<Medvision> medvision;

  /** A command reading tasks from {@code medvision}. */
  @Inject
  public TasksCommand(Provider<Medvision> medvision) {
    this.medvision = medvision;
  }

  @Override
  public String name() {
    return "tasks";
  }

  @Override
  public String summary() {
    return "list the task plugins with their variants, subtasks and fusions";
  }

  @Override
  public String description() {
    return "Lists every task plugin on the class path: its name, the paper it implements, the size variants "
        + "(smallest first), subtasks (output definitions), fusion configurations and the configuration used when "
        + "no option is given.";
  }

  @Override
  public List<String> examples() {
    return List.of("tasks", "tasks --json");
  }

  @Override
  public Options options() {
    return new Options().addOption(Args.flag("json", "print JSON instead of text"));
  }

  @Override
  public int run(CommandLine line, CommandContext ctx) {
    List<TaskProvider> tasks = medvision.get().tasks().all();
    if (line.hasOption("json")) {
      List<Object> out = new ArrayList<>();
      for (TaskProvider t : tasks) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("description", t.description());
        m.put("citation", t.citation());
        m.put("variants", t.variants());
        m.put("subtasks", t.subtasks());
        m.put("fusions", t.fusions());
        m.put("key_maps", t.keyMaps().keySet().stream().sorted().toList());
        m.put("defaultConfig", config(t.defaultConfig()));
        out.add(m);
      }
      ctx.out().println(Json.write(out));
      return ExitCodes.OK;
    }
    if (tasks.isEmpty()) {
      ctx.out().println("no tasks found; " + Medvision.TASK_HINT);
    }
    for (TaskProvider t : tasks) {
      TaskConfig d = t.defaultConfig();
      ctx.out().println(t.name() + (t.description().isEmpty() ? "" : " - " + t.description()));
      ctx.out().println("  citation:  " + t.citation());
      ctx.out().println("  variants:  " + String.join(", ", t.variants()));
      ctx.out().println("  subtasks:  " + String.join(", ", t.subtasks()));
      ctx.out().println("  fusions:   " + String.join(", ", t.fusions()));
      if (!t.keyMaps().isEmpty()) {
        ctx.out().println("  key maps:  " + String.join(", ", t.keyMaps().keySet().stream().sorted().toList())
            + " (checkpoint layouts --key-map reads)");
      }
      ctx.out().println("  default:   --variant " + d.variant() + " --subtask " + d.subtask() + " --fusion "
          + d.fusion() + " --image-size " + d.imageSize() + (d.options().isEmpty() ? "" : " " + d.options()));
    }
    return ExitCodes.OK;
  }

  static Map<String, Object> config(TaskConfig c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("variant", c.variant());
    m.put("subtask", c.subtask());
    m.put("fusion", c.fusion());
    m.put("imageSize", c.imageSize());
    m.put("options", c.options());
    return m;
  }
}
