package org.medvision.engine.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.Op;
import org.medvision.api.engine.UnsupportedOpException;
import org.medvision.api.tensor.DType;
import org.medvision.api.graph.Value;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.engine.EngineTestModels;

/** The structure of lowered models: operator per op, attributes, constants for attribute-inputs, names. */
class OnnxLoweringTest {
  private static final Tensor X4 = Tensor.of(Shape.of(1, 2, 2, 2), new float[8]);
  private static final Tensor V2 = Tensor.of(Shape.of(2), 1, 2);
  /** IR attributes that opset 20 takes as inputs (besides reshape's shape, squeeze and unsqueeze's axes). */
  private static final Set<String> AS_INPUTS = Set.of("slice.starts", "slice.ends", "slice.axes", "slice.steps",
      "reduce_sum.axes", "reduce_mean.axes", "clip.min", "clip.max");

  /** A canonical node for {@code op} with every attribute it has set, and the ONNX operator it must become. */
  private static Graph canonical(Op op) {
    switch (op) {
      case CONV:
        return OpHarness.single(op, Attributes.builder().set("strides", 1L, 2L).set("pads", 1L, 0L, 1L, 0L)
            .set("dilations", 2L, 1L).set("group", 2L).build(), X4, Tensor.of(Shape.of(2, 1, 1, 1), 1, 1));
      case GEMM:
        return OpHarness.single(op, Attributes.builder().set("alpha", 2f).set("beta", 3f).set("transA", 1L)
            .set("transB", 1L).build(), Tensor.of(Shape.of(2, 2), new float[4]), Tensor.of(Shape.of(2, 2),
            new float[4]), V2);
      case MATMUL: case ADD: case SUB: case MUL: case DIV:
        return OpHarness.single(op, Attributes.empty(), V2, V2);
      case ERF: case RELU: case SIGMOID: case IDENTITY: case GLOBAL_AVG_POOL: case SQRT: case ABS: case TANH:
      case STOP_GRADIENT:
        return OpHarness.single(op, Attributes.empty(), X4);
      case GATHER:
        return OpHarness.single(op, Attributes.builder().set("axis", 1L).build(), X4,
            Tensor.ofLongs(Shape.of(3), 1, -2, 0));
      case SLICE:
        return OpHarness.single(op, Attributes.builder().set("starts", 0L, -1L).set("ends", 1L, 2L)
            .set("axes", 1L, 3L).set("steps", 1L, 2L).build(), X4);
      case REDUCE_SUM: case REDUCE_MEAN:
        return OpHarness.single(op, Attributes.builder().set("axes", 1L, -1L).set("keepdims", 0L).build(), X4);
      case CLIP:
        return OpHarness.single(op, Attributes.builder().set("min", -1f).set("max", 2f).build(), X4);
      case GELU:
        return OpHarness.single(op, Attributes.builder().set("approximate", "tanh").build(), X4);
      case SOFTMAX:
        return OpHarness.single(op, Attributes.builder().set("axis", 1L).build(), X4);
      case LAYER_NORM:
        return OpHarness.single(op, Attributes.builder().set("axis", -1L).set("epsilon", 1e-6f).build(), X4, V2, V2);
      case BATCH_NORM:
        return OpHarness.single(op, Attributes.builder().set("epsilon", 1e-3f).set("momentum", 0.8f).build(), X4, V2,
            V2, V2, V2);
      case AVG_POOL:
        return OpHarness.single(op, Attributes.builder().set("kernel_shape", 2L, 2L).set("strides", 1L, 1L)
            .set("pads", 0L, 0L, 1L, 1L).set("count_include_pad", 1L).set("ceil_mode", 1L).build(), X4);
      case MAX_POOL:
        return OpHarness.single(op, Attributes.builder().set("kernel_shape", 2L, 1L).set("strides", 1L, 1L)
            .set("pads", 0L, 0L, 1L, 0L).set("dilations", 1L, 1L).set("ceil_mode", 1L).build(), X4);
      case RESHAPE:
        return OpHarness.single(op, Attributes.builder().set("shape", 0L, -1L).build(), X4);
      case TRANSPOSE:
        return OpHarness.single(op, Attributes.builder().set("perm", 0L, 2L, 3L, 1L).build(), X4);
      case CONCAT:
        return OpHarness.single(op, Attributes.builder().set("axis", 1L).build(), X4, X4);
      case SQUEEZE:
        return OpHarness.single(op, Attributes.builder().set("axes", 0L).build(), X4);
      case UNSQUEEZE:
        return OpHarness.single(op, Attributes.builder().set("axes", 1L, 5L).build(), X4);
      case FLATTEN:
        return OpHarness.single(op, Attributes.builder().set("axis", 2L).build(), X4);
      case DROPOUT: case DROP_PATH:
        return OpHarness.single(op, Attributes.builder().set("ratio", 0.3f).build(), X4);
      case CONSTANT:
        return OpHarness.single(op, Attributes.builder().set("value", new float[] {1f, -2f, 0.5f, 3f})
            .set("shape", 2L, 2L).build());
      default:
        throw new AssertionError("no canonical node for " + op + ": add one, and a lowering");
    }
  }

