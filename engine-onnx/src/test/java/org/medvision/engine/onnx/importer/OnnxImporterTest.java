package org.medvision.engine.onnx.importer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medvision.engine.onnx.importer.OnnxModels.floatData;
import static org.medvision.engine.onnx.importer.OnnxModels.floatRaw;
import static org.medvision.engine.onnx.importer.OnnxModels.floats;
import static org.medvision.engine.onnx.importer.OnnxModels.int64s;
import static org.medvision.engine.onnx.importer.OnnxModels.integer;
import static org.medvision.engine.onnx.importer.OnnxModels.ints;
import static org.medvision.engine.onnx.importer.OnnxModels.model;
import static org.medvision.engine.onnx.importer.OnnxModels.node;
import static org.medvision.engine.onnx.importer.OnnxModels.real;
import static org.medvision.engine.onnx.importer.OnnxModels.string;
import static org.medvision.engine.onnx.importer.OnnxModels.value;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.HalfFloats;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/** Each operator mapping, each initializer encoding and each error of the importer, on hand-built models. */
class OnnxImporterTest {
  private static final String[] NONE = {};

  private static ImportedModel load(OnnxMl.ModelProto m) {
    return OnnxImporter.fromModel(m, null, "test.onnx", ImportOptions.defaults());
  }

  private static OnnxMl.GraphProto.Builder graph(OnnxMl.NodeProto.Builder n) {
    return OnnxMl.GraphProto.newBuilder().setName("g").addNode(n);
  }

  /** A float32 graph output with no declared shape, as many exporters write them. */
  private static OnnxMl.ValueInfoProto out(String name) {
    return floats(name, (long[]) null);
  }

  private static Node only(ImportedModel m) {
    assertEquals(1, m.graph().nodes().size());
    return m.graph().nodes().get(0);
  }

  @Test
  void convAutoPadSameUpperAndLowerBecomeExplicitPads() {
    for (String mode : new String[] {"SAME_UPPER", "SAME_LOWER"}) {
      // Input 7, kernel 4, stride 2: output ceil(7/2) = 4, total pad (4-1)*2 + 4 - 7 = 3, odd pixel after (UPPER)
      // or before (LOWER).
      OnnxMl.GraphProto.Builder g = graph(node("c", "Conv", new String[] {"x", "w"}, "y")
          .addAttribute(string("auto_pad", mode)).addAttribute(ints("strides", 2, 2))
          .addAttribute(ints("kernel_shape", 4, 4)))
          .addInput(floats("x", 1, 2, 7, 7)).addOutput(out("y"))
          .addInitializer(floatData("w", new long[] {3, 2, 4, 4}, new float[96]));
      Node n = only(load(model(17, g)));
      assertEquals(Op.CONV, n.op());
      long[] expected = mode.equals("SAME_UPPER") ? new long[] {1, 1, 2, 2} : new long[] {2, 2, 1, 1};
      assertArrayEquals(expected, n.attributes().getInts("pads"), mode);
      assertEquals(Shape.of(1, 3, 4, 4), load(model(17, g)).graph().outputs().get(0).shape());
    }
  }

  @Test
  void convSameWithStrideOneWorksOnDynamicSizesButStrideTwoNeedsThem() {
    OnnxMl.GraphProto.Builder g = graph(node("c", "Conv", new String[] {"x", "w", "b"}, "y")
        .addAttribute(string("auto_pad", "SAME_UPPER")).addAttribute(ints("dilations", 2, 2)))
        .addInput(floats("x", -1, 2, -1, -1)).addOutput(out("y"))
        .addInitializer(floatData("w", new long[] {3, 2, 3, 3}, new float[54]))
        .addInitializer(floatData("b", new long[] {3}, 1, 2, 3));
    ImportedModel m = load(model(13, g));
    // Dilated extent 5: total pad 4, split evenly.
    assertArrayEquals(new long[] {2, 2, 2, 2}, only(m).attributes().getInts("pads"));
    assertEquals(ParamRole.WEIGHT, m.graph().parameter("w").orElseThrow().role());
    assertEquals(ParamRole.BIAS, m.graph().parameter("b").orElseThrow().role());
    g.getNodeBuilder(0).addAttribute(ints("strides", 2, 2));
    UnsupportedOnnxException e = assertThrows(UnsupportedOnnxException.class, () -> load(model(13, g)));
    assertTrue(e.getMessage().contains("node 'c'") && e.getMessage().contains("stride 2"), e.getMessage());
  }

