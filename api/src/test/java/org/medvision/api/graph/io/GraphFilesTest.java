package org.medvision.api.graph.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
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
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.RandomWeights;
import org.medvision.api.weights.Safetensors;
import org.medvision.api.weights.Weights;
import org.medvision.api.weights.WeightsFormatException;

class GraphFilesTest {
  @TempDir
  Path dir;

  /**
   * Every attribute type (ints, int, float, floats, string), a dynamic batch, a rank-1 parameter per role, an IR
   * version 2 op and graph metadata.
   */
  static Graph everyAttributeKind() {
    GraphBuilder b = new GraphBuilder("round-trip");
    Value x = b.input("image", DType.FLOAT32, Shape.of(-1, 3, 8, 8));
    Value w = b.parameter("stem.conv.weight", Shape.of(4, 3, 3, 3), ParamRole.WEIGHT, (o, s, r) -> fill(o, r));
    Value bias = b.parameter("stem.conv.bias", Shape.of(4), ParamRole.BIAS, (o, s, r) -> fill(o, r));
    x = b.apply(Op.CONV, Attributes.builder().set("pads", 1L, 1L, 1L, 1L).set("strides", 2L, 2L).build(), x, w, bias);
    x = b.apply(Op.TRANSPOSE, Attributes.builder().set("perm", 0L, 2L, 3L, 1L).build(), x);
    Value scale = b.parameter("stem.norm.weight", Shape.of(4), ParamRole.NORM_SCALE, (o, s, r) -> fill(o, r));
    Value shift = b.parameter("stem.norm.bias", Shape.of(4), ParamRole.NORM_BIAS, (o, s, r) -> fill(o, r));
    x = b.apply(Op.LAYER_NORM, Attributes.builder().set("epsilon", 1e-6f).build(), x, scale, shift);
    x = b.apply(Op.GELU, Attributes.builder().set("approximate", "tanh").build(), x);
    Value gamma = b.parameter("stem.gamma", Shape.of(4), ParamRole.LAYER_SCALE, (o, s, r) -> fill(o, r));
    x = b.apply(Op.MUL, x, gamma);
    x = b.apply(Op.DROP_PATH, Attributes.builder().set("ratio", 0.1f).build(), x);
    x = b.apply(Op.RESHAPE, Attributes.builder().set("shape", 0L, -1L).build(), x);
    Value head = b.parameter("head.weight", Shape.of(3, 64), ParamRole.WEIGHT, (o, s, r) -> fill(o, r));
    x = b.apply(Op.GEMM, Attributes.builder().set("transB", 1L).set("alpha", 0.5f).build(), x, head);
    b.output("logits", x);
    Value target = b.input("target", DType.FLOAT32, Shape.of(-1, 3));
    Value loss = b.apply(Op.BCE_WITH_LOGITS,
        Attributes.builder().set("pos_weight", new float[] {1f, 2.5f, 1e-7f}).build(), x, target);
    b.output("loss", loss);
    b.metadata("task", "demo").metadata("note", "quotes \" and \\ and unicode \u00e9");
    return b.build();
  }