  private static OnnxMl.ModelProto lower(Graph g) {
    return OnnxLowering.lower(g, Weights.of(Map.of(), "none"), OnnxLowering.INLINE);
  }

  /** The op's node; the harness adds one Identity after it that renames its output to "y". */
  private static OnnxMl.NodeProto onlyNode(OnnxMl.ModelProto m) {
    assertEquals(2, m.getGraph().getNodeCount(), m.getGraph().toString());
    assertEquals("Identity", m.getGraph().getNode(1).getOpType());
    return m.getGraph().getNode(0);
  }

  private static Map<String, OnnxMl.AttributeProto> attributes(OnnxMl.NodeProto n) {
    Map<String, OnnxMl.AttributeProto> m = new HashMap<>();
    n.getAttributeList().forEach(a -> m.put(a.getName(), a));
    return m;
  }

  @Test
  void everyOpLowersToItsOnnxOperatorWithItsAttributes() {
    Set<Op> seen = EnumSet.noneOf(Op.class);
    Set<Op> inference = EnumSet.allOf(Op.class);
    inference.removeIf(Op::isLoss);
    for (Op op : inference) {
      Graph g = canonical(op);
      OnnxMl.NodeProto n = onlyNode(lower(g));
      boolean identity = op == Op.DROPOUT || op == Op.DROP_PATH || op == Op.STOP_GRADIENT;
      String expectedType = identity ? "Identity" : op.onnxOperator().orElseThrow();
      assertEquals(expectedType, n.getOpType(), op.toString());
      assertEquals(g.nodes().get(0).name(), n.getName(), "node name kept for " + op);
      Set<String> expectedAttrs = g.nodes().get(0).attributes().names().stream()
          .filter(a -> !(op == Op.RESHAPE && a.equals("shape")) && !(op == Op.SQUEEZE && a.equals("axes"))
              && !(op == Op.UNSQUEEZE && a.equals("axes")) && !(op == Op.CONSTANT && a.equals("shape")) && !identity
              && !AS_INPUTS.contains(op.irName() + "." + a))
          .collect(Collectors.toSet());
      assertEquals(expectedAttrs, attributes(n).keySet(), "attributes of " + op);
      seen.add(op);
    }
    assertEquals(inference, seen);
    assertEquals(inference, OnnxEngineProvider.CAPABILITIES.ops(),
        "capabilities must list exactly the ops the lowering maps");
  }

