package org.medvision.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.medvision.api.MedvisionException;
import org.medvision.api.embed.Medvision;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.graph.io.GraphFile;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.WeightsDigest;
import org.medvision.api.pipeline.Probabilities;

/**
 * {@code predict --model}: runs an ONNX or {@code .graph} model on the chosen engine over files given as
 * {@link ModelInputs} describes, and reports each output: the top-k classes of a 2-D float output (logits, with
 * their softmax probabilities), otherwise the output's shape and summary statistics.
 */
final class ModelPrediction {
  private ModelPrediction() {}

  /**
   * Loads, runs and prints.
   *
   * @param topK classes listed per sample for 2-D outputs
   */
  static void run(Medvision mv, Path modelFile, String engineName, CompileOptions options, List<String> args,
      float[] mean, float[] std, int topK, boolean json, PrintStream out) {
    GraphFile model = ModelFiles.load(modelFile);
    ModelInputs.Batch batch = ModelInputs.read(args, model.graph(), mean, std);
    Map<String, Tensor> outputs;
    String version;
    try (Engine engine = mv.engine(engineName)) {
      version = engine.version();
      try (CompiledModel compiled = engine.compile(model.graph(), model.weights(), options)) {
        outputs = runInChunks(compiled, batch.feeds(), batch.samples().size());
      }
    }
    if (json) {
      out.println(Json.write(json(modelFile, model, engineName, version, options, batch, outputs, topK)));
    } else {
      text(out, modelFile, model, engineName, version, options, batch, outputs, topK);
    }
  }