  @Test
  void gemmAttributesTranslate() {
    OnnxMl.GraphProto.Builder g = graph(node("fc", "Gemm", new String[] {"a", "b", "c"}, "y")
        .addAttribute(integer("transA", 1)).addAttribute(integer("transB", 1))
        .addAttribute(real("alpha", 0.25f)).addAttribute(real("beta", 2f)))
        .addInput(floats("a", 4, 2)).addOutput(floats("y", 2, 3))
        .addInitializer(floatRaw("b", new long[] {3, 4}, new float[12]))
        .addInitializer(floatRaw("c", new long[] {3}, 0, 0, 0));
    Node n = only(load(model(13, g)));
    assertEquals(Op.GEMM, n.op());
    assertEquals(1L, n.attributes().getInt("transA"));
    assertEquals(1L, n.attributes().getInt("transB"));
    assertEquals(0.25f, n.attributes().getFloat("alpha"));
    assertEquals(2f, n.attributes().getFloat("beta"));
  }

  @Test
  void reshapeSqueezeUnsqueezeTakeConstantInputsAsAttributes() {
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("g")
        .addNode(node("k", "Constant", NONE, "shape").addAttribute(OnnxMl.AttributeProto.newBuilder()
            .setName("value").setType(OnnxMl.AttributeProto.AttributeType.TENSOR).setT(int64s("", 0, -1, 1))))
        .addNode(node("r", "Reshape", new String[] {"x", "shape"}, "r1"))
        .addNode(node("s", "Squeeze", new String[] {"r1", "axes"}, "s1"))
        .addNode(node("u", "Unsqueeze", new String[] {"s1", "axes2"}, "y"))
        .addInput(floats("x", -1, 3, 4)).addOutput(out("y"))
        .addInitializer(int64s("axes", 2)).addInitializer(int64s("axes2", 0, -1));
    ImportedModel m = load(model(13, g));
    assertEquals(3, m.graph().nodes().size());
    assertArrayEquals(new long[] {0, -1, 1}, m.graph().nodes().get(0).attributes().getInts("shape"));
    assertArrayEquals(new long[] {2}, m.graph().nodes().get(1).attributes().getInts("axes"));
    assertArrayEquals(new long[] {0, -1}, m.graph().nodes().get(2).attributes().getInts("axes"));
    // Constants consumed as attributes are not parameters; batch N stays dynamic through 0 and -1.
    assertTrue(m.graph().parameters().isEmpty());
    assertEquals(Shape.of(1, -1, 12, 1), m.graph().outputs().get(0).shape());
  }