  @Test
  void lossesAreUnsupportedAndListedTogetherWithTheirNodes() {
    GraphBuilder b = new GraphBuilder("losses");
    Value x = b.input("x", DType.FLOAT32, Shape.of(2, 3));
    Value t = b.input("t", DType.FLOAT32, Shape.of(2, 3));
    Value l1 = b.apply(Op.L1_LOSS, x, t);
    b.output("sum", b.apply(Op.ADD, l1, b.apply(Op.MSE_LOSS, x, t)));
    UnsupportedOpException e = assertThrows(UnsupportedOpException.class, () -> lower(b.build()));
    assertTrue(e.getMessage().contains("l1_loss (node 'l1_loss_1')"), e.getMessage());
    assertTrue(e.getMessage().contains("mse_loss (node 'mse_loss_1')"), e.getMessage());
  }

  /** A CONSTANT is an ONNX Constant whose value tensor holds the node's float values under its shape. */
  @Test
  void constantsBecomeConstantNodesWithAFloatTensor() {
    OnnxMl.NodeProto n = onlyNode(lower(canonical(Op.CONSTANT)));
    assertEquals(0, n.getInputCount());
    OnnxMl.TensorProto t = attributes(n).get("value").getT();
    assertEquals(OnnxMl.AttributeProto.AttributeType.TENSOR, attributes(n).get("value").getType());
    assertEquals(OnnxMl.TensorProto.DataType.FLOAT_VALUE, t.getDataType());
    assertEquals(List.of(2L, 2L), t.getDimsList());
    float[] read = new float[4];
    t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(read);
    assertArrayEquals(new float[] {1f, -2f, 0.5f, 3f}, read);
  }

  @Test
  void attributeValuesAreCopiedExactly() {
    OnnxMl.NodeProto conv = onlyNode(lower(canonical(Op.CONV)));
    Map<String, OnnxMl.AttributeProto> a = attributes(conv);
    assertEquals(List.of(1L, 2L), a.get("strides").getIntsList());
    assertEquals(List.of(1L, 0L, 1L, 0L), a.get("pads").getIntsList());
    assertEquals(List.of(2L, 1L), a.get("dilations").getIntsList());
    assertEquals(OnnxMl.AttributeProto.AttributeType.INT, a.get("group").getType());
    assertEquals(2L, a.get("group").getI());
    Map<String, OnnxMl.AttributeProto> pool = attributes(onlyNode(lower(canonical(Op.AVG_POOL))));
    assertEquals(List.of(2L, 2L), pool.get("kernel_shape").getIntsList());
    assertEquals(1L, pool.get("count_include_pad").getI());
    assertEquals(1L, pool.get("ceil_mode").getI());
    Map<String, OnnxMl.AttributeProto> gelu = attributes(onlyNode(lower(canonical(Op.GELU))));
    assertEquals("tanh", gelu.get("approximate").getS().toStringUtf8());
    Map<String, OnnxMl.AttributeProto> ln = attributes(onlyNode(lower(canonical(Op.LAYER_NORM))));
    assertEquals(OnnxMl.AttributeProto.AttributeType.FLOAT, ln.get("epsilon").getType());
    assertEquals(1e-6f, ln.get("epsilon").getF());
    assertEquals(-1L, ln.get("axis").getI());
  }

  @Test
  void attributesThatOpset20TakesAsInputsBecomeInt64Initializers() {
    for (Op op : List.of(Op.RESHAPE, Op.SQUEEZE, Op.UNSQUEEZE)) {
      OnnxMl.ModelProto m = lower(canonical(op));
      OnnxMl.NodeProto n = onlyNode(m);
      assertEquals(2, n.getInputCount(), op.toString());
      OnnxMl.TensorProto c = m.getGraph().getInitializerList().stream()
          .filter(t -> t.getName().equals(n.getInput(1))).findFirst().orElseThrow();
      assertEquals(OnnxMl.TensorProto.DataType.INT64_VALUE, c.getDataType());
      long[] values = new long[(int) c.getDims(0)];
      c.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(values);
      String attr = op == Op.RESHAPE ? "shape" : "axes";
      long[] expected = canonical(op).nodes().get(0).attributes().getInts(attr);
      assertEquals(Arrays.toString(expected), Arrays.toString(values), op.toString());
    }
    // Without axes, Squeeze keeps its single input (squeeze every size-1 axis).
    OnnxMl.ModelProto all = lower(OpHarness.single(Op.SQUEEZE, Attributes.empty(), X4));
    assertEquals(1, onlyNode(all).getInputCount());
    assertEquals(0, all.getGraph().getInitializerCount());
  }