  private static void fill(float[] out, SplittableRandom random) {
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) random.nextGaussian();
    }
  }

  private static void assertSameGraph(Graph expected, Graph actual) {
    assertEquals(expected.name(), actual.name());
    assertEquals(expected.irVersion(), actual.irVersion());
    assertEquals(expected.inputs(), actual.inputs());
    assertEquals(expected.outputs(), actual.outputs());
    assertEquals(expected.nodes(), actual.nodes());
    assertEquals(expected.metadata(), actual.metadata());
    assertEquals(expected.parameters().size(), actual.parameters().size());
    for (int i = 0; i < expected.parameters().size(); i++) {
      ParameterSpec e = expected.parameters().get(i);
      ParameterSpec a = actual.parameters().get(i);
      assertEquals(List.of(e.name(), e.dtype(), e.shape(), e.role()), List.of(a.name(), a.dtype(), a.shape(),
          a.role()));
    }
  }

  @Test
  void roundTripGivesAnEqualGraphAndBitIdenticalWeights() {
    Graph g = everyAttributeKind();
    Weights w = RandomWeights.initialize(g, 11);
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("origin", "unit test");
    Path file = dir.resolve("model.graph");
    GraphFiles.write(g, new Weights(w.tensors(), meta, "random"), file);
    GraphFile back = GraphFiles.read(file);
    assertSameGraph(g, back.graph());
    assertEquals(List.copyOf(w.tensors().keySet()), List.copyOf(back.weights().tensors().keySet()));
    for (String name : w.tensors().keySet()) {
      assertTrue(w.tensors().get(name).contentEquals(back.weights().tensors().get(name)), name);
    }
    assertEquals(Map.of("origin", "unit test"), back.weights().metadata());
    assertEquals(file.toString(), back.weights().source());
    // The float attributes came back as the same floats, not merely close ones.
    Node bce = back.graph().nodes().stream().filter(n -> n.op() == Op.BCE_WITH_LOGITS).findFirst().orElseThrow();
    assertArrayEquals(new float[] {1f, 2.5f, 1e-7f}, (float[]) bce.attributes().raw("pos_weight").orElseThrow());
  }

  /** A BERT-like embedding and pooling with every IR version 4 op; clip's unset bound is stored as infinite. */
  @Test
  void versionFourOpsRoundTrip() {
    GraphBuilder b = new GraphBuilder("v4");
    Value ids = b.input("ids", DType.INT64, Shape.of(-1, 7));
    Value table = b.parameter("embeddings.word_embeddings.weight", Shape.of(11, 4), ParamRole.WEIGHT,
        (o, s, r) -> fill(o, r));
    Value x = b.apply(Op.GATHER, Attributes.builder().set("axis", 0L).build(), table, ids);
    x = b.apply(Op.SLICE, Attributes.builder().set("starts", 1L, -3L).set("ends", Long.MAX_VALUE, 4L)
        .set("axes", 1L, -1L).set("steps", 2L, 1L).build(), x);
    x = b.apply(Op.TANH, b.apply(Op.SQRT, b.apply(Op.ABS, x)));
    x = b.apply(Op.CLIP, Attributes.builder().set("min", -0.5f).build(), b.apply(Op.STOP_GRADIENT, x));
    x = b.apply(Op.REDUCE_MEAN, Attributes.builder().set("axes", new long[] {1}).set("keepdims", 0L).build(), x);
    b.output("pooled", b.apply(Op.REDUCE_SUM, Attributes.builder().set("axes", new long[] {-1}).build(), x));
    Graph g = b.build();
    String json = GraphFiles.toJson(g);
    assertTrue(json.contains("\"max\":{\"float\":\"Infinity\"}"), json);
    assertTrue(json.contains("\"ir_version\":4"), json);
    assertSameGraph(g, GraphFiles.fromJson(json, "json"));
  }

  @Test
  void theFileIsPlainSafetensorsWithTheGraphInItsMetadata() {
    Graph g = everyAttributeKind();
    Path file = dir.resolve("model.graph");
    GraphFiles.write(g, RandomWeights.initialize(g, 1), file);
    Weights asSafetensors = Safetensors.read(file);
    assertEquals(g.parameters().stream().map(ParameterSpec::name).toList(),
        List.copyOf(asSafetensors.tensors().keySet()));
    assertEquals("1", asSafetensors.metadata().get(GraphFiles.VERSION_KEY));
    String json = asSafetensors.metadata().get(GraphFiles.GRAPH_KEY);
    assertTrue(json.contains("\"op\":\"layer_norm\""), json);
    assertTrue(json.contains("\"epsilon\":{\"float\":1.0E-6}"), json);
    assertSameGraph(g, GraphFiles.fromJson(json, "metadata"));
  }

  @Test
  void readBackParametersGetTheirRolesDefaultInitializer() {
    Graph g = everyAttributeKind();
    Graph back = GraphFiles.fromJson(GraphFiles.toJson(g), "json");
    float[] ones = new float[4];
    back.parameter("stem.norm.weight").orElseThrow().initializer().fill(ones, Shape.of(4), new SplittableRandom(1));
    assertArrayEquals(new float[] {1, 1, 1, 1}, ones);
    float[] zeros = {9, 9, 9, 9};
    back.parameter("stem.conv.bias").orElseThrow().initializer().fill(zeros, Shape.of(4), new SplittableRandom(1));
    assertArrayEquals(new float[4], zeros);
  }

  @Test
  void nonFiniteFloatAttributesSurvive() {
    GraphBuilder b = new GraphBuilder("nan");
    Value x = b.input("x", DType.FLOAT32, Shape.of(2, 3));
    Value t = b.input("t", DType.FLOAT32, Shape.of(2, 3));
    b.output("loss", b.apply(Op.BCE_WITH_LOGITS, Attributes.builder()
        .set("pos_weight", new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}).build(), x, t));
    Graph g = b.build();
    Graph back = GraphFiles.fromJson(GraphFiles.toJson(g), "json");
    assertEquals(g.nodes(), back.nodes());
  }

  @Test
  void aFileThatIsNotSafetensorsIsRefusedNamingIt() throws IOException {
    Path file = dir.resolve("junk.graph");
    Files.writeString(file, "this is not a model at all");
    GraphFileException e = assertThrows(GraphFileException.class, () -> GraphFiles.read(file));
    assertTrue(e.getMessage().startsWith(file + " is not a medvision graph file"), e.getMessage());
    assertTrue(e.getCause() instanceof WeightsFormatException);
  }

  @Test
  void plainWeightsAreRefusedAsHavingNoGraph() {
    Path file = dir.resolve("weights.safetensors");
    Safetensors.write(file, Weights.of(Map.of("w", Tensor.of(Shape.of(2), 1f, 2f)), "t"));
    GraphFileException e = assertThrows(GraphFileException.class, () -> GraphFiles.read(file));
    assertTrue(e.getMessage().contains("safetensors file without a graph"), e.getMessage());
    assertTrue(e.getMessage().contains("'medvision.graph'"), e.getMessage());
  }

  @Test
  void aMissingFileIsNamed() {
    Path file = dir.resolve("absent.graph");
    GraphFileException e = assertThrows(GraphFileException.class, () -> GraphFiles.read(file));
    assertEquals("graph file " + file + " does not exist", e.getMessage());
  }

  /** A copy of a good file with one metadata entry replaced. */
  private Path tampered(String key, java.util.function.UnaryOperator<String> change) {
    Graph g = everyAttributeKind();
    Path good = dir.resolve("good.graph");
    GraphFiles.write(g, RandomWeights.initialize(g, 1), good);
    Weights w = Safetensors.read(good);
    Map<String, String> meta = new LinkedHashMap<>(w.metadata());
    meta.put(key, change.apply(meta.get(key)));
    Path bad = dir.resolve("bad.graph");
    Safetensors.write(bad, new Weights(w.tensors(), meta, "bad"));
    return bad;
  }

  @Test
  void aNewerFormatVersionIsRefused() {
    Path bad = tampered(GraphFiles.VERSION_KEY, v -> "2");
    GraphFileException e = assertThrows(GraphFileException.class, () -> GraphFiles.read(bad));
    assertTrue(e.getMessage().contains("format version 2 is not readable; this build reads versions 1 to 1 (the "
        + "file was written by a newer medvision)"), e.getMessage());
  }

  @Test
  void anUnknownOpIsNamedWithItsJsonLocation() {
    Path bad = tampered(GraphFiles.GRAPH_KEY, j -> j.replace("\"op\":\"gelu\"", "\"op\":\"swish\""));
    GraphFileException e = assertThrows(GraphFileException.class, () -> GraphFiles.read(bad));
    assertTrue(e.getMessage().contains("graph JSON at $.nodes[3].op: node '"), e.getMessage());
    assertTrue(e.getMessage().contains("has op 'swish'"), e.getMessage());
  }

  @Test
  void malformedJsonAndWrongTypesAreReported() {
    Path truncated = tampered(GraphFiles.GRAPH_KEY, j -> j.substring(0, j.length() / 2));
    GraphFileException e1 = assertThrows(GraphFileException.class, () -> GraphFiles.read(truncated));
    assertTrue(e1.getMessage().contains("the graph is not valid JSON"), e1.getMessage());
    Path wrongType = tampered(GraphFiles.GRAPH_KEY, j -> j.replace("\"strides\":{\"ints\":[2,2]}",
        "\"strides\":{\"ints\":[2,\"two\"]}"));
    GraphFileException e2 = assertThrows(GraphFileException.class, () -> GraphFiles.read(wrongType));
    assertTrue(e2.getMessage().contains("$.nodes[0].attributes.strides.ints[1]: expected an integer, found "
        + "\"two\""), e2.getMessage());
  }

  @Test
  void aGraphBreakingTheIrRulesIsReportedByTheValidator() {
    String current = "\"ir_version\":" + Op.IR_VERSION;
    Path bad = tampered(GraphFiles.GRAPH_KEY, j -> j.replace(current, "\"ir_version\":1"));
    GraphFileException e = assertThrows(GraphFileException.class, () -> GraphFiles.read(bad));
    assertTrue(e.getMessage().contains("uses drop_path, added in IR version 2"), e.getMessage());
    Path newer = tampered(GraphFiles.GRAPH_KEY, j -> j.replace(current, "\"ir_version\":9"));
    GraphFileException e2 = assertThrows(GraphFileException.class, () -> GraphFiles.read(newer));
    assertTrue(e2.getMessage().contains("IR version 9; this build reads 1 to " + Op.IR_VERSION), e2.getMessage());
  }

  @Test
  void tensorsThatDoNotFitTheGraphAreNamed() {
    Graph g = everyAttributeKind();
    Path good = dir.resolve("good.graph");
    GraphFiles.write(g, RandomWeights.initialize(g, 1), good);
    Weights w = Safetensors.read(good);
    Map<String, Tensor> tensors = new LinkedHashMap<>(w.tensors());
    tensors.put("stem.gamma", Tensor.of(Shape.of(5), new float[5]));
    Path bad = dir.resolve("bad.graph");
    Safetensors.write(bad, new Weights(tensors, w.metadata(), "bad"));
    GraphFileException e = assertThrows(GraphFileException.class, () -> GraphFiles.read(bad));
    assertTrue(e.getMessage().contains("stem.gamma"), e.getMessage());
    assertTrue(e.getMessage().contains("do not fit"), e.getMessage());
  }

  @Test
  void writingRefusesWeightsThatDoNotFitAndLeavesNoFile() {
    Graph g = everyAttributeKind();
    Map<String, Tensor> tensors = new LinkedHashMap<>(RandomWeights.initialize(g, 1).tensors());
    tensors.remove("head.weight");
    Path file = dir.resolve("never.graph");
    GraphFileException e = assertThrows(GraphFileException.class,
        () -> GraphFiles.write(g, Weights.of(tensors, "partial"), file));
    assertTrue(e.getMessage().contains("head.weight"), e.getMessage());
    assertFalse(Files.exists(file));
  }
}
