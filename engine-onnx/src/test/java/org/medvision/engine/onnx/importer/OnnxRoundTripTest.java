package org.medvision.engine.onnx.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Initializer;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;
import org.medvision.engine.onnx.OnnxExporter;

/** Our export followed by import gives back the graph and weights we started from. */
class OnnxRoundTripTest {
  private static final Initializer UNUSED = (out, shape, random) -> {
    throw new AssertionError("tests supply weights");
  };

  /**
   * A StrokeNeXt-like two-stage ConvNeXt: patchify stem + channel LayerNorm, a block (7x7 depthwise conv,
   * LayerNorm channels-last, Linear 4x, exact GELU, Linear, layer scale, residual), a downsample, then a fusion of
   * two pooled branches by concat, a reshape, a Conv1d, flatten and an MLP head with tanh GELU, a constant per-class
   * factor and softmax.
   */
  static Graph strokeNextLike() {
    GraphBuilder b = new GraphBuilder("strokenext-like");
    Value x = b.input("image", DType.FLOAT32, Shape.of(-1, 3, 32, 32));
    Value h;
    try (GraphBuilder.Scope s = b.scope("stem")) {
      Value w = b.parameter("0.weight", Shape.of(8, 3, 4, 4), ParamRole.WEIGHT, UNUSED);
      Value bias = b.parameter("0.bias", Shape.of(8), ParamRole.BIAS, UNUSED);
      h = b.apply(Op.CONV, Attributes.builder().set("strides", 4L, 4L).build(), x, w, bias);
      h = channelNorm(b, h, "1", 8);
    }
    try (GraphBuilder.Scope s = b.scope("stages.0.blocks.0")) {
      Value shortcut = h;
      Value dw = b.parameter("conv_dw.weight", Shape.of(8, 1, 7, 7), ParamRole.WEIGHT, UNUSED);
      Value dwb = b.parameter("conv_dw.bias", Shape.of(8), ParamRole.BIAS, UNUSED);
      h = b.apply(Op.CONV, Attributes.builder().set("pads", 3L, 3L, 3L, 3L).set("group", 8L).build(), h, dw, dwb);
      h = b.apply(Op.TRANSPOSE, Attributes.builder().set("perm", 0L, 2L, 3L, 1L).build(), h);
      Value g = b.parameter("norm.weight", Shape.of(8), ParamRole.NORM_SCALE, UNUSED);
      Value be = b.parameter("norm.bias", Shape.of(8), ParamRole.NORM_BIAS, UNUSED);
      h = b.apply(Op.LAYER_NORM, Attributes.builder().set("epsilon", 1e-6f).build(), h, g, be);
      Value w1 = b.parameter("mlp.fc1.weight", Shape.of(8, 32), ParamRole.WEIGHT, UNUSED);
      Value b1 = b.parameter("mlp.fc1.bias", Shape.of(32), ParamRole.BIAS, UNUSED);
      h = b.apply(Op.ADD, b.apply(Op.MATMUL, h, w1), b1);
      h = b.apply(Op.GELU, h);
      Value w2 = b.parameter("mlp.fc2.weight", Shape.of(32, 8), ParamRole.WEIGHT, UNUSED);
      Value b2 = b.parameter("mlp.fc2.bias", Shape.of(8), ParamRole.BIAS, UNUSED);
      h = b.apply(Op.ADD, b.apply(Op.MATMUL, h, w2), b2);
      Value gamma = b.parameter("gamma", Shape.of(8), ParamRole.LAYER_SCALE, UNUSED);
      h = b.apply(Op.MUL, h, gamma);
      h = b.apply(Op.TRANSPOSE, Attributes.builder().set("perm", 0L, 3L, 1L, 2L).build(), h);
      h = b.apply(Op.ADD, shortcut, h);
    }
    try (GraphBuilder.Scope s = b.scope("stages.1.downsample")) {
      Value w = b.parameter("1.weight", Shape.of(16, 8, 2, 2), ParamRole.WEIGHT, UNUSED);
      h = b.apply(Op.CONV, Attributes.builder().set("strides", 2L, 2L).build(), h, w);
      Value g = b.parameter("bn.weight", Shape.of(16), ParamRole.NORM_SCALE, UNUSED);
      Value be = b.parameter("bn.bias", Shape.of(16), ParamRole.NORM_BIAS, UNUSED);
      Value m = b.parameter("bn.running_mean", Shape.of(16), ParamRole.RUNNING_MEAN, UNUSED);
      Value v = b.parameter("bn.running_var", Shape.of(16), ParamRole.RUNNING_VAR, UNUSED);
      h = b.apply(Op.BATCH_NORM, h, g, be, m, v);
      h = b.apply(Op.RELU, h);
    }
    Value avg = b.apply(Op.AVG_POOL, Attributes.builder().set("kernel_shape", 2L, 2L).set("strides", 2L, 2L)
        .set("ceil_mode", 1L).build(), h);
    Value max = b.apply(Op.MAX_POOL, Attributes.builder().set("kernel_shape", 3L, 3L).set("pads", 1L, 1L, 1L, 1L)
        .set("strides", 2L, 2L).build(), h);
    Value fused = b.apply(Op.CONCAT, Attributes.builder().set("axis", 1L).build(),
        b.apply(Op.GLOBAL_AVG_POOL, avg), b.apply(Op.GLOBAL_AVG_POOL, max));
    Value seq = b.apply(Op.RESHAPE, Attributes.builder().set("shape", 0L, 2L, -1L).build(), fused);
    try (GraphBuilder.Scope s = b.scope("fusion")) {
      Value w = b.parameter("conv.weight", Shape.of(4, 2, 3), ParamRole.WEIGHT, UNUSED);
      seq = b.apply(Op.CONV, Attributes.builder().set("pads", 1L, 1L).build(), seq, w);
    }
    Value flat = b.apply(Op.FLATTEN, seq);
    flat = b.apply(Op.UNSQUEEZE, Attributes.builder().set("axes", 1L).build(), flat);
    flat = b.apply(Op.SQUEEZE, Attributes.builder().set("axes", 1L).build(), flat);
    try (GraphBuilder.Scope s = b.scope("head")) {
      Value w = b.parameter("fc.weight", Shape.of(3, 64), ParamRole.WEIGHT, UNUSED);
      Value bias = b.parameter("fc.bias", Shape.of(3), ParamRole.BIAS, UNUSED);
      flat = b.apply(Op.GEMM, Attributes.builder().set("transB", 1L).set("alpha", 0.5f).build(), flat, w, bias);
      flat = b.apply(Op.GELU, Attributes.builder().set("approximate", "tanh").build(), flat);
    }
    // A fixed temperature per class: a CONSTANT, which goes out as an ONNX Constant and comes back as itself.
    flat = b.apply(Op.MUL, flat, b.constant(Shape.of(3), 1.5f, -0.5f, 2f));
    Value probs = b.apply(Op.SOFTMAX, Attributes.builder().set("axis", 1L).build(), b.apply(Op.SIGMOID, flat));
    b.output("probs", probs);
    b.output("features", fused);
    b.metadata("task", "strokenext").metadata("variant", "atto-like");
    return b.build();
  }