  @Test
  void normalisationsPoolsAndActivationsTranslateWithDefaults() {
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("g")
        .addNode(node("bn", "BatchNormalization", new String[] {"x", "s", "b", "m", "v"}, "h1")
            .addAttribute(real("epsilon", 1e-3f)).addAttribute(integer("training_mode", 0)))
        .addNode(node("mp", "MaxPool", new String[] {"h1"}, "h2", "").addAttribute(ints("kernel_shape", 2, 2))
            .addAttribute(integer("ceil_mode", 1)).addAttribute(integer("storage_order", 0)))
        .addNode(node("ap", "AveragePool", new String[] {"h2"}, "h3").addAttribute(ints("kernel_shape", 3, 3))
            .addAttribute(string("auto_pad", "SAME_LOWER")).addAttribute(integer("count_include_pad", 1)))
        .addNode(node("t", "Transpose", new String[] {"h3"}, "h4").addAttribute(ints("perm", 0, 2, 3, 1)))
        .addNode(node("ln", "LayerNormalization", new String[] {"h4", "s"}, "h5", "mean", "inv")
            .addAttribute(integer("axis", -1)).addAttribute(integer("stash_type", 1)))
        .addNode(node("gelu", "Gelu", new String[] {"h5"}, "h6"))
        .addNode(node("drop", "Dropout", new String[] {"h6", "ratio"}, "h7"))
        .addNode(node("fl", "Flatten", new String[] {"h7"}, "h8").addAttribute(integer("axis", 1)))
        .addNode(node("sm", "Softmax", new String[] {"h8"}, "y"))
        .addInput(floats("x", 1, 2, 5, 5)).addOutput(out("y"))
        .addInitializer(floatData("s", new long[] {2}, 1, 1)).addInitializer(floatData("b", new long[] {2}, 0, 0))
        .addInitializer(floatData("m", new long[] {2}, 0, 0)).addInitializer(floatData("v", new long[] {2}, 1, 1))
        .addInitializer(floatData("ratio", new long[] {}, 0.25f));
    ImportedModel m = load(model(20, g));
    Map<String, Node> byName = new java.util.HashMap<>();
    m.graph().nodes().forEach(n -> byName.put(n.name(), n));
    assertEquals(1e-3f, byName.get("bn").attributes().getFloat("epsilon"));
    assertEquals(0.9f, byName.get("bn").attributes().getFloat("momentum"), "ONNX default momentum");
    assertEquals(1L, byName.get("mp").attributes().getInt("ceil_mode"));
    assertArrayEquals(new long[] {1, 1, 1, 1}, byName.get("ap").attributes().getInts("pads"));
    assertEquals(1L, byName.get("ap").attributes().getInt("count_include_pad"));
    assertEquals(Op.LAYER_NORM, byName.get("ln").op());
    assertEquals("none", byName.get("gelu").attributes().getString("approximate"));
    assertEquals(0.25f, byName.get("drop").attributes().getFloat("ratio"));
    assertEquals(-1L, byName.get("sm").attributes().getInt("axis"));
    // 5x5 -> max pool 2x2 stride 1 gives 4x4 -> SAME avg pool keeps 4x4 -> [1,4,4,2] -> flatten [1,32].
    assertEquals(Shape.of(1, 32), m.graph().outputs().get(0).shape());
    // The scale is shared by the BatchNorm and the LayerNorm: one parameter, role from its first use.
    assertEquals(ParamRole.NORM_SCALE, m.graph().parameter("s").orElseThrow().role());
    assertEquals(ParamRole.RUNNING_VAR, m.graph().parameter("v").orElseThrow().role());
  }

  @Test
  void softmaxCrossEntropyWithMeanReductionIsTheIrLoss() {
    OnnxMl.GraphProto.Builder g = graph(node("loss", "SoftmaxCrossEntropyLoss", new String[] {"x", "t", "w"}, "l"))
        .addInput(floats("x", 3, 4)).addInput(value("t", TensorProto.DataType.INT64_VALUE, 3))
        .addOutput(floats("l")).addInitializer(floatData("w", new long[] {4}, 1, 2, 3, 4));
    Node n = only(load(model(13, g)));
    assertEquals(Op.CROSS_ENTROPY, n.op());
    assertArrayEquals(new float[] {1, 2, 3, 4}, (float[]) n.attributes().raw("class_weights").orElseThrow());
  }

  @Test
  void initializersInEveryEncodingAndDtype() {
    short h = HalfFloats.floatToHalf(1.5f);
    TensorProto half = TensorProto.newBuilder().setName("half").setDataType(TensorProto.DataType.FLOAT16_VALUE)
        .addDims(2).addInt32Data(h).addInt32Data(HalfFloats.floatToHalf(-2f)).build();
    TensorProto bool = TensorProto.newBuilder().setName("flags").setDataType(TensorProto.DataType.BOOL_VALUE)
        .addDims(3).addInt32Data(1).addInt32Data(0).addInt32Data(1).build();
    TensorProto i32 = TensorProto.newBuilder().setName("i32").setDataType(TensorProto.DataType.INT32_VALUE)
        .addDims(2).setRawData(ByteString.copyFrom(new byte[] {7, 0, 0, 0, -1, -1, -1, -1})).build();
    Tensor th = TensorProtos.decode(half, "half", null);
    assertEquals(DType.FLOAT16, th.dtype());
    assertArrayEquals(new float[] {1.5f, -2f}, th.toFloatArray());
    assertArrayEquals(new long[] {1, 0, 1}, TensorProtos.decode(bool, "flags", null).toLongArray());
    assertArrayEquals(new long[] {7, -1}, TensorProtos.decode(i32, "i32", null).toLongArray());
    // Read, but the IR moves no such value between nodes, not even through an Identity: every one is named.
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("g")
        .addNode(node("a", "Identity", new String[] {"half"}, "y1"))
        .addNode(node("b", "Identity", new String[] {"flags"}, "y2"))
        .addNode(node("c", "Identity", new String[] {"i32"}, "y3"))
        .addOutput(value("y1", TensorProto.DataType.FLOAT16_VALUE, (long[]) null))
        .addOutput(value("y2", TensorProto.DataType.BOOL_VALUE, (long[]) null))
        .addOutput(value("y3", TensorProto.DataType.INT32_VALUE, (long[]) null))
        .addInitializer(half).addInitializer(bool).addInitializer(i32);
    UnsupportedOnnxException e = assertThrows(UnsupportedOnnxException.class, () -> load(model(13, g)));
    assertEquals(3, e.problems().size(), e.getMessage());
    assertTrue(e.problems().get(0).contains("'half' is float16 (needs float32)"), e.getMessage());
    assertTrue(e.problems().get(2).contains("'i32' is int32 (needs float32)"), e.getMessage());
  }

