package org.medvision.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphStats;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.task.Task;
import org.medvision.api.weights.Weights;

/** Prints a layer profile ({@link LayerBench}) as tables or JSON. */
final class LayerReport {
  /** ONNX Runtime kernels listed in the op breakdown. */
  private static final int TOP_OPS = 8;

  private LayerReport() {}

  static void text(PrintStream out, Task task, GraphStats stats, BenchSettings settings, Weights weights, int batch,
      List<LayerShapes.Layer> layers, List<EnginePhase<LayerBench.Run>> runs) {
    BenchReport.header(out, task, stats, settings, weights, "median of " + settings.iterations() + " timed runs after "
        + settings.warmup() + " warm-up, each layer alone and the whole model, batch " + batch);
    int nodes = layers.stream().mapToInt(LayerShapes.Layer::count).sum();
    out.println("layers     " + layers.size() + " distinct shapes of " + nodes + " nodes (" + LayerShapes.profiledOps()
        + "); convolutions hold " + Formats.giga(convMultiplyAdds(layers)) + " of the "
        + Formats.giga(stats.multiplyAdds() * batch) + " multiply-adds of the batch");
    BenchReport.engines(out, runs, settings.peakSize());
    for (EnginePhase<LayerBench.Run> e : runs) {
      LayerBench.Run r = e.rows().get(0);
      Map<Integer, Double> inModel = inModel(task.graph(), layers, r.onnxNodes());
      double sum = layerSum(layers, r);
      out.println();
      out.println(e.engine() + ": whole model " + Formats.fixed(r.modelMs(), 1) + " ms; layers alone, summed over "
          + "their nodes, " + Formats.fixed(sum, 1) + " ms (" + Formats.fixed(100 * sum / r.modelMs(), 0)
          + "% of the model); remainder " + Formats.fixed(r.modelMs() - sum, 1) + " ms");
      List<String> header = new ArrayList<>(List.of("#", "op", "kernel", "stride", "input", "output", "count",
          "M MAC", "ms", "GFLOP/s", "% peak", "GB/s", "ms total", "share %"));
      if (!inModel.isEmpty()) {
        header.add("in model ms");
      }
      Table t = new Table(header.toArray(new String[0]));
      for (int i = 0; i < layers.size(); i++) {
        LayerShapes.Layer l = layers.get(i);
        double ms = r.layerMs().get(i);
        double gflops = 2.0 * l.multiplyAdds() / ms / 1e6;
        List<Object> cells = new ArrayList<>(List.of(i + 1, l.op().irName(), l.kernel(), l.strides(),
            LayerShapes.dims(l.inputs().get(0).dims()), LayerShapes.dims(l.output().dims()), l.count(),
            Formats.fixed(l.multiplyAdds() / 1e6, 1), Formats.fixed(ms, 2),
            l.multiplyAdds() == 0 ? "-" : Formats.fixed(gflops, 1),
            l.multiplyAdds() == 0 ? "-" : BenchReport.percentOfPeak(e, gflops),
            Formats.fixed(l.activationBytes() / ms / 1e6, 1), Formats.fixed(ms * l.count(), 1),
            Formats.fixed(100 * ms * l.count() / sum, 1)));
        if (!inModel.isEmpty()) {
          cells.add(inModel.containsKey(i) ? Formats.fixed(inModel.get(i), 1) : "fused");
        }
        t.row(cells.toArray());
      }
      t.print(out);
      if (!r.onnxNodes().isEmpty()) {
        opBreakdown(out, r);
      }
    }
    if (runs.size() > 1) {
      comparison(out, layers, runs);
    }
    out.println();
    out.println("ms = median time of the layer alone (one node); ms total = ms x count; share = of the summed layer "
        + "times. GFLOP/s = 2 x multiply-adds / ms; GB/s = (input + output activation bytes) / ms, the measure for "
        + "memory-bound layers (pooling, batch norm, 1x1x1 convolutions). A layer alone also pays for handing its "
        + "input to the engine and its output back (on TensorFlow also the change to channels-last and back), so "
        + "the sum can exceed the whole model; the remainder is the model's other ops (ReLU, residual adds, "
        + "global pooling) and framework overhead, less what the layers pay alone.");
    if (runs.stream().anyMatch(e -> !e.rows().get(0).onnxNodes().isEmpty())) {
      out.println("in model ms = ONNX Runtime's profiler on the whole model: kernel time of the layer's nodes per "
          + "run (median per node; 'fused' = folded into another kernel, e.g. batch norm into the convolution "
          + "before it).");
    }
  }