  /** The initializer named {@code name}, as longs (int64) or floats widened to double (float32). */
  private static double[] initializer(OnnxMl.ModelProto m, String name) {
    OnnxMl.TensorProto c = m.getGraph().getInitializerList().stream().filter(t -> t.getName().equals(name))
        .findFirst().orElseThrow(() -> new AssertionError("no initializer '" + name + "'"));
    ByteBuffer raw = c.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    if (c.getDataType() == OnnxMl.TensorProto.DataType.INT64_VALUE) {
      return LongStream.range(0, raw.remaining() / 8).mapToDouble(i -> raw.getLong((int) i * 8)).toArray();
    }
    assertEquals(OnnxMl.TensorProto.DataType.FLOAT_VALUE, c.getDataType(), name);
    return IntStream.range(0, raw.remaining() / 4).mapToDouble(i -> raw.getFloat(i * 4)).toArray();
  }

  /**
   * Slice's bounds, the reductions' axes and clip's bounds become initializer inputs in ONNX's input order; steps
   * without axes spell the default axes out, and an infinite clip bound is an omitted input.
   */
  @Test
  void sliceReduceAndClipAttributesBecomeInputs() {
    OnnxMl.ModelProto m = lower(canonical(Op.SLICE));
    OnnxMl.NodeProto slice = onlyNode(m);
    assertEquals(5, slice.getInputCount());
    assertArrayEquals(new double[] {0, -1}, initializer(m, slice.getInput(1)));
    assertArrayEquals(new double[] {1, 2}, initializer(m, slice.getInput(2)));
    assertArrayEquals(new double[] {1, 3}, initializer(m, slice.getInput(3)));
    assertArrayEquals(new double[] {1, 2}, initializer(m, slice.getInput(4)));
    m = lower(OpHarness.single(Op.SLICE, Attributes.builder().set("starts", 0L, 1L).set("ends", 1L, 2L)
        .set("steps", 1L, 2L).build(), X4));
    assertArrayEquals(new double[] {0, 1}, initializer(m, onlyNode(m).getInput(3)), "default axes spelled out");
    m = lower(OpHarness.single(Op.SLICE, Attributes.builder().set("starts", new long[] {0})
        .set("ends", new long[] {1}).build(), X4));
    assertEquals(3, onlyNode(m).getInputCount(), "no axes and no steps: starts and ends only");

    m = lower(canonical(Op.REDUCE_MEAN));
    OnnxMl.NodeProto mean = onlyNode(m);
    assertArrayEquals(new double[] {1, -1}, initializer(m, mean.getInput(1)));
    assertEquals(0L, attributes(mean).get("keepdims").getI());
    m = lower(OpHarness.single(Op.REDUCE_SUM, Attributes.empty(), X4));
    assertEquals(1, onlyNode(m).getInputCount(), "no axes: every axis, no axes input");

    m = lower(canonical(Op.CLIP));
    OnnxMl.NodeProto clip = onlyNode(m);
    assertArrayEquals(new double[] {-1}, initializer(m, clip.getInput(1)));
    assertArrayEquals(new double[] {2}, initializer(m, clip.getInput(2)));
    m = lower(OpHarness.single(Op.CLIP, Attributes.builder().set("max", 0.5f).build(), X4));
    assertEquals(List.of("in0", "", onlyNode(m).getInput(2)), onlyNode(m).getInputList());
    assertArrayEquals(new double[] {0.5}, initializer(m, onlyNode(m).getInput(2)));
    m = lower(OpHarness.single(Op.CLIP, Attributes.builder().set("min", 0f).build(), X4));
    assertEquals(2, onlyNode(m).getInputCount(), "only min: no max input");
    assertEquals(1, onlyNode(lower(OpHarness.single(Op.CLIP, Attributes.empty(), X4))).getInputCount());
  }

