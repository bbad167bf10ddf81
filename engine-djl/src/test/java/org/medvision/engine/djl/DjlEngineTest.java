package org.medvision.engine.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
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
import org.medvision.api.training.OptimizerSpec;
import org.medvision.api.training.Precision;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.training.TrainingOptions;
import org.medvision.api.training.TrainingSession;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.engine.EngineTestModels;

/** The provider, device handling and the engine-specific errors that the shared suites do not cover. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DjlEngineTest {
  private Engine engine;

  @BeforeAll
  void start() {
    engine = new DjlEngineProvider().create();
  }

  @AfterAll
  void stop() {
    engine.close();
  }

  @Test
  void serviceLoaderFindsTheProviderWithItsCapabilities() {
    EngineProvider found = ServiceLoader.load(EngineProvider.class).stream().map(ServiceLoader.Provider::get)
        .filter(p -> p.name().equals("djl")).findFirst().orElseThrow();
    assertTrue(found.capabilities().training());
    assertEquals(EnumSet.allOf(Op.class), EnumSet.copyOf(found.capabilities().ops()));
    assertEquals(List.of(Device.Kind.CPU, Device.Kind.CUDA), found.capabilities().devices());
    assertTrue(found.artifact().contains("pytorch-native-cpu") && found.artifact().contains("PYTORCH_LIBRARY_PATH"));
  }

  @Test
  void createSwitchesDjlOfflineAndReportsVersions() {
    assertEquals("true", System.getProperty("ai.djl.offline"), "offline mode must be on unless the user chose");
    assertEquals("true", System.getProperty("OPT_OUT_TRACKING"), "tracking must be off unless the user chose");
    assertTrue(engine.version().contains("pytorch 2.7.1"), engine.version());
    assertEquals(Device.CPU, engine.availableDevices().get(0));
  }

  @Test
  void cudaWithoutACudaLibtorchExplainsPytorchLibraryPath() {
    Assumptions.assumeTrue(engine.availableDevices().size() == 1, "this machine has a CUDA libtorch");
    EngineException e = assertThrows(EngineException.class,
        () -> engine.compile(identity(), Weights.of(Map.of(), "none"), CompileOptions.defaults()
            .withDevice(Device.cuda(0))));
    assertTrue(e.getMessage().contains("PYTORCH_LIBRARY_PATH") && e.getMessage().contains("cu128")
        && e.getMessage().contains("cuda:0"), e.getMessage());
    try (CompiledModel m = engine.compile(identity(), Weights.of(Map.of(), "none"),
        CompileOptions.defaults().withDevice(Device.AUTO))) {
      assertEquals(Device.CPU, m.device(), "auto falls back to the CPU");
    }
  }

  @Test
  void negativeThreadsAreRefused() {
    EngineException e = assertThrows(EngineException.class, () -> engine.compile(identity(),
        Weights.of(Map.of(), "none"), CompileOptions.defaults().withThreads(-2)));
    assertTrue(e.getMessage().contains("-2"), e.getMessage());
  }

  @Test
  void sixteenBitInputsAreRefusedAtCompile() {
    GraphBuilder b = new GraphBuilder("half");
    b.input("h", DType.BFLOAT16, Shape.of(2, 3));
    b.output("y", b.apply(Op.RELU, b.input("x", DType.FLOAT32, Shape.of(2, 3))));
    EngineException e = assertThrows(EngineException.class,
        () -> engine.compile(b.build(), Weights.of(Map.of(), "none"), CompileOptions.defaults()));
    assertTrue(e.getMessage().contains("'h'") && e.getMessage().contains("bfloat16"), e.getMessage());
  }

  /**
   * An int64 input may feed only index operands: a graph assembled by hand (validation refuses it first) that
   * returns one is refused when it is compiled or trained, naming the input.
   */
  @Test
  void int64InputsFeedOnlyIndexOperands() {
    ValueInfo ids = new ValueInfo("ids", DType.INT64, Shape.of(2));
    Graph echo = new Graph("ints", Op.IR_VERSION, List.of(ids), List.of(), List.of(), List.of(ids), Map.of());
    EngineException e = assertThrows(EngineException.class,
        () -> engine.compile(echo, Weights.of(Map.of(), "none"), CompileOptions.defaults()));
    assertTrue(e.getMessage().contains("int64 input 'ids' is a graph output"), e.getMessage());
    ValueInfo y = new ValueInfo("y", DType.FLOAT32, Shape.of(2));
    Graph training = new Graph("ints-train", Op.IR_VERSION, List.of(ids), List.of(), List.of(
        new Node("act", Op.SIGMOID, List.of("ids"), List.of("y"), Attributes.empty()),
        new Node("loss", Op.MSE_LOSS, List.of("y", "y"), List.of("loss"), Attributes.empty())),
        List.of(new ValueInfo("loss", DType.FLOAT32, Shape.scalar()), y), Map.of());
    e = assertThrows(EngineException.class, () -> engine.train(training, Weights.of(Map.of(), "none"),
        OptimizerSpec.adamW(0), TrainingOptions.cpu(1)));
    assertTrue(e.getMessage().contains("int64 input 'ids' is read by node 'act' (sigmoid) as its input 0"),
        e.getMessage());
  }

  @Test
  void crossEntropyNamesAClassIndexOutOfRange() {
    GraphBuilder b = new GraphBuilder("ce");
    Value logits = b.input("logits", DType.FLOAT32, Shape.of(3, 4));
    Value target = b.input("target", DType.INT64, Shape.of(3));
    b.output("loss", b.apply(Op.CROSS_ENTROPY, logits, target));
    Map<String, Tensor> inputs = Map.of("logits", EngineTestModels.uniform(Shape.of(3, 4), new SplittableRandom(1)),
        "target", Tensor.ofLongs(Shape.of(3), 0, 4, 1));
    try (CompiledModel m = engine.compile(b.build(), Weights.of(Map.of(), "none"), CompileOptions.defaults())) {
      EngineException e = assertThrows(EngineException.class, () -> m.run(inputs));
      assertTrue(e.getMessage().contains("class 4 at index 1") && e.getMessage().contains("cross_entropy"),
          e.getMessage());
    }
  }

  @Test
  void mixedPrecisionOnAMissingCudaDeviceNamesTheDevice() {
    Assumptions.assumeTrue(engine.availableDevices().size() == 1, "this machine has a CUDA libtorch");
    Graph g = TrainingGraph.classification(EngineTestModels.convClassifierWithLayerScale(), "probs", 0f, null);
    TrainingOptions options = new TrainingOptions(Device.cuda(0), 1, 0, Precision.BF16_MIXED);
    EngineException e = assertThrows(EngineException.class,
        () -> engine.train(g, EngineTestModels.randomWeights(g, 1), OptimizerSpec.adamW(0), options).close());
    assertTrue(e.getMessage().contains("cuda:0") && e.getMessage().contains("PYTORCH_LIBRARY_PATH"), e.getMessage());
  }

  @Test
  void inferTakesModelInputsOnlyAndIgnoresLabels() {
    Graph model = EngineTestModels.convClassifierWithLayerScale();
    Graph g = TrainingGraph.classification(model, "probs", 0f, null);
    Weights w = EngineTestModels.randomWeights(g, 4);
    Tensor x = EngineTestModels.uniform(Shape.of(2, 4, 32, 32), new SplittableRandom(5));
    try (TrainingSession s = engine.train(g, w, OptimizerSpec.sgd(0.9, 0, false), TrainingOptions.cpu(1));
        CompiledModel m = engine.compile(model, w, CompileOptions.defaults())) {
      Tensor expected = m.run(Map.of("x", x)).get("probs");
      Map<String, Tensor> out = s.infer(Map.of("x", x));
      assertEquals(List.of("probs"), List.copyOf(out.keySet()), "infer() returns the model outputs, not the loss");
      assertTrue(expected.contentEquals(out.get("probs")));
      assertTrue(expected.contentEquals(s.infer(Map.of("x", x, TrainingGraph.LABELS,
          Tensor.ofLongs(Shape.of(2), 0, 1))).get("probs")), "labels may be given to infer() and are ignored");
      EngineException e = assertThrows(EngineException.class, () -> s.infer(Map.of("x", x, "extra", x)));
      assertTrue(e.getMessage().contains("extra"), e.getMessage());
      assertFalse(s.infer(Map.of("x", x)).containsKey(TrainingGraph.LOSS));
    }
  }

  @Test
  void aStepThatLeavesANonFiniteParameterNamesIt() {
    Graph g = TrainingGraph.classification(EngineTestModels.convClassifierWithLayerScale(), "probs", 0f, null);
    Tensor x = EngineTestModels.uniform(Shape.of(2, 4, 32, 32), new SplittableRandom(5));
    Map<String, Tensor> batch = Map.of("x", x, TrainingGraph.LABELS, Tensor.ofLongs(Shape.of(2), 0, 1));
    try (TrainingSession s = engine.train(g, EngineTestModels.randomWeights(g, 4), OptimizerSpec.sgd(0, 0, false),
        TrainingOptions.cpu(1))) {
      s.forwardBackward(batch);
      s.step(0.01);
      s.forwardBackward(batch);
      // A NaN rate turns every updated weight into NaN while the gradients stay finite.
      EngineException e = assertThrows(EngineException.class, () -> s.step(Double.NaN));
      assertTrue(e.getMessage().contains("training diverged at step 2") && e.getMessage().contains("weight")
          && e.getMessage().contains("its gradient was finite"), e.getMessage());
    }
  }

  @Test
  void closedSessionsAndEnginesRefuseWork() {
    Graph g = TrainingGraph.classification(EngineTestModels.convClassifierWithLayerScale(), "probs", 0f, null);
    TrainingSession s = engine.train(g, EngineTestModels.randomWeights(g, 1), OptimizerSpec.adamW(0),
        TrainingOptions.cpu(1));
    s.close();
    s.close();
    assertThrows(IllegalStateException.class, () -> s.step(0.1));
    Engine other = new DjlEngineProvider().create();
    other.close();
    assertThrows(IllegalStateException.class,
        () -> other.compile(identity(), Weights.of(Map.of(), "none"), CompileOptions.defaults()));
  }

  private static Graph identity() {
    GraphBuilder b = new GraphBuilder("identity");
    b.output("y", b.apply(Op.IDENTITY, Attributes.empty(), b.input("x", DType.FLOAT32, Shape.of(-1, 3))));
    return b.build();
  }
}