  /** ONNX Runtime's time per kernel type inside the whole model. */
  private static void opBreakdown(PrintStream out, LayerBench.Run r) {
    Map<String, Double> byOp = new LinkedHashMap<>();
    r.onnxNodes().forEach(n -> byOp.merge(n.opType(), n.msPerRun(), Double::sum));
    double total = byOp.values().stream().mapToDouble(Double::doubleValue).sum();
    out.println("ONNX Runtime profile of the whole model: " + Formats.fixed(total, 1) + " ms of kernels per run "
        + "(median per node; compare with the whole model's time above, the rest is the session's own work)");
    Table t = new Table("kernel", "nodes", "ms per run", "share %");
    byOp.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(TOP_OPS)
        .forEach(e -> t.row(e.getKey(), r.onnxNodes().stream().filter(n -> n.opType().equals(e.getKey())).count(),
            Formats.fixed(e.getValue(), 1), Formats.fixed(100 * e.getValue() / total, 1)));
    t.print(out);
  }

  /** One row per layer with each engine's total time, and the fastest. */
  private static void comparison(PrintStream out, List<LayerShapes.Layer> layers,
      List<EnginePhase<LayerBench.Run>> runs) {
    out.println();
    out.println("by engine (ms total per layer shape; whole model last):");
    List<String> header = new ArrayList<>(List.of("#", "op", "kernel", "stride", "input", "count"));
    runs.forEach(e -> header.add(e.engine()));
    header.add("fastest");
    Table t = new Table(header.toArray(new String[0]));
    for (int i = 0; i < layers.size(); i++) {
      LayerShapes.Layer l = layers.get(i);
      List<Object> cells = new ArrayList<>(List.of(i + 1, l.op().irName(), l.kernel(), l.strides(),
          LayerShapes.dims(l.inputs().get(0).dims()), l.count()));
      int best = 0;
      for (int e = 0; e < runs.size(); e++) {
        double ms = runs.get(e).rows().get(0).layerMs().get(i) * l.count();
        cells.add(Formats.fixed(ms, 1));
        best = ms < runs.get(best).rows().get(0).layerMs().get(i) * l.count() ? e : best;
      }
      cells.add(runs.get(best).engine());
      t.row(cells.toArray());
    }
    List<Object> model = new ArrayList<>(List.of("", "model", "", "", "", 1));
    int best = 0;
    for (int e = 0; e < runs.size(); e++) {
      double ms = runs.get(e).rows().get(0).modelMs();
      model.add(Formats.fixed(ms, 1));
      best = ms < runs.get(best).rows().get(0).modelMs() ? e : best;
    }
    model.add(runs.get(best).engine());
    t.row(model.toArray());
    t.print(out);
  }

