package org.medvision.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.fixtures.RandomTensors;
import org.medvision.testkit.fixtures.PythonOracle;

/**
 * The reference interpreter's gather, slice, reductions, clip, sqrt, abs and tanh against PyTorch 1.13 (Debian's
 * {@code python3-torch}, through {@code selection_reference.py}): advanced indexing, Python slices, torch.sum/mean
 * and torch.clamp are an implementation nobody here wrote. Selections, clip, abs and sqrt (IEEE-rounded in both) must
 * agree exactly; tanh within 2e-7 absolute; sums and means within 1e-6 relative + 1e-6 absolute, since PyTorch
 * accumulates in float32 and the interpreter in double.
 */
class SelectionTorchParityTest {
  @TempDir
  Path dir;

  private record Case(String name, Op op, Tensor x, Tensor indices, Attributes attrs) {}

  private final RandomTensors random = new RandomTensors(20_260_704L);
  private final List<Case> cases = new ArrayList<>();

  private void add(String name, Op op, Attributes attrs, Tensor x, Tensor indices) {
    cases.add(new Case(name, op, x, indices, attrs));
  }

  private Tensor uniform(float low, float high, int... dims) {
    return random.uniform(Shape.of(dims), low, high);
  }

  private static Tensor ids(long[] values, int... dims) {
    return Tensor.ofLongs(Shape.of(dims), values);
  }

  private static Attributes.Builder attrs() {
    return Attributes.builder();
  }

  private void catalogue() {
    add("gather axis 0, repeated and negative ids [2,3]", Op.GATHER, Attributes.empty(), uniform(-1, 1, 7, 5),
        ids(new long[] {0, 6, -1, 3, 3, -7}, 2, 3));
    add("gather axis 1, repeated and negative [5]", Op.GATHER, attrs().set("axis", 1L).build(),
        uniform(-1, 1, 2, 6, 3), ids(new long[] {5, -6, 2, 2, -1}, 5));
    add("gather axis 1 by 2-D indices", Op.GATHER, attrs().set("axis", 1L).build(), uniform(-1, 1, 2, 5, 3),
        ids(new long[] {4, 0, -2, 4}, 2, 2));
    add("gather axis -1 by a scalar", Op.GATHER, attrs().set("axis", -1L).build(), uniform(-1, 1, 3, 4),
        ids(new long[] {-2}));
    add("slice negative starts and ends", Op.SLICE, attrs().set("starts", -4L, 1L).set("ends", -1L, -2L).build(),
        uniform(-1, 1, 5, 7), null);
    add("slice clamped bounds", Op.SLICE, attrs().set("starts", -100L, 2L).set("ends", 1000L, Long.MAX_VALUE)
        .set("axes", 1L, 2L).build(), uniform(-1, 1, 2, 5, 6), null);
    add("slice steps 2 and 3 on axes (2, 1)", Op.SLICE, attrs().set("starts", 1L, 0L).set("ends", 7L, 8L)
        .set("axes", 2L, 1L).set("steps", 2L, 3L).build(), uniform(-1, 1, 3, 8, 7), null);
    add("slice negative axis, step 2, end -2", Op.SLICE, attrs().set("starts", new long[] {2})
        .set("ends", new long[] {-2}).set("axes", new long[] {-1}).set("steps", new long[] {2}).build(),
        uniform(-1, 1, 3, 9), null);
    add("reduce_sum axes (1, -1) keepdims 1", Op.REDUCE_SUM, attrs().set("axes", 1L, -1L).build(),
        uniform(-1, 1, 2, 3, 4, 5), null);
    add("reduce_sum axis 0 keepdims 0", Op.REDUCE_SUM, attrs().set("axes", new long[] {0}).set("keepdims", 0L)
        .build(), uniform(-1, 1, 4, 3), null);
    add("reduce_sum all axes keepdims 0", Op.REDUCE_SUM, attrs().set("keepdims", 0L).build(),
        uniform(-1, 1, 3, 4, 5), null);
    add("reduce_sum all axes keepdims 1", Op.REDUCE_SUM, Attributes.empty(), uniform(-1, 1, 2, 3, 4), null);
    add("reduce_mean last axis keepdims 1", Op.REDUCE_MEAN, attrs().set("axes", new long[] {-1}).build(),
        uniform(-1, 1, 2, 3, 7), null);
    add("reduce_mean token axis keepdims 0", Op.REDUCE_MEAN, attrs().set("axes", new long[] {1}).set("keepdims", 0L)
        .build(), uniform(-1, 1, 2, 7, 4), null);
    add("reduce_mean all axes keepdims 0", Op.REDUCE_MEAN, attrs().set("keepdims", 0L).build(),
        uniform(2, 4, 4, 3, 2), null);
    add("clip both bounds", Op.CLIP, attrs().set("min", -0.5f).set("max", 0.75f).build(), uniform(-2, 2, 3, 4, 5),
        null);
    add("clip only min", Op.CLIP, attrs().set("min", 1e-6f).build(), uniform(-1, 1, 6, 7), null);
    add("clip only max", Op.CLIP, attrs().set("max", 0.25f).build(), uniform(-1, 1, 5, 6), null);
    add("sqrt", Op.SQRT, Attributes.empty(), uniform(0, 4, 3, 7, 5), null);
    add("abs", Op.ABS, Attributes.empty(), uniform(-3, 3, 2, 3, 7, 5), null);
    add("tanh", Op.TANH, Attributes.empty(), uniform(-6, 6, 4, 9), null);
  }

