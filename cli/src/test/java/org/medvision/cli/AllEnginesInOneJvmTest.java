package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.task.Task;
import org.medvision.api.weights.Initializers;
import org.medvision.api.weights.RandomWeights;
import org.medvision.api.weights.Weights;

/**
 * ONNX Runtime, PyTorch (DJL) and TensorFlow loaded together in this one JVM: all three engines stay open at once,
 * run the same graphs with the same weights and inputs, and agree within 1e-4. Afterwards the native libraries
 * mapped into the process are listed from {@code /proc/self/maps}, which is how the README's account of what is
 * loaded (and that nothing clashes) was obtained.
 */
class AllEnginesInOneJvmTest {
  private static final List<String> ENGINES = List.of("onnx", "djl", "tensorflow");

  /** conv 3x3 -> channels-last LayerNorm -> GELU -> global pool -> linear: the ops every classifier here uses. */
  static Graph smallGraph() {
    GraphBuilder b = new GraphBuilder("small");
    Value x = b.input("image", DType.FLOAT32, Shape.of(-1, 3, 12, 12));
    Value w = b.parameter("conv.weight", Shape.of(8, 3, 3, 3), ParamRole.WEIGHT, Initializers.kaimingUniform());
    Value bias = b.parameter("conv.bias", Shape.of(8), ParamRole.BIAS, Initializers.normal(0.1f));
    x = b.apply(Op.CONV, Attributes.builder().set("pads", 1L, 1L, 1L, 1L).set("strides", 2L, 2L).build(), x, w,
        bias);
    x = b.apply(Op.TRANSPOSE, Attributes.builder().set("perm", 0L, 2L, 3L, 1L).build(), x);
    Value scale = b.parameter("norm.weight", Shape.of(8), ParamRole.NORM_SCALE, Initializers.normal(1f));
    Value shift = b.parameter("norm.bias", Shape.of(8), ParamRole.NORM_BIAS, Initializers.normal(0.1f));
    x = b.apply(Op.LAYER_NORM, Attributes.builder().set("epsilon", 1e-6f).build(), x, scale, shift);
    x = b.apply(Op.TRANSPOSE, Attributes.builder().set("perm", 0L, 3L, 1L, 2L).build(), x);
    x = b.apply(Op.GELU, x);
    x = b.apply(Op.GLOBAL_AVG_POOL, x);
    x = b.apply(Op.FLATTEN, x);
    Value fc = b.parameter("fc.weight", Shape.of(4, 8), ParamRole.WEIGHT, Initializers.kaimingUniform());
    x = b.apply(Op.GEMM, Attributes.builder().set("transB", 1L).build(), x, fc);
    b.output("logits", x);
    return b.build();
  }

  static Tensor random(Shape shape, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[(int) shape.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return Tensor.of(shape, v);
  }

  /** Runs {@code graph} on every engine (all open at once) and returns each engine's outputs. */
  private static Map<String, Map<String, Tensor>> runOnAll(List<Engine> engines, Graph graph, Weights weights,
      Map<String, Tensor> feeds) {
    Map<String, Map<String, Tensor>> out = new LinkedHashMap<>();
    for (Engine e : engines) {
      try (CompiledModel m = e.compile(graph, weights, CompileOptions.defaults().withThreads(1))) {
        out.put(e.name(), m.run(feeds));
      }
    }
    return out;
  }

  private static void assertAgree(Map<String, Map<String, Tensor>> outputs, String what) {
    Map<String, Tensor> first = outputs.values().iterator().next();
    for (Map.Entry<String, Map<String, Tensor>> e : outputs.entrySet()) {
      for (String name : first.keySet()) {
        float[] a = first.get(name).toFloatArray();
        float[] b = e.getValue().get(name).toFloatArray();
        assertEquals(first.get(name).shape(), e.getValue().get(name).shape(), what + " " + e.getKey());
        double max = 0;
        for (int i = 0; i < a.length; i++) {
          max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        assertTrue(max <= 1e-4, what + ": " + e.getKey() + " differs from " + ENGINES.get(0) + " by " + max);
      }
    }
  }

  @Test
  void allThreeEnginesLoadTogetherAndAgree() throws IOException {
    List<Engine> engines = new ArrayList<>();
    try {
      for (String name : ENGINES) {
        engines.add(Cli.MEDVISION.engine(name));
      }
      Graph small = smallGraph();
      Map<String, Map<String, Tensor>> smallOut = runOnAll(engines, small, RandomWeights.initialize(small, 3),
          Map.of("image", random(Shape.of(2, 3, 12, 12), 5)));
      assertEquals(ENGINES, List.copyOf(smallOut.keySet()));
      assertAgree(smallOut, "small graph");

      Task atto = Fixtures.atto("3class");
      Map<String, Tensor> feeds = new LinkedHashMap<>();
      long seed = 100;
      for (var in : atto.graph().inputs()) {
        feeds.put(in.name(), random(in.shape().withDim(0, 2), seed++));
      }
      Map<String, Map<String, Tensor>> attoOut = runOnAll(engines, atto.graph(),
          RandomWeights.initialize(atto.graph(), 9), feeds);
      assertAgree(attoOut, "strokenext-atto");

      // Engines stay usable after the others ran: a second round on the first engine gives the same answer.
      Map<String, Map<String, Tensor>> again = runOnAll(engines.subList(0, 1), small,
          RandomWeights.initialize(small, 3), Map.of("image", random(Shape.of(2, 3, 12, 12), 5)));
      assertTrue(again.get("onnx").get("logits").contentEquals(smallOut.get("onnx").get("logits")));
    } finally {
      for (Engine e : engines) {
        e.close();
      }
    }
    if (Files.isReadable(Path.of("/proc/self/maps"))) {
      TreeSet<String> libs = new TreeSet<>();
      for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
        int slash = line.indexOf('/');
        if (slash >= 0 && line.contains(".so")) {
          libs.add(line.substring(slash));
        }
      }
      // Printed for the record (surefire keeps it in the test's output file); see README "All engines in one JVM".
      libs.forEach(l -> System.out.println("native: " + l));
      assertTrue(libs.stream().anyMatch(l -> l.contains("onnxruntime")), "ONNX Runtime is mapped");
      assertTrue(libs.stream().anyMatch(l -> l.contains("libtorch")), "libtorch is mapped");
      assertTrue(libs.stream().anyMatch(l -> l.contains("tensorflow")), "TensorFlow is mapped");
    }
  }
}