  /**
   * A float Constant read as data is a CONSTANT node, not a parameter; one read as an attribute (Reshape's shape)
   * is still folded, and an int64 graph input is accepted only where an index operand reads it.
   */
  @Test
  void floatConstantsBecomeConstantNodesAndInt64InputsOnlyIndices() {
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("g")
        .addNode(node("k", "Constant", NONE, "scale").addAttribute(OnnxMl.AttributeProto.newBuilder()
            .setName("value").setType(OnnxMl.AttributeProto.AttributeType.TENSOR)
            .setT(floatData("", new long[] {1, 3}, 2f, -1f, 0.5f))))
        .addNode(node("m", "Mul", new String[] {"x", "scale"}, "y"))
        .addInput(floats("x", 2, 3)).addOutput(out("y"));
    ImportedModel m = load(model(13, g));
    assertTrue(m.graph().parameters().isEmpty(), m.graph().parameters().toString());
    Node k = m.graph().nodes().get(0);
    assertEquals(Op.CONSTANT, k.op());
    assertEquals("k", k.name());
    assertEquals(List.of("scale"), k.outputs());
    assertArrayEquals(new long[] {1, 3}, k.attributes().getInts("shape"));
    assertArrayEquals(new float[] {2f, -1f, 0.5f}, (float[]) k.attributes().raw("value").orElseThrow());
    assertEquals(List.of("x", "scale"), m.graph().nodes().get(1).inputs());

    OnnxMl.GraphProto.Builder ids = graph(node("a", "Reshape", new String[] {"t", "shape"}, "y"))
        .addInput(value("t", TensorProto.DataType.INT64_VALUE, 3)).addInitializer(int64s("shape", -1))
        .addOutput(value("y", TensorProto.DataType.INT64_VALUE, (long[]) null));
    UnsupportedOnnxException e = assertThrows(UnsupportedOnnxException.class, () -> load(model(14, ids)));
    assertTrue(e.getMessage().contains("'t' is int64 (needs float32)") && e.getMessage().contains("reshape"),
        e.getMessage());
  }

  /** A scalar float32 initializer, as exporters write Clip's bounds. */
  private static TensorProto scalar(String name, float value) {
    return floatData(name, new long[0], value);
  }

