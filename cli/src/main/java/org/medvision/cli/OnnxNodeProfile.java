package org.medvision.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Device;
import org.medvision.api.graph.Graph;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;
import org.medvision.engine.onnx.OnnxExporter;
import org.medvision.engine.onnx.OrtEnvironments;

/**
 * Where a whole model's time goes inside ONNX Runtime: its session profiler writes a Chrome-trace JSON file with the
 * duration of every kernel of every run, which is summed here per node, over the last timed runs.
 *
 * <p>This talks to ONNX Runtime directly rather than through the engine, because the neutral engine API has no
 * per-node timing and an ONNX-only switch does not belong in every engine's {@code CompileOptions}. The session is
 * made as the onnx engine makes its sessions (the same ONNX model from {@link OnnxExporter}, intra-op threads, full
 * or no graph optimisation), on the CPU only. ONNX Runtime fuses nodes (a convolution absorbs the batch norm and the
 * ReLU after it), so a trace node carries the name of the first node of its fusion.
 */
final class OnnxNodeProfile {
  /**
   * One kernel of the optimised model.
   *
   * @param node ONNX Runtime's node name (an IR node name, or one derived from it by a fusion)
   * @param opType the kernel's op, e.g. {@code FusedConv}
   * @param msPerRun its median time per run
   */
  record NodeTime(String node, String opType, double msPerRun) {}

  /** The suffix of a kernel's event name in the trace; the rest is the node's name. */
  private static final String KERNEL_SUFFIX = "_kernel_time";

  private OnnxNodeProfile() {}

  /**
   * Runs {@code graph} {@code warmup + runs} times with profiling on and returns the per-node medians of the last
   * {@code runs}, slowest first.
   *
   * @throws MedvisionException if the device is not the CPU, an input is neither float32 nor int64, or ONNX Runtime
   *     fails
   */
  static List<NodeTime> measure(Graph graph, Weights weights, CompileOptions options, Map<String, Tensor> feeds,
      int warmup, int runs) {
    if (options.device().kind() != Device.Kind.CPU) {
      throw new MedvisionException("the ONNX Runtime node profile runs on the CPU only, not " + options.device());
    }
    Path dir = null;
    try {
      dir = Files.createTempDirectory("medvision-ort-profile-");
      OrtEnvironment env = OrtEnvironments.shared();
      String trace;
      try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
        if (options.threads() > 0) {
          so.setIntraOpNumThreads(options.threads());
        }
        so.setOptimizationLevel(options.optimize() ? OrtSession.SessionOptions.OptLevel.ALL_OPT
            : OrtSession.SessionOptions.OptLevel.NO_OPT);
        so.enableProfiling(dir.resolve("profile").toString());
        try (OrtSession session = env.createSession(OnnxExporter.toBytes(graph, weights), so)) {
          for (int i = 0; i < warmup + runs; i++) {
            run(env, session, feeds);
          }
          trace = session.endProfiling();
        }
      }
      return summarise(Files.readString(Path.of(trace)), runs);
    } catch (OrtException e) {
      throw new MedvisionException("ONNX Runtime could not profile graph '" + graph.name() + "': " + e.getMessage(),
          e);
    } catch (IOException e) {
      throw new MedvisionException("could not read the ONNX Runtime profile of graph '" + graph.name() + "': " + e,
          e);
    } finally {
      deleteTree(dir);
    }
  }

  private static void run(OrtEnvironment env, OrtSession session, Map<String, Tensor> feeds) throws OrtException {
    Map<String, OnnxTensor> ort = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, Tensor> e : feeds.entrySet()) {
        ort.put(e.getKey(), toOrt(env, e.getKey(), e.getValue()));
      }
      session.run(ort).close();
    } finally {
      ort.values().forEach(OnnxTensor::close);
    }
  }

  private static OnnxTensor toOrt(OrtEnvironment env, String name, Tensor t) throws OrtException {
    long[] shape = t.shape().dims();
    if (t.dtype() == DType.FLOAT32) {
      return OnnxTensor.createTensor(env, FloatBuffer.wrap(t.toFloatArray()), shape);
    }
    if (t.dtype() == DType.INT64) {
      return OnnxTensor.createTensor(env, LongBuffer.wrap(t.toLongArray()), shape);
    }
    throw new MedvisionException("the ONNX Runtime node profile feeds float32 and int64 inputs only; input '" + name
        + "' is " + t.dtype());
  }

  /**
   * The median kernel time per node over the last {@code runs} runs of a trace: each run is a {@code model_run}
   * session event, and a kernel belongs to the run whose span holds its start. Medians, as for the other bench
   * times, so one run disturbed by another process does not skew a node.
   */
  static List<NodeTime> summarise(String traceJson, int runs) {
    JsonArray events = JsonParser.parseString(traceJson).getAsJsonArray();
    List<long[]> spans = new ArrayList<>();
    for (JsonElement el : events) {
      JsonObject e = el.getAsJsonObject();
      if ("Session".equals(string(e, "cat")) && "model_run".equals(string(e, "name"))) {
        long ts = e.get("ts").getAsLong();
        spans.add(new long[] {ts, ts + e.get("dur").getAsLong()});
      }
    }
    spans.sort(Comparator.comparingLong(s -> s[0]));
    List<long[]> timed = spans.subList(Math.max(0, spans.size() - runs), spans.size());
    Map<String, String> opTypes = new LinkedHashMap<>();
    Map<String, long[]> nanos = new LinkedHashMap<>();
    for (JsonElement el : events) {
      JsonObject e = el.getAsJsonObject();
      String name = string(e, "name");
      if (!"Node".equals(string(e, "cat")) || name == null || !name.endsWith(KERNEL_SUFFIX)) {
        continue;
      }
      long ts = e.get("ts").getAsLong();
      for (int r = 0; r < timed.size(); r++) {
        if (ts >= timed.get(r)[0] && ts <= timed.get(r)[1]) {
          String node = name.substring(0, name.length() - KERNEL_SUFFIX.length());
          JsonObject args = e.getAsJsonObject("args");
          opTypes.putIfAbsent(node, args == null ? "?" : string(args, "op_name"));
          // The trace counts microseconds.
          nanos.computeIfAbsent(node, k -> new long[timed.size()])[r] += 1000 * e.get("dur").getAsLong();
          break;
        }
      }
    }
    List<NodeTime> out = new ArrayList<>();
    nanos.forEach((node, perRun) -> out.add(new NodeTime(node, opTypes.get(node), LatencyStats.of(perRun).p50Ms())));
    out.sort(Comparator.comparingDouble(NodeTime::msPerRun).reversed());
    return out;
  }

  private static String string(JsonObject o, String key) {
    JsonElement v = o.get(key);
    return v == null || v.isJsonNull() ? null : v.getAsString();
  }

  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // A leftover trace in the temp directory is not worth failing a benchmark that succeeded.
    }
  }
}
