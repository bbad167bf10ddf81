package org.medvision.engine.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Device;
import org.medvision.api.engine.Engine;
import org.medvision.api.engine.EngineException;
import org.medvision.api.engine.EngineProvider;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.Value;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.WeightMismatchException;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.engine.EngineTestModels;

/** Engine behaviour on this CPU-only machine: discovery, devices, compile options, input checks, lifecycle. */
class OnnxEngineTest {
  private static Engine engine;
  private static Graph graph;
  private static Weights weights;

  @BeforeAll
  static void load() {
    engine = new OnnxEngineProvider().create();
    graph = TestModels.convClassifier();
    weights = EngineTestModels.randomWeights(graph, 42);
  }

  @AfterAll
  static void unload() {
    engine.close();
  }

  private static Tensor input(long batch, long seed) {
    return EngineTestModels.uniform(Shape.of(batch, 2, 5, 5), new SplittableRandom(seed));
  }

  @Test
  void providerIsDiscoveredAndDescribesItself() {
    List<EngineProvider> found = ServiceLoader.load(EngineProvider.class).stream().map(ServiceLoader.Provider::get)
        .filter(p -> p.name().equals("onnx")).collect(Collectors.toList());
    assertEquals(1, found.size());
    EngineProvider p = found.get(0);
    assertTrue(p.artifact().contains("com.microsoft.onnxruntime:onnxruntime"), p.artifact());
    assertTrue(p.artifact().contains("onnxruntime_gpu"), p.artifact());
    assertEquals(List.of(Device.Kind.CPU, Device.Kind.CUDA), p.capabilities().devices());
    assertEquals(java.util.Set.of(DType.FLOAT32), p.capabilities().dtypes());
    assertEquals(false, p.capabilities().training());
    assertEquals("onnx", engine.name());
    assertTrue(engine.version().startsWith("onnxruntime 1.29"), engine.version());
  }

  @Test
  void cpuOnlyMachineOffersCpuAndAutoFallsBackToIt() {
    assertEquals(List.of(Device.CPU), engine.availableDevices());
    try (CompiledModel m = engine.compile(graph, weights, CompileOptions.defaults().withDevice(Device.AUTO))) {
      assertEquals(Device.CPU, m.device());
      assertEquals(graph, m.graph());
    }
  }

  @Test
  void cudaRequestOnTheCpuJarExplainsWhichArtifactAndLibrariesAreNeeded() {
    assumeFalse(CudaSupport.providerInBuild(), "the onnxruntime_gpu jar is on the class path (-Pcuda)");
    EngineException e = assertThrows(EngineException.class,
        () -> engine.compile(graph, weights, CompileOptions.defaults().withDevice(Device.cuda(1))));
    String msg = e.getMessage();
    for (String needed : List.of("cuda:1", "com.microsoft.onnxruntime:onnxruntime ",
        "com.microsoft.onnxruntime:onnxruntime_gpu:1.29.0", "CUDA 12", "cuDNN 9", "Underlying error", "[CPU]")) {
      assertTrue(msg.contains(needed), "message lacks '" + needed + "': " + msg);
    }
  }

  /** With -Pcuda on a machine without the CUDA libraries: the GPU jar loads, its CUDA provider cannot. */
  @Test
  void cudaRequestOnTheGpuJarWithoutCudaLibrariesNamesThem() {
    assumeTrue(CudaSupport.providerInBuild() && !CudaSupport.usable(0), "needs -Pcuda and a machine without CUDA");
    EngineException e = assertThrows(EngineException.class,
        () -> engine.compile(graph, weights, CompileOptions.defaults().withDevice(Device.cuda(0))));
    String msg = e.getMessage();
    for (String needed : List.of("cuda:0", "onnxruntime_gpu 1.29.0", "libcudart.so.12", "cuDNN 9",
        "Underlying error")) {
      assertTrue(msg.contains(needed), "message lacks '" + needed + "': " + msg);
    }
  }