  @Test
  void theInterpreterMatchesPyTorch() throws IOException {
    PythonOracle.requireTorch();
    catalogue();
    Path in = dir.resolve("cases.json");
    Path out = dir.resolve("torch.json");
    Files.writeString(in, new Gson().toJson(specs()), StandardCharsets.UTF_8);
    PythonOracle.script(dir, SelectionTorchParityTest.class, "selection_reference.py", in.toString(), out.toString());
    JsonObject torch = JsonParser.parseString(Files.readString(out, StandardCharsets.UTF_8)).getAsJsonObject();
    Map<String, Double> worst = new TreeMap<>();
    for (Case c : cases) {
      Tensor expected = tensor(torch.getAsJsonObject(c.name()));
      Tensor actual = interpret(c);
      assertEquals(expected.shape(), actual.shape(), c.name() + ": shape");
      float[] e = expected.toFloatArray();
      float[] a = actual.toFloatArray();
      double[] tolerance = tolerance(c.op());
      double max = 0;
      for (int i = 0; i < e.length; i++) {
        double diff = Math.abs((double) a[i] - e[i]);
        max = Math.max(max, diff);
        assertTrue(diff <= tolerance[0] + tolerance[1] * Math.abs(e[i]), c.name() + ": element " + i + " is "
            + a[i] + ", PyTorch " + e[i]);
      }
      worst.merge(c.op().irName(), max, Math::max);
    }
    System.out.println("max |interpreter - torch| per op: " + worst);
  }

  /** Absolute and relative tolerance of {@code op}. */
  private static double[] tolerance(Op op) {
    switch (op) {
      case REDUCE_SUM: case REDUCE_MEAN: return new double[] {1e-6, 1e-6};
      case TANH: return new double[] {2e-7, 0};
      default: return new double[] {0, 0};
    }
  }

  private List<Map<String, Object>> specs() {
    List<Map<String, Object>> specs = new ArrayList<>();
    for (Case c : cases) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("name", c.name());
      s.put("op", c.op().irName());
      s.put("x", Map.of("shape", c.x().shape().dims(), "data", c.x().toFloatArray()));
      if (c.indices() != null) {
        s.put("indices", Map.of("shape", c.indices().shape().dims(), "data", c.indices().toLongArray()));
      }
      Map<String, Object> a = new LinkedHashMap<>();
      for (String name : c.attrs().names()) {
        a.put(name, c.attrs().raw(name).orElseThrow());
      }
      s.put("attrs", a);
      specs.add(s);
    }
    return specs;
  }

  private static Tensor interpret(Case c) {
    GraphBuilder b = new GraphBuilder("parity");
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    inputs.put("x", c.x());
    Value x = b.input("x", DType.FLOAT32, c.x().shape());
    Value y;
    if (c.indices() != null) {
      inputs.put("indices", c.indices());
      y = b.apply(c.op(), c.attrs(), x, b.input("indices", DType.INT64, c.indices().shape()));
    } else {
      y = b.apply(c.op(), c.attrs(), x);
    }
    b.output("y", y);
    return ReferenceInterpreter.run(b.build(), Weights.of(Map.of(), "none"), inputs).get("y");
  }

  private static Tensor tensor(JsonObject o) {
    JsonArray shape = o.getAsJsonArray("shape");
    long[] dims = new long[shape.size()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = shape.get(i).getAsLong();
    }
    JsonArray data = o.getAsJsonArray("data");
    float[] values = new float[data.size()];
    int i = 0;
    for (JsonElement v : data) {
      values[i++] = (float) v.getAsDouble();
    }
    return Tensor.of(Shape.of(dims), values);
  }
}