  /**
   * BERT's embedding and pooling operators: Gather on int64 ids from a graph input, Slice with its bounds as
   * constants, ReduceSum with axes as an input and ReduceMean with axes as an attribute (opset 13) or an input (18),
   * Clip with constant bounds, and the unary Sqrt, Abs and Tanh.
   */
  @Test
  void gatherSliceReductionsClipAndUnaryOperatorsTranslate() {
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("g")
        .addNode(node("emb", "Gather", new String[] {"table", "ids"}, "e"))
        .addNode(node("cls", "Slice", new String[] {"e", "s0", "s1", "ax", "st"}, "c"))
        .addNode(node("sum", "ReduceSum", new String[] {"c", "ax"}, "r").addAttribute(integer("keepdims", 0)))
        .addNode(node("mean", "ReduceMean", new String[] {"r"}, "m").addAttribute(ints("axes", -1)))
        .addNode(node("clip", "Clip", new String[] {"m", "", "hi"}, "k"))
        .addNode(node("sq", "Sqrt", new String[] {"k"}, "k1"))
        .addNode(node("ab", "Abs", new String[] {"k1"}, "k2"))
        .addNode(node("th", "Tanh", new String[] {"k2"}, "y"))
        .addInput(value("ids", TensorProto.DataType.INT64_VALUE, -1, 5)).addOutput(out("y"))
        .addInitializer(floatData("table", new long[] {4, 3}, new float[12]))
        .addInitializer(int64s("s0", 0)).addInitializer(int64s("s1", Long.MAX_VALUE))
        .addInitializer(int64s("ax", 1)).addInitializer(int64s("st", 2)).addInitializer(scalar("hi", 6f));
    ImportedModel m = load(model(13, g));
    List<Node> nodes = m.graph().nodes();
    assertEquals(List.of(Op.GATHER, Op.SLICE, Op.REDUCE_SUM, Op.REDUCE_MEAN, Op.CLIP, Op.SQRT, Op.ABS, Op.TANH),
        nodes.stream().map(Node::op).toList());
    assertEquals(List.of("table", "ids"), nodes.get(0).inputs());
    assertEquals(0L, nodes.get(0).attributes().getInt("axis"));
    assertEquals(List.of("table"), m.graph().parameters().stream().map(p -> p.name()).toList());
    Attributes slice = nodes.get(1).attributes();
    assertArrayEquals(new long[] {0}, slice.getInts("starts"));
    assertArrayEquals(new long[] {Long.MAX_VALUE}, slice.getInts("ends"));
    assertArrayEquals(new long[] {1}, slice.getInts("axes"));
    assertArrayEquals(new long[] {2}, slice.getInts("steps"));
    assertArrayEquals(new long[] {1}, nodes.get(2).attributes().getInts("axes"));
    assertEquals(0L, nodes.get(2).attributes().getInt("keepdims"));
    assertArrayEquals(new long[] {-1}, nodes.get(3).attributes().getInts("axes"));
    assertEquals(Float.NEGATIVE_INFINITY, nodes.get(4).attributes().getFloat("min"));
    assertEquals(6f, nodes.get(4).attributes().getFloat("max"));
    // ids [N,5] -> [N,5,3] -> slice of axis 1, step 2 -> [N,3,3] -> sum of axis 1 -> [N,3] -> mean, kept -> [N,1].
    assertEquals(Shape.of(-1, 1), m.graph().outputs().get(0).shape());

    OnnxMl.GraphProto.Builder opset18 = graph(node("mean", "ReduceMean", new String[] {"x", "ax"}, "y"))
        .addInput(floats("x", 2, 3)).addOutput(out("y")).addInitializer(int64s("ax", 0));
    assertArrayEquals(new long[] {0}, only(load(model(18, opset18))).attributes().getInts("axes"));
  }

  /** What the IR leaves out is named: constant indices, negative steps, a reduction of nothing, tensor bounds. */
  @Test
  void gatherSliceReduceAndClipFormsTheIrLacksAreNamed() {
    OnnxMl.GraphProto.Builder constantIds = graph(node("emb", "Gather", new String[] {"table", "pos"}, "y"))
        .addInput(floats("table", 4, 3)).addOutput(out("y")).addInitializer(int64s("pos", 0, 1, 2));
    UnsupportedOnnxException e = assertThrows(UnsupportedOnnxException.class, () -> load(model(13, constantIds)));
    assertTrue(e.getMessage().contains("indices 'pos' are a constant; the IR reads int64 indices only from graph "
        + "inputs"), e.getMessage());
    OnnxMl.GraphProto.Builder reversed = graph(node("rev", "Slice", new String[] {"x", "s", "e", "a", "st"}, "y"))
        .addInput(floats("x", 4, 3)).addOutput(out("y")).addInitializer(int64s("s", -1))
        .addInitializer(int64s("e", -5)).addInitializer(int64s("a", 0)).addInitializer(int64s("st", -1));
    e = assertThrows(UnsupportedOnnxException.class, () -> load(model(13, reversed)));
    assertTrue(e.getMessage().contains("steps [-1] include a negative step"), e.getMessage());
    OnnxMl.GraphProto.Builder noop = graph(node("sum", "ReduceSum", new String[] {"x"}, "y")
        .addAttribute(integer("noop_with_empty_axes", 1))).addInput(floats("x", 4, 3)).addOutput(out("y"));
    e = assertThrows(UnsupportedOnnxException.class, () -> load(model(13, noop)));
    assertTrue(e.getMessage().contains("noop_with_empty_axes 1 without axes reduces nothing"), e.getMessage());
    OnnxMl.GraphProto.Builder vectorBound = graph(node("clip", "Clip", new String[] {"x", "lo"}, "y"))
        .addInput(floats("x", 4, 3)).addOutput(out("y")).addInitializer(floatData("lo", new long[] {2}, 0f, 1f));
    e = assertThrows(UnsupportedOnnxException.class, () -> load(model(13, vectorBound)));
    assertTrue(e.getMessage().contains("min must be one floating-point value"), e.getMessage());
  }