  @Test
  void dynamicBatchMatchesSampleBySampleAndOptionsDoNotChangeResults() {
    Tensor batch = input(3, 7);
    float[] all;
    try (CompiledModel m = engine.compile(graph, weights, CompileOptions.defaults())) {
      Tensor probs = m.run(Map.of("x", batch)).get("probs");
      assertEquals(Shape.of(3, 3), probs.shape());
      all = probs.toFloatArray();
      float[] xs = batch.toFloatArray();
      for (int i = 0; i < 3; i++) {
        float[] one = java.util.Arrays.copyOfRange(xs, i * 50, (i + 1) * 50);
        float[] p = m.run(Map.of("x", Tensor.of(Shape.of(1, 2, 5, 5), one))).get("probs").toFloatArray();
        assertArrayEquals(java.util.Arrays.copyOfRange(all, i * 3, i * 3 + 3), p, 1e-6f, "sample " + i);
        assertEquals(1.0, p[0] + p[1] + p[2], 1e-6, "softmax rows sum to one");
      }
    }
    try (CompiledModel m = engine.compile(graph, weights, new CompileOptions(Device.CPU, 1, false))) {
      assertArrayEquals(all, m.run(Map.of("x", batch)).get("probs").toFloatArray(), 1e-6f);
    }
  }

  @Test
  void wrongInputsAreNamedWithBothShapes() {
    try (CompiledModel m = engine.compile(graph, weights, CompileOptions.defaults())) {
      EngineException missing = assertThrows(EngineException.class, () -> m.run(Map.of("image", input(1, 1))));
      assertTrue(missing.getMessage().contains("missing [x]"), missing.getMessage());
      assertTrue(missing.getMessage().contains("unexpected [image]"), missing.getMessage());
      Map<String, Tensor> extra = new LinkedHashMap<>();
      extra.put("x", input(1, 1));
      extra.put("mask", input(1, 1));
      EngineException unexpected = assertThrows(EngineException.class, () -> m.run(extra));
      assertTrue(unexpected.getMessage().contains("unexpected [mask]"), unexpected.getMessage());
      EngineException shape = assertThrows(EngineException.class,
          () -> m.run(Map.of("x", Tensor.of(Shape.of(1, 3, 5, 5), new float[75]))));
      assertTrue(shape.getMessage().contains("'x'") && shape.getMessage().contains("[1, 3, 5, 5]")
          && shape.getMessage().contains("[N, 2, 5, 5]"), shape.getMessage());
      EngineException rank = assertThrows(EngineException.class,
          () -> m.run(Map.of("x", Tensor.of(Shape.of(2, 5, 5), new float[50]))));
      assertTrue(rank.getMessage().contains("[2, 5, 5]"), rank.getMessage());
      EngineException dtype = assertThrows(EngineException.class,
          () -> m.run(Map.of("x", Tensor.zeros(DType.INT64, Shape.of(1, 2, 5, 5)))));
      assertTrue(dtype.getMessage().contains("'x'") && dtype.getMessage().contains("int64")
          && dtype.getMessage().contains("float32"), dtype.getMessage());
    }
  }

  @Test
  void dynamicBatchesOfSeveralInputsMustAgree() {
    GraphBuilder b = new GraphBuilder("two-inputs");
    Value a = b.input("a", DType.FLOAT32, Shape.of(-1, 2));
    Value c = b.input("b", DType.FLOAT32, Shape.of(-1, 2));
    b.output("sum", b.apply(Op.ADD, a, c));
    Graph g = b.build();
    try (CompiledModel m = engine.compile(g, Weights.of(Map.of(), "none"), CompileOptions.defaults())) {
      Map<String, Tensor> in = new LinkedHashMap<>();
      in.put("a", Tensor.of(Shape.of(2, 2), 1, 2, 3, 4));
      in.put("b", Tensor.of(Shape.of(1, 2), 10, 20));
      EngineException e = assertThrows(EngineException.class, () -> m.run(in));
      assertTrue(e.getMessage().contains("batch size 1") && e.getMessage().contains("'a' has batch size 2"),
          e.getMessage());
      in.put("b", Tensor.of(Shape.of(2, 2), 10, 20, 30, 40));
      assertArrayEquals(new float[] {11, 22, 33, 44}, m.run(in).get("sum").toFloatArray());
    }
  }

