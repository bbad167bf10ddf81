package org.medvision.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.medvision.api.embed.Medvision;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphStats;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.task.OutputSpec;
import org.medvision.api.task.Task;

/** {@code medvision info}: a task model's size, cost, inputs, outputs and, on request, every parameter. */
public final class InfoCommand implements Command {
  private final Provider<Medvision> medvision;

  /** A command building tasks from {@code medvision}. */
  @Inject
  public InfoCommand(Provider<Medvision> medvision) {
    this.medvision = medvision;
  }

  @Override
  public String name() {
    return "info";
  }

  @Override
  public String summary() {
    return "show a model's parameters, multiply-adds, inputs and outputs";
  }

  @Override
  public String description() {
    return "Builds the task's model graph (no weights needed) and prints: trainable parameters (exact, and in "
        + "millions), buffers (BatchNorm running statistics, not counted as parameters), multiply-adds of "
        + "convolutions and matrix products for one example at the configured input size (the convention of "
        + "papers' FLOPs columns), graph inputs (with the data field each is read from) and outputs with shapes (N "
        + "is the batch) and the node count. Task options are set with --set KEY=VALUE ('medvision tasks' lists "
        + "them). --params adds every parameter's name, shape and role; --json always includes them.";
  }

  @Override
  public List<String> examples() {
    return List.of("info --task strokenext --variant tiny", "info --task strokenext --variant atto --params",
        "info --task strokenext --variant small --image-size 256 --json",
        "info --task covid-dsa --variant resnet34 --set input=128x224x224 --json");
  }

  @Override
  public Options options() {
    return TaskOptions.add(new Options(), medvision.get())
        .addOption(Args.flag("params", "list every parameter's name, shape and role (default: off)"))
        .addOption(Args.flag("json", "print JSON (always with parameters) instead of text"));
  }

  @Override
  public int run(CommandLine line, CommandContext ctx) {
    Task task = TaskOptions.task(line, medvision.get());
    Graph graph = task.graph();
    GraphStats stats = GraphStats.of(graph, 1);
    if (line.hasOption("json")) {
      ctx.out().println(Json.write(json(task, stats)));
    } else {
      text(task, stats, line.hasOption("params"), ctx.out());
    }
    return ExitCodes.OK;
  }

  private static void text(Task task, GraphStats stats, boolean params, PrintStream out) {
    Graph g = task.graph();
    out.println("task           " + TaskOptions.describe(task));
    out.println("graph          " + g.name() + ", " + g.nodes().size() + " nodes, IR version " + g.irVersion());
    out.println("parameters     " + Formats.grouped(stats.parameters()) + " (" + Formats.millions(stats.parameters())
        + ") in " + stats.parameterTensors() + " tensors");
    out.println("buffers        " + Formats.grouped(stats.buffers()) + " (running statistics, not parameters)");
    out.println("multiply-adds  " + Formats.grouped(stats.multiplyAdds()) + " (" + Formats.giga(stats.multiplyAdds())
        + ") per example");
    out.println("inputs");
    Map<String, String> sources = task.data().graphInputs();
    for (ValueInfo in : g.inputs()) {
      String src = sources.get(in.name());
      out.println("  " + in.name() + "  " + in.dtype() + " " + in.shape() + (src == null ? "" : "  from " + src));
    }
    out.println("outputs");
    Map<String, OutputSpec> specs = new LinkedHashMap<>();
    for (OutputSpec o : task.outputs()) {
      specs.put(o.name(), o);
    }
    for (ValueInfo o : g.outputs()) {
      OutputSpec s = specs.get(o.name());
      out.println("  " + o.name() + "  " + o.dtype() + " " + o.shape() + (s == null ? ""
          : "  " + s.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ')
              + (s.labels().isEmpty() ? "" : ": " + String.join(", ", s.labels()))
              + (s.alignedTo().isEmpty() ? "" : " over " + s.alignedTo())));
    }
    if (params) {
      out.println("parameters (" + g.parameters().size() + ")");
      Table t = new Table("name", "shape", "role", "elements");
      for (ParameterSpec p : g.parameters()) {
        t.row(p.name(), p.shape(), p.role().name().toLowerCase(Locale.ROOT), Formats.grouped(p.size()));
      }
      t.print(out);
    }
  }

  private static Map<String, Object> json(Task task, GraphStats stats) {
    Graph g = task.graph();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task", task.name());
    m.put("config", TasksCommand.config(task.config()));
    m.put("graph", g.name());
    m.put("irVersion", g.irVersion());
    m.put("nodes", g.nodes().size());
    m.put("parameters", stats.parameters());
    m.put("parameterTensors", stats.parameterTensors());
    m.put("buffers", stats.buffers());
    m.put("multiplyAdds", stats.multiplyAdds());
    List<Object> inputs = new ArrayList<>();
    for (ValueInfo in : g.inputs()) {
      Map<String, Object> e = value(in);
      String source = task.data().graphInputs().get(in.name());
      if (source != null) {
        e.put("source", source);
      }
      inputs.add(e);
    }
    m.put("inputs", inputs);
    List<Object> outputs = new ArrayList<>();
    for (ValueInfo o : g.outputs()) {
      Map<String, Object> e = value(o);
      task.outputs().stream().filter(s -> s.name().equals(o.name())).findFirst().ifPresent(s -> {
        e.put("kind", s.kind().name());
        e.put("labels", s.labels());
        if (!s.alignedTo().isEmpty()) {
          e.put("alignedTo", s.alignedTo());
        }
      });
      outputs.add(e);
    }
    m.put("outputs", outputs);
    List<Object> params = new ArrayList<>();
    for (ParameterSpec p : g.parameters()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", p.name());
      e.put("shape", p.shape().dims());
      e.put("dtype", p.dtype().toString());
      e.put("role", p.role().name());
      e.put("trainable", p.role().trainable());
      params.add(e);
    }
    m.put("parameterList", params);
    return m;
  }

  private static Map<String, Object> value(ValueInfo v) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("name", v.name());
    e.put("dtype", v.dtype().toString());
    e.put("shape", v.shape().dims());
    return e;
  }
}
