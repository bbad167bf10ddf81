package org.medvision.engine.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
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
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.ReferenceInterpreter;
import org.medvision.testkit.engine.EngineTestModels;
import org.medvision.testkit.fixtures.TensorAssertions;
import org.tensorflow.GraphOperation;
import org.tensorflow.op.Ops;

/** The provider, devices, layout handling and the engine-specific errors that the shared suite does not cover. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TensorFlowEngineTest {
  private Engine engine;

  @BeforeAll
  void start() {
    engine = new TensorFlowEngineProvider().create();
  }

  @AfterAll
  void stop() {
    engine.close();
  }

  @Test
  void serviceLoaderFindsTheProviderWithHonestCapabilities() {
    EngineProvider found = ServiceLoader.load(EngineProvider.class).stream().map(ServiceLoader.Provider::get)
        .filter(p -> p.name().equals("tensorflow")).findFirst().orElseThrow();
    assertEquals(EnumSet.allOf(Op.class), EnumSet.copyOf(found.capabilities().ops()));
    assertEquals(List.of(Device.Kind.CPU, Device.Kind.CUDA), found.capabilities().devices());
    assertTrue(found.artifact().contains("linux-x86_64-gpu"), found.artifact());
  }

  @Test
  void reportsTheTensorFlowVersionAndTheCpu() {
    assertTrue(engine.version().startsWith("tensorflow 2.18.0"), engine.version());
    assertEquals(Device.CPU, engine.availableDevices().get(0));
  }

  @Test
  void cudaOnTheCpuBuildNamesTheProfileAndLibraries() {
    Assumptions.assumeFalse(TfRuntime.gpuBuild(), "built with -Pcuda");
    EngineException e = assertThrows(EngineException.class, () -> engine.compile(identity(),
        Weights.of(Map.of(), "none"), CompileOptions.defaults().withDevice(Device.cuda(1))));
    assertTrue(e.getMessage().contains("cuda:1") && e.getMessage().contains("-Pcuda")
        && e.getMessage().contains("cuDNN 9") && e.getMessage().contains("CUDA 12"), e.getMessage());
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
  void nonFloatInputsAreRefusedAtCompile() {
    GraphBuilder b = new GraphBuilder("half");
    b.input("h", DType.BFLOAT16, Shape.of(2, 3));
    b.output("y", b.apply(Op.RELU, b.input("x", DType.FLOAT32, Shape.of(2, 3))));
    EngineException e = assertThrows(EngineException.class,
        () -> engine.compile(b.build(), Weights.of(Map.of(), "none"), CompileOptions.defaults()));
    assertTrue(e.getMessage().contains("'h'") && e.getMessage().contains("bfloat16"), e.getMessage());
  }

  /**
   * An int64 input may feed only index operands: a graph assembled by hand (validation refuses it first) that reads
   * one as a value is refused when it is compiled or trained, naming the input and its reader.
   */
  @Test
  void int64InputsFeedOnlyIndexOperands() {
    ValueInfo ids = new ValueInfo("ids", DType.INT64, Shape.of(2));
    ValueInfo y = new ValueInfo("y", DType.FLOAT32, Shape.of(2));
    Graph g = new Graph("ints", Op.IR_VERSION, List.of(ids), List.of(),
        List.of(new Node("act", Op.RELU, List.of("ids"), List.of("y"), Attributes.empty())), List.of(y), Map.of());
    EngineException e = assertThrows(EngineException.class,
        () -> engine.compile(g, Weights.of(Map.of(), "none"), CompileOptions.defaults()));
    assertTrue(e.getMessage().contains("int64 input 'ids' is read by node 'act' (relu) as its input 0"),
        e.getMessage());
    ValueInfo loss = new ValueInfo("loss", DType.FLOAT32, Shape.scalar());
    Graph training = new Graph("ints-train", Op.IR_VERSION, List.of(ids), List.of(), List.of(
        new Node("act", Op.RELU, List.of("ids"), List.of("y"), Attributes.empty()),
        new Node("loss", Op.MSE_LOSS, List.of("y", "y"), List.of("loss"), Attributes.empty())), List.of(loss),
        Map.of());
    e = assertThrows(EngineException.class, () -> engine.train(training, Weights.of(Map.of(), "none"),
        org.medvision.api.training.OptimizerSpec.adamW(0), org.medvision.api.training.TrainingOptions.cpu(1)));
    assertTrue(e.getMessage().contains("int64 input 'ids' is read by node 'act'"), e.getMessage());
  }

  @Test
  void inputErrorsNameTheInputAndLeaveTheModelUsable() {
    Graph g = EngineTestModels.convClassifier();
    Tensor x = EngineTestModels.uniform(Shape.of(2, 4, 32, 32), new SplittableRandom(3));
    try (CompiledModel m = engine.compile(g, EngineTestModels.randomWeights(g, 1), CompileOptions.defaults())) {
      EngineException missing = assertThrows(EngineException.class, () -> m.run(Map.of("image", x)));
      assertTrue(missing.getMessage().contains("missing [x]") && missing.getMessage().contains("image"),
          missing.getMessage());
      EngineException shape = assertThrows(EngineException.class,
          () -> m.run(Map.of("x", EngineTestModels.uniform(Shape.of(2, 4, 32, 31), new SplittableRandom(4)))));
      assertTrue(shape.getMessage().contains("'x'") && shape.getMessage().contains("[2, 4, 32, 31]"),
          shape.getMessage());
      EngineException dtype = assertThrows(EngineException.class, () -> m.run(Map.of("x", x.to(DType.INT32))));
      assertTrue(dtype.getMessage().contains("'x'") && dtype.getMessage().contains("int32"), dtype.getMessage());
      assertEquals(Shape.of(2, 3), m.run(Map.of("x", x)).get("probs").shape(), "the model still runs");
    }
  }

  @Test
  void closedModelsAndEnginesRefuseWork() {
    Graph g = identity();
    CompiledModel m = engine.compile(g, Weights.of(Map.of(), "none"), CompileOptions.defaults());
    m.close();
    m.close();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> m.run(Map.of("x", Tensor.of(Shape.of(1, 3), 1f, 2f, 3f))));
    assertTrue(e.getMessage().contains("identity"), e.getMessage());
    Engine other = new TensorFlowEngineProvider().create();
    other.close();
    assertThrows(IllegalStateException.class,
        () -> other.compile(identity(), Weights.of(Map.of(), "none"), CompileOptions.defaults()));
  }

  /** ConvNeXt blocks against the reference, with threads set and with graph optimisation off. */
  @Test
  void convNextBlocksMatchTheReferenceWithAnyOptions() {
    Graph g = TestModels.convNextBlocks();
    Weights w = EngineTestModels.randomWeights(g, 7);
    Map<String, Tensor> in = Map.of("x", EngineTestModels.uniform(Shape.of(3, 8, 14, 14), new SplittableRandom(8)));
    Tensor expected = ReferenceInterpreter.run(g, w, in).get("features");
    for (CompileOptions options : List.of(CompileOptions.defaults(), CompileOptions.defaults().withThreads(1),
        new CompileOptions(Device.CPU, 2, false))) {
      try (CompiledModel m = engine.compile(g, w, options)) {
        TensorAssertions.assertClose(expected, m.run(in).get("features"), 1e-5, 1e-4, "options " + options);
      }
    }
  }

  /**
   * The point of the layout tracking: in two ConvNeXt blocks only the graph input (to channels-last) and the output
   * (back to the IR's order) are transposed. Parameters are never transposed in the graph: each is stored in the
   * layout its reader wants (filters as [kh, kw, C/group, M], the transposed Linear weights as [in, out]). The max
   * pool and BatchNorm stay channels-last too.
   */
  @Test
  void convNextBlocksTransposeOnlyActivationsAndOnlyAtTheGraphBoundary() {
    Graph g = TestModels.convNextBlocks();
    try (org.tensorflow.Graph tfGraph = new org.tensorflow.Graph()) {
      Ops tf = Ops.create(tfGraph);
      new GraphLowering(tf, new VariableParameters(tf, EngineTestModels.randomWeights(g, 1).fitTo(g))).lower(g);
      List<String> transposes = new ArrayList<>();
      Iterator<GraphOperation> ops = tfGraph.operations();
      while (ops.hasNext()) {
        GraphOperation op = ops.next();
        if (op.type().equals("Transpose")) {
          transposes.add(op.name());
        }
      }
      assertEquals(2, transposes.size(), transposes.toString());
    }
  }

  /**
   * The memory fix: the graph holds no weight data (TensorFlow copies graphs, so constants were copied several
   * times), only shape vectors and scalars; every parameter is a variable in the layout its reader wants, one per
   * parameter, and each lowered op is named after its IR node without a subscope per node.
   */
  @Test
  void inferenceGraphsHoldWeightsInVariablesNotConstants() throws Exception {
    Graph g = TestModels.convNextBlocks();
    try (org.tensorflow.Graph tfGraph = new org.tensorflow.Graph()) {
      Ops tf = Ops.create(tfGraph);
      new GraphLowering(tf, new VariableParameters(tf, EngineTestModels.randomWeights(g, 1).fitTo(g))).lower(g);
      Map<String, List<Long>> variableShapes = new HashMap<>();
      List<String> namedAfterNodes = new ArrayList<>();
      for (org.tensorflow.proto.NodeDef node : tfGraph.toGraphDef().getNodeList()) {
        if (node.getOp().equals("Const")) {
          org.tensorflow.proto.TensorProto value = node.getAttrOrThrow("value").getTensor();
          long elements = 1;
          for (org.tensorflow.proto.TensorShapeProto.Dim d : value.getTensorShape().getDimList()) {
            elements *= d.getSize();
          }
          assertTrue(value.getDtype() != org.tensorflow.proto.DataType.DT_FLOAT || elements <= 1,
              node.getName() + " is a float constant of " + elements + " elements");
          assertTrue(elements <= 8, node.getName() + " holds " + elements + " elements");
        } else if (node.getOp().equals("VarHandleOp")) {
          variableShapes.put(node.getAttrOrThrow("shared_name").getS().toStringUtf8().replaceFirst(".*?/", ""),
              node.getAttrOrThrow("shape").getShape().getDimList().stream()
                  .map(org.tensorflow.proto.TensorShapeProto.Dim::getSize).toList());
        } else if (node.getOp().equals("Conv2D") || node.getOp().equals("DepthwiseConv2dNative")
            || node.getOp().equals("MatMul")) {
          namedAfterNodes.add(node.getName());
        }
      }
      assertEquals(g.parameters().size(), variableShapes.size(), variableShapes.keySet().toString());
      assertEquals(List.of(7L, 7L, 1L, 8L), variableShapes.get("blocks.0.conv_dw.weight@[2, 3, 1, 0]"));
      assertEquals(List.of(8L, 32L), variableShapes.get("blocks.1.mlp.fc1.weight@[1, 0]"));
      assertEquals(List.of(8L), variableShapes.get("bn.running_var"));
      List<String> expected = new ArrayList<>();
      List<org.medvision.api.graph.Node> lowered = g.nodesFor(List.of("features"));
      for (int i = 0; i < lowered.size(); i++) {
        if (lowered.get(i).op() == Op.CONV || lowered.get(i).op() == Op.MATMUL) {
          expected.add(GraphLowering.opName("n" + i, lowered.get(i).name()));
        }
      }
      assertEquals(6, expected.size(), expected.toString());
      List<String> matched = new ArrayList<>();
      for (String name : namedAfterNodes) {
        expected.stream().filter(e -> name.equals(e) || name.matches(java.util.regex.Pattern.quote(e) + "_[0-9]+"))
            .forEach(matched::add);
      }
      matched.sort(null);
      expected.sort(null);
      assertEquals(expected, matched, "TensorFlow ops " + namedAfterNodes);
    }
  }

  /**
   * The CONSTANT op is laid out like a stored parameter: a per-channel scale and a 4-D offset applied to a
   * channels-last convolution output come channels-last from the host, so only the graph input and output are
   * transposed, and the values match the reference.
   */
  @Test
  void constantsAreLaidOutOnTheHostForChannelsLastReaders() {
    GraphBuilder b = new GraphBuilder("constants");
    Value x = b.input("x", DType.FLOAT32, Shape.of(2, 3, 5, 4));
    Value y = b.apply(Op.CONV, Attributes.builder().set("pads", 1L, 1L, 1L, 1L).build(), x,
        b.parameter("conv.weight", Shape.of(3, 3, 3, 3), ParamRole.WEIGHT, EngineTestModels.SUPPLIED_WEIGHTS));
    y = b.apply(Op.MUL, y, b.constant(Shape.of(3, 1, 1), 2f, -1f, 0.5f));
    float[] offset = new float[3 * 5 * 4];
    for (int i = 0; i < offset.length; i++) {
      offset[i] = i / 10f;
    }
    y = b.apply(Op.ADD, y, b.constant(Shape.of(1, 3, 5, 4), offset));
    b.output("y", b.apply(Op.RELU, y));
    Graph g = b.build();
    Weights w = EngineTestModels.randomWeights(g, 11);
    Map<String, Tensor> in = Map.of("x", EngineTestModels.uniform(Shape.of(2, 3, 5, 4), new SplittableRandom(12)));
    try (CompiledModel m = engine.compile(g, w, CompileOptions.defaults())) {
      TensorAssertions.assertClose(ReferenceInterpreter.run(g, w, in).get("y"), m.run(in).get("y"), 1e-6, 1e-5,
          "conv, constant scale and offset, relu");
    }
    assertEquals(List.of("Transpose", "Transpose"), opsOfType(g, w, "Transpose"), "only the boundary moves");
  }

  /**
   * A grouped convolution that is not depthwise is one Conv2D per group (TensorFlow's grouped Conv2D followed by a
   * bias fails on CPUs without AVX-512, see ConvLowering), while a depthwise one keeps its dedicated kernel.
   */
  @Test
  void groupedConvolutionsAreSplitAndDepthwiseOnesAreNot() {
    GraphBuilder b = new GraphBuilder("groups");
    Value x = b.input("x", DType.FLOAT32, Shape.of(1, 6, 5, 5));
    Value grouped = b.apply(Op.CONV, Attributes.builder().set("group", 3L).build(), x,
        b.parameter("g.weight", Shape.of(6, 2, 3, 3), ParamRole.WEIGHT, EngineTestModels.SUPPLIED_WEIGHTS),
        b.parameter("g.bias", Shape.of(6), ParamRole.BIAS, EngineTestModels.SUPPLIED_WEIGHTS));
    b.output("y", b.apply(Op.CONV, Attributes.builder().set("group", 6L).set("pads", 1L, 1L, 1L, 1L).build(), grouped,
        b.parameter("dw.weight", Shape.of(6, 1, 3, 3), ParamRole.WEIGHT, EngineTestModels.SUPPLIED_WEIGHTS)));
    Graph g = b.build();
    Weights w = EngineTestModels.randomWeights(g, 13);
    assertEquals(List.of("Conv2D", "Conv2D", "Conv2D"), opsOfType(g, w, "Conv2D"));
    assertEquals(List.of("DepthwiseConv2dNative"), opsOfType(g, w, "DepthwiseConv2dNative"));
    Map<String, Tensor> in = Map.of("x", EngineTestModels.uniform(Shape.of(1, 6, 5, 5), new SplittableRandom(14)));
    try (CompiledModel m = engine.compile(g, w, CompileOptions.defaults())) {
      TensorAssertions.assertClose(ReferenceInterpreter.run(g, w, in).get("y"), m.run(in).get("y"), 1e-6, 1e-5,
          "grouped conv with bias, then depthwise conv");
    }
  }

  /** The types of the TensorFlow ops of type {@code type} in {@code g}'s inference lowering. */
  private static List<String> opsOfType(Graph g, Weights w, String type) {
    try (org.tensorflow.Graph tfGraph = new org.tensorflow.Graph()) {
      Ops tf = Ops.create(tfGraph);
      new GraphLowering(tf, new VariableParameters(tf, w.fitTo(g))).lower(g);
      List<String> found = new ArrayList<>();
      Iterator<GraphOperation> ops = tfGraph.operations();
      while (ops.hasNext()) {
        GraphOperation op = ops.next();
        if (op.type().equals(type)) {
          found.add(op.type());
        }
      }
      return found;
    }
  }

  @Test
  void concurrentRunsGiveTheSameResults() throws Exception {
    Graph g = EngineTestModels.convClassifier();
    Map<String, Tensor> in = Map.of("x", EngineTestModels.uniform(Shape.of(2, 4, 32, 32), new SplittableRandom(5)));
    try (CompiledModel m = engine.compile(g, EngineTestModels.randomWeights(g, 2), CompileOptions.defaults())) {
      Tensor expected = m.run(in).get("probs");
      Map<Integer, Tensor> results = new HashMap<>();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        int id = i;
        Thread t = new Thread(() -> {
          Tensor r = m.run(in).get("probs");
          synchronized (results) {
            results.put(id, r);
          }
        });
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join();
      }
      assertEquals(4, results.size());
      results.values().forEach(r -> assertTrue(expected.contentEquals(r)));
    }
  }

  private static Graph identity() {
    GraphBuilder b = new GraphBuilder("identity");
    b.output("y", b.apply(Op.IDENTITY, Attributes.empty(), b.input("x", DType.FLOAT32, Shape.of(-1, 3))));
    return b.build();
  }
}