  @Test
  void mismatchedWeightsAndBadOptionsFailBeforeAnythingNative() {
    Map<String, Tensor> partial = new LinkedHashMap<>(weights.tensors());
    partial.remove("fc.bias");
    WeightMismatchException e = assertThrows(WeightMismatchException.class,
        () -> engine.compile(graph, Weights.of(partial, "partial.safetensors"), CompileOptions.defaults()));
    assertTrue(e.getMessage().contains("fc.bias"), e.getMessage());
    EngineException threads = assertThrows(EngineException.class,
        () -> engine.compile(graph, weights, CompileOptions.defaults().withThreads(-2)));
    assertTrue(threads.getMessage().contains("-2"), threads.getMessage());
  }

  @Test
  void closeIsIdempotentAndRunAfterCloseIsRejected() {
    CompiledModel m = engine.compile(graph, weights, CompileOptions.defaults());
    m.run(Map.of("x", input(1, 3)));
    m.close();
    assertDoesNotThrow(m::close);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.run(Map.of("x", input(1, 3))));
    assertTrue(e.getMessage().contains("conv-classifier"), e.getMessage());
    Engine other = new OnnxEngineProvider().create();
    other.close();
    other.close();
    assertThrows(IllegalStateException.class, () -> other.compile(graph, weights, CompileOptions.defaults()));
  }

  @Test
  void concurrentRunsGiveTheSameResultsAsSequentialOnes() throws Exception {
    try (CompiledModel m = engine.compile(graph, weights, CompileOptions.defaults().withThreads(1))) {
      List<Tensor> inputs = new ArrayList<>();
      List<float[]> expected = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        inputs.add(input(2, 100 + i));
        expected.add(m.run(Map.of("x", inputs.get(i))).get("probs").toFloatArray());
      }
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<float[]>> futures = new ArrayList<>();
        for (Tensor t : inputs) {
          futures.add(pool.submit(() -> m.run(Map.of("x", t)).get("probs").toFloatArray()));
        }
        for (int i = 0; i < futures.size(); i++) {
          assertArrayEquals(expected.get(i), futures.get(i).get(), 0f, "run " + i);
        }
      } finally {
        pool.shutdown();
      }
    }
  }

  /**
   * int64 tensors reach ONNX Runtime only as inputs that index operands read (or nothing does): such an input is fed
   * as int64, and a graph that reads one as a value, assembled by hand since validation refuses it, is refused
   * naming the input and its reader.
   */
  @Test
  void int64InputsFeedOnlyIndexOperands() {
    GraphBuilder b = new GraphBuilder("unread-ids");
    b.input("ids", DType.INT64, Shape.of(2, 3));
    b.output("y", b.apply(Op.RELU, b.input("x", DType.FLOAT32, Shape.of(2))));
    try (CompiledModel m = engine.compile(b.build(), Weights.of(Map.of(), "none"), CompileOptions.defaults())) {
      Tensor out = m.run(Map.of("ids", Tensor.ofLongs(Shape.of(2, 3), 1, -2, 3L << 40, 4, 5, 6),
          "x", Tensor.of(Shape.of(2), -1f, 2f))).get("y");
      assertArrayEquals(new float[] {0f, 2f}, out.toFloatArray());
    }
    ValueInfo ids = new ValueInfo("ids", DType.INT64, Shape.of(2, 3));
    Graph reshaped = new Graph("int-reshape", Op.IR_VERSION, List.of(ids), List.of(), List.of(new Node("flat",
        Op.RESHAPE, List.of("ids"), List.of("y"), Attributes.builder().set("shape", -1L).build())),
        List.of(new ValueInfo("y", DType.FLOAT32, Shape.of(6))), Map.of());
    EngineException e = assertThrows(EngineException.class,
        () -> engine.compile(reshaped, Weights.of(Map.of(), "none"), CompileOptions.defaults()));
    assertTrue(e.getMessage().contains("int64 input 'ids' is read by node 'flat' (reshape) as its input 0"),
        e.getMessage());
  }

}