  @Test
  void externalDataIsReadFromTheModelsFolderOnly(@TempDir Path dir) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(8 + 12).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(0L).putFloat(1f).putFloat(2f).putFloat(3f);
    Files.write(dir.resolve("weights.bin"), b.array());
    TensorProto w = TensorProto.newBuilder().setName("w").setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(3)
        .setDataLocation(TensorProto.DataLocation.EXTERNAL)
        .addExternalData(entry("location", "weights.bin")).addExternalData(entry("offset", "8"))
        .addExternalData(entry("length", "12")).build();
    OnnxMl.GraphProto.Builder g = graph(node("a", "Add", new String[] {"x", "w"}, "y"))
        .addInput(floats("x", 3)).addOutput(out("y")).addInitializer(w);
    Path file = dir.resolve("m.onnx");
    Files.write(file, model(13, g).toByteArray());
    ImportedModel m = OnnxImporter.read(file);
    assertArrayEquals(new float[] {1, 2, 3}, m.weights().find("w").orElseThrow().toFloatArray());
    assertEquals(ParamRole.BIAS, m.graph().parameter("w").orElseThrow().role());

    g.setInitializer(0, w.toBuilder().setExternalData(0, entry("location", "../outside.bin")));
    Files.write(file, model(13, g).toByteArray());
    OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.read(file));
    assertTrue(e.getMessage().contains("initializer 'w'") && e.getMessage().contains("outside"), e.getMessage());
  }

  private static OnnxMl.StringStringEntryProto entry(String k, String v) {
    return OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
  }

  @Test
  void parametersWithNonDottedNamesAreRenamedAndRecorded() {
    OnnxMl.GraphProto.Builder g = graph(node("", "MatMul", new String[] {"x", "onnx::MatMul_7"}, "y"))
        .addInput(floats("x", 2, 3)).addOutput(out("y"))
        .addInitializer(floatData("onnx::MatMul_7", new long[] {3, 1}, 1, 2, 3));
    ImportedModel m = load(model(13, g));
    assertEquals(Map.of("onnx__MatMul_7", "onnx::MatMul_7"), m.renamedParameters());
    assertEquals("MatMul_0", only(m).name());
    assertEquals("onnx__MatMul_7", only(m).inputs().get(1));
  }

  @Test
  void bytesThatAreNotOnnxAreRejectedWithTheSource(@TempDir Path dir) throws IOException {
    Path text = dir.resolve("notes.onnx");
    Files.writeString(text, "this is a text file, not a model\n");
    OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.read(text));
    assertTrue(e.getMessage().contains(text.toString()) && e.getMessage().contains("not an ONNX model"),
        e.getMessage());
    Path png = dir.resolve("image.onnx");
    Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13});
    assertThrows(OnnxImportException.class, () -> OnnxImporter.read(png));
    assertThrows(OnnxImportException.class, () -> OnnxImporter.read(dir.resolve("missing.onnx")));
  }

  @Test
  void opsetTooNewOrTooOldForTheOperatorIsRejected() {
    OnnxMl.GraphProto.Builder g = graph(node("sm", "Softmax", new String[] {"x"}, "y"))
        .addInput(floats("x", 2, 3)).addOutput(out("y"));
    UnsupportedOnnxException tooNew = assertThrows(UnsupportedOnnxException.class, () -> load(model(23, g)));
    assertTrue(tooNew.getMessage().contains("opset 23"), tooNew.getMessage());
    UnsupportedOnnxException tooOld = assertThrows(UnsupportedOnnxException.class, () -> load(model(11, g)));
    assertTrue(tooOld.getMessage().contains("opset 11") && tooOld.getMessage().contains("Softmax")
        && tooOld.getMessage().contains("'sm'"), tooOld.getMessage());
    // Relu has had its float meaning since long before 13, but the importer reads the opset-13 definition.
    OnnxMl.GraphProto.Builder conv = graph(node("c", "Conv", new String[] {"x", "w"}, "y"))
        .addInput(floats("x", 1, 1, 3, 3)).addOutput(out("y"))
        .addInitializer(floatData("w", new long[] {1, 1, 1, 1}, 2));
    assertEquals(Op.CONV, only(load(model(11, conv))).op(), "Conv is unchanged since opset 11");
  }

  @Test
  void allUnsupportedOperatorsAreListedTogetherWithTheirNodes() {
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("g")
        .addNode(node("r1", "Resize", new String[] {"x"}, "a"))
        .addNode(node("relu", "Relu", new String[] {"a"}, "b"))
        .addNode(node("r2", "Resize", new String[] {"b"}, "c"))
        .addNode(node("fc", "FusedConv", new String[] {"c"}, "y").setDomain("com.microsoft"))
        .addInput(floats("x", 1, 1, 2, 2)).addOutput(out("y"));
    UnsupportedOnnxException e = assertThrows(UnsupportedOnnxException.class, () -> load(model(13, g)));
    assertEquals(2, e.problems().size(), e.getMessage());
    assertTrue(e.problems().get(0).contains("Resize") && e.problems().get(0).contains("'r1', 'r2'"),
        e.getMessage());
    assertTrue(e.problems().get(1).contains("com.microsoft:FusedConv") && e.problems().get(1).contains("'fc'"),
        e.getMessage());
  }

  @Test
  void initializerWhoseDataDisagreesWithItsShapeIsNamed() {
    OnnxMl.GraphProto.Builder g = graph(node("a", "Add", new String[] {"x", "bias"}, "y"))
        .addInput(floats("x", 4)).addOutput(out("y"))
        .addInitializer(floatRaw("bias", new long[] {4}, 1, 2, 3));
    OnnxImportException e = assertThrows(OnnxImportException.class, () -> load(model(13, g)));
    assertTrue(e.getMessage().contains("initializer 'bias'") && e.getMessage().contains("12 bytes"),
        e.getMessage());
    g.setInitializer(0, floatData("bias", new long[] {2, 2}, 1, 2, 3));
    e = assertThrows(OnnxImportException.class, () -> load(model(13, g)));
    assertTrue(e.getMessage().contains("initializer 'bias'") && e.getMessage().contains("float_data holds 3"),
        e.getMessage());
  }

  @Test
  void graphInputWithoutAShapeIsNamed() {
    OnnxMl.GraphProto.Builder g = graph(node("r", "Relu", new String[] {"x"}, "y"))
        .addInput(floats("x", (long[]) null)).addOutput(out("y"));
    UnsupportedOnnxException e = assertThrows(UnsupportedOnnxException.class, () -> load(model(13, g)));
    assertTrue(e.getMessage().contains("graph input 'x' has no shape"), e.getMessage());
    OnnxMl.GraphProto.Builder doubles = graph(node("r", "Relu", new String[] {"x"}, "y"))
        .addInput(value("x", TensorProto.DataType.DOUBLE_VALUE, 2)).addOutput(out("y"));
    e = assertThrows(UnsupportedOnnxException.class, () -> load(model(13, doubles)));
    assertTrue(e.getMessage().contains("graph input 'x'") && e.getMessage().contains("double"), e.getMessage());
  }

  @Test
  void unsupportedAttributeValuesAreEachNamed() {
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("g")
        .addNode(node("gelu", "Gelu", new String[] {"x"}, "a").addAttribute(string("approximate", "erf")))
        .addNode(node("sm", "Softmax", new String[] {"x"}, "b").addAttribute(real("temperature", 2f)))
        .addNode(node("ap", "AveragePool", new String[] {"x4"}, "c").addAttribute(ints("kernel_shape", 2, 2))
            .addAttribute(ints("dilations", 2, 2)))
        .addNode(node("rs", "Reshape", new String[] {"x", "dyn"}, "d"))
        .addInput(floats("x", 2, 3)).addInput(floats("x4", 1, 1, 4, 4))
        .addInput(value("dyn", TensorProto.DataType.INT64_VALUE, 2))
        .addOutput(out("a")).addOutput(out("b")).addOutput(out("c")).addOutput(out("d"));
    UnsupportedOnnxException e = assertThrows(UnsupportedOnnxException.class, () -> load(model(20, g)));
    assertEquals(4, e.problems().size(), e.getMessage());
    assertTrue(e.problems().get(0).contains("'gelu'") && e.problems().get(0).contains("'erf'"), e.getMessage());
    assertTrue(e.problems().get(1).contains("'sm'") && e.problems().get(1).contains("temperature"), e.getMessage());
    assertTrue(e.problems().get(2).contains("'ap'") && e.problems().get(2).contains("dilations"), e.getMessage());
    assertTrue(e.problems().get(3).contains("'rs'") && e.problems().get(3).contains("computed at run time"),
        e.getMessage());
  }

  @Test
  void auxiliaryOutputsAreRejectedUnlessDropped() {
    OnnxMl.GraphProto.Builder g = graph(node("mp", "MaxPool", new String[] {"x"}, "y", "idx")
        .addAttribute(ints("kernel_shape", 2)))
        .addInput(floats("x", 1, 1, 4)).addOutput(out("y"))
        .addOutput(value("idx", TensorProto.DataType.INT64_VALUE, 1, 1, 3));
    UnsupportedOnnxException e = assertThrows(UnsupportedOnnxException.class, () -> load(model(13, g)));
    assertTrue(e.getMessage().contains("'mp'") && e.getMessage().contains("'idx'"), e.getMessage());
    ImportedModel m = OnnxImporter.fromModel(model(13, g), null, "m",
        ImportOptions.defaults().withAuxiliaryOutputsDropped());
    assertEquals(java.util.List.of("idx"), m.droppedOutputs());
    assertEquals(1, m.graph().outputs().size());
  }

  @Test
  void offeredInputValuesAreFoldedOnlyWhereAConstantIsNeeded() {
    OnnxMl.GraphProto.Builder g = graph(node("rs", "Reshape", new String[] {"x", "shape"}, "y"))
        .addInput(floats("x", 2, 3)).addInput(value("shape", TensorProto.DataType.INT64_VALUE, 1))
        .addOutput(out("y"));
    Tensor shape = Tensor.ofLongs(Shape.of(1), -1);
    Tensor x = Tensor.of(Shape.of(2, 3), new float[6]);
    ImportedModel m = OnnxImporter.fromModel(model(14, g), null, "m",
        ImportOptions.defaults().withInputValues(Map.of("shape", shape, "x", x)));
    assertEquals(java.util.List.of("x"), m.graph().inputs().stream().map(v -> v.name()).toList());
    assertArrayEquals(new long[] {-1}, only(m).attributes().getInts("shape"));
    assertFalse(m.graph().parameter("x").isPresent());
  }

  @Test
  void tensorFilesReadRealNodeTestData() {
    Path relu = org.medvision.testkit.fixtures.TestData.onnxNodeTests().resolve("test_relu/test_data_set_0");
    Tensor in = OnnxTensorFiles.read(relu.resolve("input_0.pb"));
    Tensor out = OnnxTensorFiles.read(relu.resolve("output_0.pb"));
    assertEquals(Shape.of(3, 4, 5), in.shape());
    float[] x = in.toFloatArray();
    float[] expected = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      expected[i] = x[i] > 0 ? x[i] : 0f;
    }
    assertArrayEquals(expected, out.toFloatArray(), 0f);
    assertEquals("x", OnnxTensorFiles.readNamed(relu.resolve("input_0.pb")).name());
  }

  @Test
  void tensorFileErrorsNameTheFile(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("input_0.pb");
    Files.write(bad, floatData("t", new long[] {2, 2}, 1, 2).toByteArray());
    OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxTensorFiles.read(bad));
    assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("'t'"), e.getMessage());
    Path junk = dir.resolve("junk.pb");
    Files.writeString(junk, "hello");
    assertThrows(OnnxImportException.class, () -> OnnxTensorFiles.read(junk));
  }
}