  private static Value channelNorm(GraphBuilder b, Value x, String name, long c) {
    Value h = b.apply(Op.TRANSPOSE, Attributes.builder().set("perm", 0L, 2L, 3L, 1L).build(), x);
    Value g = b.parameter(name + ".weight", Shape.of(c), ParamRole.NORM_SCALE, UNUSED);
    Value be = b.parameter(name + ".bias", Shape.of(c), ParamRole.NORM_BIAS, UNUSED);
    h = b.apply(Op.LAYER_NORM, Attributes.builder().set("epsilon", 1e-6f).build(), h, g, be);
    return b.apply(Op.TRANSPOSE, Attributes.builder().set("perm", 0L, 3L, 1L, 2L).build(), h);
  }

  static Weights randomWeights(Graph g, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (ParameterSpec p : g.parameters()) {
      float[] v = new float[(int) p.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) r.nextDouble(-1, 1);
      }
      m.put(p.name(), Tensor.of(p.shape(), v));
    }
    return Weights.of(m, "random(seed=" + seed + ")");
  }

  /** Graphs are records holding initializer lambdas, so equality is checked part by part. */
  static void assertSameGraph(Graph expected, Graph actual) {
    assertEquals(expected.name(), actual.name());
    assertEquals(expected.irVersion(), actual.irVersion());
    assertEquals(expected.inputs(), actual.inputs());
    assertEquals(expected.outputs(), actual.outputs());
    assertEquals(expected.metadata(), actual.metadata());
    assertEquals(expected.nodes().size(), actual.nodes().size());
    for (int i = 0; i < expected.nodes().size(); i++) {
      assertEquals(expected.nodes().get(i), actual.nodes().get(i), "node " + i);
    }
    assertEquals(expected.parameters().size(), actual.parameters().size());
    for (int i = 0; i < expected.parameters().size(); i++) {
      ParameterSpec e = expected.parameters().get(i);
      ParameterSpec a = actual.parameters().get(i);
      assertEquals(List.of(e.name(), e.dtype(), e.shape(), e.role()), List.of(a.name(), a.dtype(), a.shape(), a.role()));
    }
  }

  static void assertSameWeights(Weights expected, Weights actual) {
    assertEquals(List.copyOf(expected.tensors().keySet()), List.copyOf(actual.tensors().keySet()));
    expected.tensors().forEach((k, v) -> assertTrue(v.contentEquals(actual.tensors().get(k)), k));
  }

  @Test
  void exportThenImportGivesTheSameGraphAndWeights() {
    Graph g = strokeNextLike();
    Weights w = randomWeights(g, 11);
    ImportedModel m = OnnxImporter.fromBytes(OnnxExporter.toBytes(g, w), "memory", ImportOptions.defaults());
    assertSameGraph(g, m.graph());
    assertSameWeights(w, m.weights());
    assertTrue(m.renamedParameters().isEmpty());
    assertTrue(m.notes().isEmpty(), m.notes().toString());
  }

  @Test
  void roundTripThroughAFile(@TempDir Path dir) {
    Graph g = strokeNextLike();
    Weights w = randomWeights(g, 12);
    Path file = dir.resolve("model.onnx");
    OnnxExporter.export(g, w, file);
    ImportedModel m = OnnxImporter.read(file);
    assertSameGraph(g, m.graph());
    assertSameWeights(w, m.weights());
    assertEquals(file.toString(), m.weights().source());
  }

  @Test
  void dropoutAndDropPathComeBackAsIdentity() {
    GraphBuilder b = new GraphBuilder("drops");
    Value x = b.input("x", DType.FLOAT32, Shape.of(-1, 4));
    Value h = b.apply(Op.DROPOUT, Attributes.builder().set("ratio", 0.3f).build(), x);
    h = b.apply(Op.DROP_PATH, Attributes.builder().set("ratio", 0.1f).build(), h);
    b.output("y", h);
    Graph g = b.build();
    Graph back = OnnxImporter.fromBytes(OnnxExporter.toBytes(g, Weights.of(Map.of(), "none")), "m",
        ImportOptions.defaults()).graph();
    assertEquals(List.of(Op.IDENTITY, Op.IDENTITY, Op.IDENTITY), back.nodes().stream().map(n -> n.op()).toList());
    assertEquals(g.nodes().stream().map(n -> n.name()).toList(), back.nodes().stream().map(n -> n.name()).toList());
  }

  /**
   * A BERT-like embedding and pooling: token ids gathered from a word table, a position table sliced to the sequence
   * length, mean pooling, a norm floor by clip and tanh. Every IR version 4 op but stop_gradient comes back as itself
   * (slice and reduce attributes through int64 initializers, clip's bound through a float one); stop_gradient is
   * exported as Identity, which is what it is at inference.
   */
  @Test
  void versionFourOpsComeBack() {
    GraphBuilder b = new GraphBuilder("bert-like");
    Value ids = b.input("input_ids", DType.INT64, Shape.of(-1, 6));
    Value words = b.parameter("embeddings.word_embeddings.weight", Shape.of(30, 8), ParamRole.WEIGHT, UNUSED);
    Value positions = b.parameter("embeddings.position_embeddings.weight", Shape.of(16, 8), ParamRole.WEIGHT,
        UNUSED);
    Value h = b.apply(Op.GATHER, words, ids);
    h = b.apply(Op.ADD, h, b.apply(Op.SLICE, Attributes.builder().set("starts", new long[] {0})
        .set("ends", new long[] {6}).build(), positions));
    Value pooled = b.apply(Op.REDUCE_MEAN, Attributes.builder().set("axes", new long[] {1}).set("keepdims", 0L)
        .build(), h);
    Value norm = b.apply(Op.SQRT, b.apply(Op.REDUCE_SUM, Attributes.builder().set("axes", new long[] {-1}).build(),
        b.apply(Op.MUL, pooled, pooled)));
    norm = b.apply(Op.CLIP, Attributes.builder().set("min", 1e-6f).build(), b.apply(Op.ABS, norm));
    Value unit = b.apply(Op.DIV, pooled, b.apply(Op.STOP_GRADIENT, norm));
    b.output("embedding", b.apply(Op.TANH, b.apply(Op.SLICE, Attributes.builder().set("starts", 1L, 0L)
        .set("ends", Long.MAX_VALUE, 7L).set("axes", -1L, 0L).set("steps", 2L, 1L).build(), unit)));
    Graph g = b.build();
    Weights w = randomWeights(g, 13);
    ImportedModel m = OnnxImporter.fromBytes(OnnxExporter.toBytes(g, w), "memory", ImportOptions.defaults());
    List<Node> expected = g.nodes().stream().map(n -> n.op() != Op.STOP_GRADIENT ? n
        : new Node(n.name(), Op.IDENTITY, n.inputs(), n.outputs(), Attributes.empty())).toList();
    assertEquals(expected, m.graph().nodes());
    assertEquals(g.inputs(), m.graph().inputs());
    assertEquals(g.outputs(), m.graph().outputs());
    assertSameWeights(w, m.weights());
  }
}