  static Map<String, Object> json(Task task, GraphStats stats, BenchSettings settings, Weights weights, int batch,
      List<LayerShapes.Layer> layers, List<EnginePhase<LayerBench.Run>> runs) {
    Map<String, Object> m = BenchReport.json("layers", task, stats, settings, weights);
    m.put("batch", batch);
    m.put("convMultiplyAdds", convMultiplyAdds(layers));
    List<Object> list = new ArrayList<>();
    for (LayerShapes.Layer l : layers) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("op", l.op().irName());
      j.put("inputs", l.inputs().stream().map(s -> s.dims()).toList());
      j.put("output", l.output().dims());
      j.put("kernel", l.kernel());
      if (l.hasGeometry()) {
        j.put("strides", l.geometry().strides());
        j.put("padsBegin", l.geometry().padsBegin());
        j.put("padsEnd", l.geometry().padsEnd());
        j.put("dilations", l.geometry().dilations());
      }
      j.put("count", l.count());
      j.put("multiplyAddsPerLayer", l.multiplyAdds());
      j.put("activationBytesPerLayer", l.activationBytes());
      j.put("nodes", l.nodes());
      list.add(j);
    }
    m.put("layers", list);
    List<Object> engines = new ArrayList<>();
    for (EnginePhase<LayerBench.Run> e : runs) {
      LayerBench.Run r = e.rows().get(0);
      Map<Integer, Double> inModel = inModel(task.graph(), layers, r.onnxNodes());
      double sum = layerSum(layers, r);
      Map<String, Object> j = BenchReport.jsonEngine(e);
      j.put("modelMs", r.modelMs());
      j.put("layerSumMs", sum);
      List<Object> rows = new ArrayList<>();
      for (int i = 0; i < layers.size(); i++) {
        LayerShapes.Layer l = layers.get(i);
        double ms = r.layerMs().get(i);
        double gflops = 2.0 * l.multiplyAdds() / ms / 1e6;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("layer", i);
        row.put("msPerLayer", ms);
        row.put("msTotal", ms * l.count());
        row.put("sharePercent", 100 * ms * l.count() / sum);
        row.put("achievedGflops", gflops);
        row.put("percentOfPeak", e.percentOfPeak(gflops));
        row.put("gbPerSecond", l.activationBytes() / ms / 1e6);
        if (!r.onnxNodes().isEmpty()) {
          row.put("inModelMs", inModel.get(i));
        }
        rows.add(row);
      }
      j.put("results", rows);
      if (!r.onnxNodes().isEmpty()) {
        List<Object> nodes = new ArrayList<>();
        for (OnnxNodeProfile.NodeTime n : r.onnxNodes()) {
          nodes.add(Map.of("node", n.node(), "opType", n.opType(), "msPerRun", n.msPerRun()));
        }
        j.put("onnxProfile", nodes);
      }
      engines.add(j);
    }
    m.put("engines", engines);
    return m;
  }

  /** The multiply-adds of every convolution node of the batch. */
  static long convMultiplyAdds(List<LayerShapes.Layer> layers) {
    return layers.stream().filter(l -> l.op() == Op.CONV).mapToLong(l -> l.multiplyAdds() * l.count()).sum();
  }

  private static double layerSum(List<LayerShapes.Layer> layers, LayerBench.Run r) {
    double sum = 0;
    for (int i = 0; i < layers.size(); i++) {
      sum += r.layerMs().get(i) * layers.get(i).count();
    }
    return sum;
  }

  /**
   * ONNX Runtime's in-model time of each layer (by index), summed over its nodes: a profiled node belongs to the
   * node of {@code graph} whose name is the longest prefix of its own (fusions keep or extend the first node's
   * name). Layers none of whose nodes was profiled (folded into another kernel) are absent.
   */
  private static Map<Integer, Double> inModel(Graph graph, List<LayerShapes.Layer> layers,
      List<OnnxNodeProfile.NodeTime> nodes) {
    Map<String, Integer> layerOf = new HashMap<>();
    for (int i = 0; i < layers.size(); i++) {
      for (String n : layers.get(i).nodes()) {
        layerOf.put(n, i);
      }
    }
    List<String> names = graph.nodes().stream().map(Node::name).toList();
    Map<Integer, Double> out = new LinkedHashMap<>();
    for (OnnxNodeProfile.NodeTime n : nodes) {
      String owner = null;
      for (String name : names) {
        if (n.node().startsWith(name) && (owner == null || name.length() > owner.length())) {
          owner = name;
        }
      }
      if (owner != null && layerOf.containsKey(owner)) {
        out.merge(layerOf.get(owner), n.msPerRun(), Double::sum);
      }
    }
    return out;
  }
}