  @Test
  void modelHeaderInputsInitializersAndMetadata() {
    Graph g = TestModels.convClassifier();
    Weights w = EngineTestModels.randomWeights(g, 3);
    OnnxMl.ModelProto m = OnnxLowering.lower(g, w.fitTo(g), OnnxLowering.INLINE);
    assertEquals(9L, m.getIrVersion());
    assertEquals("medvision", m.getProducerName());
    assertEquals(1, m.getOpsetImportCount());
    assertEquals("", m.getOpsetImport(0).getDomain());
    assertEquals(20L, m.getOpsetImport(0).getVersion());
    assertEquals("conv-classifier", m.getGraph().getName());
    OnnxMl.ValueInfoProto x = m.getGraph().getInput(0);
    assertEquals(1, m.getGraph().getInputCount(), "parameters are initializers, not inputs");
    assertEquals("x", x.getName());
    OnnxMl.TensorShapeProto shape = x.getType().getTensorType().getShape();
    assertEquals("N", shape.getDim(0).getDimParam());
    assertEquals(List.of(2L, 5L, 5L), shape.getDimList().subList(1, 4).stream()
        .map(OnnxMl.TensorShapeProto.Dimension::getDimValue).collect(Collectors.toList()));
    assertEquals(OnnxMl.TensorProto.DataType.FLOAT_VALUE, x.getType().getTensorType().getElemType());
    assertEquals("probs", m.getGraph().getOutput(0).getName());
    assertEquals(List.of("conv.weight", "conv.bias", "fc.weight", "fc.bias"), m.getGraph().getInitializerList()
        .stream().map(OnnxMl.TensorProto::getName).collect(Collectors.toList()));
    OnnxMl.TensorProto cw = m.getGraph().getInitializer(0);
    assertEquals(List.of(4L, 2L, 3L, 3L), cw.getDimsList());
    float[] stored = new float[72];
    cw.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(stored);
    float[] expected = w.find("conv.weight").orElseThrow().toFloatArray();
    assertEquals(Arrays.toString(expected), Arrays.toString(stored));
    ByteBuffer first = cw.getRawData().asReadOnlyByteBuffer();
    assertEquals(Float.floatToIntBits(expected[0]), first.order(ByteOrder.LITTLE_ENDIAN).getInt(0),
        "raw_data must be little-endian");
    assertEquals(Map.of("task", "demo"), m.getMetadataPropsList().stream()
        .collect(Collectors.toMap(OnnxMl.StringStringEntryProto::getKey, OnnxMl.StringStringEntryProto::getValue)));
    assertTrue(m.getGraph().getNodeList().stream().anyMatch(n -> n.getName().equals(g.nodes().get(0).name())));
  }

  @Test
  void nonBatchDynamicDimensionsGetTheirOwnSymbols() {
    Graph g = OpHarness.single(Op.RELU, Attributes.empty(), X4);
    Graph dyn = new Graph(g.name(), g.irVersion(), List.of(new org.medvision.api.graph.ValueInfo("in0",
        X4.dtype(), Shape.of(-1, 2, -1, -1))), g.parameters(), g.nodes(),
        List.of(new org.medvision.api.graph.ValueInfo("y", X4.dtype(), Shape.of(-1, 2, -1, -1))), g.metadata())
        .validate();
    OnnxMl.ModelProto m = lower(dyn);
    List<String> params = m.getGraph().getInput(0).getType().getTensorType().getShape().getDimList().stream()
        .map(OnnxMl.TensorShapeProto.Dimension::getDimParam).collect(Collectors.toList());
    assertEquals(List.of("N", "", "in0_dim2", "in0_dim3"), params);
    assertEquals(2L, m.getGraph().getInput(0).getType().getTensorType().getShape().getDim(1).getDimValue());
  }
}