  /**
   * Runs the feeds, split into the graph's fixed batch where it has one (e.g. a model exported for batch 1), and
   * joins the outputs again.
   */
  private static Map<String, Tensor> runInChunks(CompiledModel model, Map<String, Tensor> feeds, int samples) {
    long fixed = -1;
    for (ValueInfo in : model.graph().inputs()) {
      long d = in.shape().rank() == 0 ? Shape.DYNAMIC : in.shape().dim(0);
      if (d != Shape.DYNAMIC) {
        fixed = d;
      }
    }
    if (fixed <= 0 || fixed == samples) {
      return model.run(feeds);
    }
    if (samples % fixed != 0) {
      throw new MedvisionException("the model takes batches of exactly " + fixed + " samples; give a multiple of "
          + fixed + " (got " + samples + ")");
    }
    Map<String, List<Tensor>> parts = new LinkedHashMap<>();
    for (int start = 0; start < samples; start += (int) fixed) {
      Map<String, Tensor> chunk = new LinkedHashMap<>();
      for (Map.Entry<String, Tensor> e : feeds.entrySet()) {
        chunk.put(e.getKey(), slice(e.getValue(), start, (int) fixed));
      }
      model.run(chunk).forEach((k, v) -> parts.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
    }
    Map<String, Tensor> joined = new LinkedHashMap<>();
    parts.forEach((k, v) -> joined.put(k, ModelInputs.concat(v)));
    return joined;
  }

  /** Rows {@code [start, start + count)} of {@code t} along axis 0. */
  static Tensor slice(Tensor t, int start, int count) {
    int row = (int) (t.byteSize() / t.shape().dim(0));
    byte[] bytes = t.toByteArray();
    return Tensor.fromBytes(t.dtype(), t.shape().withDim(0, count),
        Arrays.copyOfRange(bytes, start * row, (start + count) * row));
  }

  /** True for outputs reported as classes: float [N, K]. */
  private static boolean classes(Tensor t, int samples) {
    return t.dtype().isFloatingPoint() && t.shape().rank() == 2 && t.shape().dim(0) == samples;
  }

  /** The top {@code k} class indices of row {@code r}, most probable first. */
  static int[] top(float[] logits, int r, int classes, int k) {
    Integer[] order = new Integer[classes];
    for (int i = 0; i < classes; i++) {
      order[i] = i;
    }
    int base = r * classes;
    Arrays.sort(order, (a, b) -> Float.compare(logits[base + b], logits[base + a]));
    int[] out = new int[Math.min(k, classes)];
    for (int i = 0; i < out.length; i++) {
      out[i] = order[i];
    }
    return out;
  }

  /** min, max, mean and the first values of a tensor, as strings for the table and numbers for JSON. */
  private static Map<String, Object> summary(Tensor t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dtype", t.dtype().toString());
    m.put("shape", t.shape().dims());
    double[] v = t.dtype().isFloatingPoint() ? toDoubles(t.toFloatArray())
        : Arrays.stream(t.toLongArray()).asDoubleStream().toArray();
    if (v.length > 0) {
      m.put("min", Arrays.stream(v).min().orElseThrow());
      m.put("max", Arrays.stream(v).max().orElseThrow());
      m.put("mean", Arrays.stream(v).average().orElseThrow());
      m.put("first", Arrays.copyOf(v, Math.min(8, v.length)));
    }
    return m;
  }

  private static double[] toDoubles(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  private static void text(PrintStream out, Path file, GraphFile model, String engine, String version,
      CompileOptions options, ModelInputs.Batch batch, Map<String, Tensor> outputs, int topK) {
    out.println("model   " + file + " (graph '" + model.graph().name() + "', " + model.graph().nodes().size()
        + " nodes) on " + engine + " (" + version + "), " + options.device());
    int n = batch.samples().size();
    for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
      Tensor t = e.getValue();
      out.println();
      if (classes(t, n)) {
        int k = (int) t.shape().dim(1);
        float[] v = t.toFloatArray();
        out.println("output '" + e.getKey() + "' " + t.dtype() + t.shape() + ": top " + Math.min(topK, k)
            + " classes per sample (logit, softmax probability)");
        Table table = new Table("sample", "top classes");
        for (int r = 0; r < n; r++) {
          float[] p = Probabilities.softmax(java.util.Arrays.copyOfRange(v, r * k, r * k + k));
          List<String> cells = new ArrayList<>();
          for (int c : top(v, r, k, topK)) {
            cells.add(c + " (" + Formats.fixed(v[r * k + c], 4) + ", " + Formats.fixed(p[c], 4) + ")");
          }
          table.row(batch.samples().get(r), String.join("  ", cells));
        }
        table.print(out);
      } else {
        Map<String, Object> s = summary(t);
        out.print("output '" + e.getKey() + "' " + t.dtype() + t.shape());
        if (s.containsKey("min")) {
          out.print(String.format(Locale.ROOT, ": min %.6g, max %.6g, mean %.6g, first %s", (Double) s.get("min"),
              (Double) s.get("max"), (Double) s.get("mean"), Arrays.toString((double[]) s.get("first"))));
        }
        out.println();
      }
    }
  }

  private static Map<String, Object> json(Path file, GraphFile model, String engine, String version,
      CompileOptions options, ModelInputs.Batch batch, Map<String, Tensor> outputs, int topK) {
    Map<String, Object> m = new LinkedHashMap<>();
    Map<String, Object> provenance = new LinkedHashMap<>();
    provenance.put("model", file.toString());
    provenance.put("modelSha256", WeightsDigest.sha256(file));
    provenance.put("graph", model.graph().name());
    provenance.put("engine", engine);
    provenance.put("engineVersion", version);
    provenance.put("device", options.device().toString());
    m.put("provenance", provenance);
    m.put("samples", batch.samples());
    int n = batch.samples().size();
    Map<String, Object> outs = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
      Tensor t = e.getValue();
      Map<String, Object> o = summary(t);
      if (classes(t, n)) {
        int k = (int) t.shape().dim(1);
        float[] v = t.toFloatArray();
        List<Object> rows = new ArrayList<>();
        for (int r = 0; r < n; r++) {
          float[] p = Probabilities.softmax(java.util.Arrays.copyOfRange(v, r * k, r * k + k));
          List<Object> top = new ArrayList<>();
          for (int c : top(v, r, k, topK)) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("class", c);
            cm.put("logit", v[r * k + c]);
            cm.put("probability", p[c]);
            top.add(cm);
          }
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("sample", batch.samples().get(r));
          row.put("top", top);
          rows.add(row);
        }
        o.put("topK", rows);
      }
      outs.put(e.getKey(), o);
    }
    m.put("outputs", outs);
    return m;
  }
}
