package org.medvision.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphStats;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.graph.io.GraphFiles;
import org.medvision.engine.onnx.importer.ImportOptions;
import org.medvision.engine.onnx.importer.ImportedModel;
import org.medvision.engine.onnx.importer.OnnxImporter;

/**
 * {@code medvision import}: reads an ONNX model into the IR, describes it, and writes it as a {@code .graph} file
 * that {@code predict --model} runs on any engine.
 */
public final class ImportCommand implements Command {
  @Override
  public String name() {
    return "import";
  }

  @Override
  public String summary() {
    return "import an ONNX model into the graph IR and save it as a .graph file";
  }

  @Override
  public String description() {
    return "Reads an ONNX model (ai.onnx opset " + OnnxImporter.MIN_OPSET + " to " + OnnxImporter.MAX_OPSET
        + ", initializers inline or as external data beside it), translates it into the IR and prints its inputs, "
        + "outputs, the IR ops it uses with their counts, and its parameters. Everything the IR cannot express "
        + "(operators outside it, attribute values, dtypes) is listed together in one error. With --out the graph "
        + "and its weights are written to one .graph file (a safetensors file carrying the graph as JSON in its "
        + "metadata) that 'medvision predict --model' runs on every engine; without --out nothing is written.";
  }

  @Override
  public List<String> examples() {
    return List.of("import model.onnx --out model.graph", "import model.onnx --json",
        "import model.onnx --out model.graph --drop-auxiliary-outputs");
  }

  @Override
  public Options options() {
    return new Options()
        .addOption(Args.valued("out", "FILE", "where to write the .graph file (default: write nothing)"))
        .addOption(Args.flag("drop-auxiliary-outputs", "drop graph outputs the IR ops lack (LayerNormalization's "
            + "Mean, Dropout's mask, MaxPool's Indices) instead of refusing the model"))
        .addOption(Args.flag("json", "print JSON instead of text"));
  }

  @Override
  public int run(CommandLine line, CommandContext ctx) {
    List<String> args = line.getArgList();
    if (args.size() != 1) {
      throw new UsageException("give exactly one ONNX model file, e.g. 'medvision import model.onnx --out "
          + "model.graph'" + (args.isEmpty() ? "" : "; got " + args));
    }
    Path file = Path.of(args.get(0));
    if (!Files.isRegularFile(file)) {
      throw new MedvisionException("ONNX model file not found: " + file);
    }
    ImportOptions options = line.hasOption("drop-auxiliary-outputs")
        ? ImportOptions.defaults().withAuxiliaryOutputsDropped() : ImportOptions.defaults();
    ImportedModel model = OnnxImporter.read(file, options);
    Path out = Args.path(line, "out");
    if (out != null) {
      GraphFiles.write(model.graph(), model.weights(), out);
    }
    if (line.hasOption("json")) {
      ctx.out().println(Json.write(json(file, out, model)));
    } else {
      text(ctx.out(), file, out, model);
    }
    return ExitCodes.OK;
  }

  /** IR op name to the number of nodes using it, sorted by name. */
  static Map<String, Integer> opCounts(Graph graph) {
    Map<String, Integer> counts = new TreeMap<>();
    for (Node n : graph.nodes()) {
      counts.merge(n.op().irName(), 1, Integer::sum);
    }
    return counts;
  }

  private static String describe(ValueInfo v) {
    return v.name() + ": " + v.dtype() + v.shape();
  }

  private static void text(PrintStream out, Path file, Path written, ImportedModel model) {
    Graph g = model.graph();
    GraphStats stats = GraphStats.of(g, 1);
    out.println("model       " + file + " -> graph '" + g.name() + "' (IR version " + g.irVersion() + ")");
    for (ValueInfo v : g.inputs()) {
      out.println("input       " + describe(v));
    }
    for (ValueInfo v : g.outputs()) {
      out.println("output      " + describe(v));
    }
    List<String> ops = new ArrayList<>();
    opCounts(g).forEach((op, n) -> ops.add(op + " x" + n));
    out.println("ops         " + g.nodes().size() + " nodes: " + String.join(", ", ops));
    out.println("parameters  " + g.parameters().size() + " tensors, " + Formats.grouped(model.weights()
        .elementCount()) + " values (" + Formats.grouped(stats.parameters()) + " trainable), "
        + Formats.giga(stats.multiplyAdds()) + " multiply-adds per sample");
    if (!model.renamedParameters().isEmpty()) {
      out.println("renamed     " + model.renamedParameters().size() + " initializers to dotted IR names, e.g. "
          + model.renamedParameters().entrySet().iterator().next());
    }
    for (String d : model.droppedOutputs()) {
      out.println("dropped     auxiliary output " + d);
    }
    for (String n : model.notes()) {
      out.println("note        " + n);
    }
    out.println(written == null ? "written     nothing (give --out FILE.graph to save it)"
        : "written     " + written);
  }

  private static Map<String, Object> json(Path file, Path written, ImportedModel model) {
    Graph g = model.graph();
    GraphStats stats = GraphStats.of(g, 1);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", file.toString());
    m.put("graph", g.name());
    m.put("irVersion", g.irVersion());
    m.put("inputs", values(g.inputs()));
    m.put("outputs", values(g.outputs()));
    m.put("nodes", g.nodes().size());
    m.put("ops", opCounts(g));
    List<Object> params = new ArrayList<>();
    g.parameters().forEach(p -> {
      Map<String, Object> pm = new LinkedHashMap<>();
      pm.put("name", p.name());
      pm.put("dtype", p.dtype().toString());
      pm.put("shape", p.shape().dims());
      pm.put("role", p.role().name().toLowerCase(java.util.Locale.ROOT));
      params.add(pm);
    });
    m.put("parameters", params);
    m.put("parameterValues", model.weights().elementCount());
    m.put("trainableParameters", stats.parameters());
    m.put("multiplyAddsPerSample", stats.multiplyAdds());
    m.put("renamedParameters", new TreeMap<>(model.renamedParameters()));
    m.put("droppedOutputs", model.droppedOutputs());
    m.put("notes", model.notes());
    m.put("written", written == null ? null : written.toString());
    return m;
  }

  private static List<Object> values(List<ValueInfo> values) {
    List<Object> out = new ArrayList<>();
    for (ValueInfo v : values) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", v.name());
      m.put("dtype", v.dtype().toString());
      m.put("shape", v.shape().dims());
      out.add(m);
    }
    return out;
  }
}
