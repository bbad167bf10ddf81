package org.medvision.api.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;

class GraphBuilderTest {
  private static final Initializer ZEROS = (out, shape, random) -> { };

  /** conv 3->8 (3x3, pad 1, bias) -> relu -> global pool -> flatten -> gemm 8->2 on a 16x16 input. */
  private static Graph smallNet() {
    GraphBuilder b = new GraphBuilder("small");
    Value x = b.input("image", DType.FLOAT32, Shape.of(-1, 3, 16, 16));
    try (GraphBuilder.Scope s = b.scope("features")) {
      Value w = b.parameter("conv.weight", Shape.of(8, 3, 3, 3), ParamRole.WEIGHT, ZEROS);
      Value bias = b.parameter("conv.bias", Shape.of(8), ParamRole.BIAS, ZEROS);
      x = b.apply(Op.CONV, Attributes.builder().set("pads", 1L, 1L, 1L, 1L).build(), x, w, bias);
      x = b.apply(Op.RELU, x);
    }
    x = b.apply(Op.GLOBAL_AVG_POOL, x);
    x = b.apply(Op.FLATTEN, x);
    try (GraphBuilder.Scope s = b.scope("fc")) {
      Value w = b.parameter("weight", Shape.of(2, 8), ParamRole.WEIGHT, ZEROS);
      Value bias = b.parameter("bias", Shape.of(2), ParamRole.BIAS, ZEROS);
      x = b.apply(Op.GEMM, Attributes.builder().set("transB", 1L).build(), x, w, bias);
    }
    b.output("logits", x);
    return b.build();
  }

  @Test
  void scopesQualifyParameterNamesAndOutputsAreRenamed() {
    Graph g = smallNet();
    assertEquals(List.of("features.conv.weight", "features.conv.bias", "fc.weight", "fc.bias"),
        g.parameters().stream().map(ParameterSpec::name).toList());
    assertEquals("logits", g.outputs().get(0).name());
    assertEquals(Shape.of(-1, 2), g.outputs().get(0).shape());
    assertEquals(Shape.of(4, 8, 16, 16), g.valueInfos(Map.of("image", Shape.of(4, 3, 16, 16)))
        .get(g.nodes().get(0).output()).shape());
  }

  @Test
  void statsCountParametersAndMultiplyAddsByHand() {
    GraphStats s = GraphStats.of(smallNet(), 2);
    assertEquals(8 * 3 * 3 * 3 + 8 + 2 * 8 + 2, s.parameters());
    assertEquals(4, s.parameterTensors());
    // conv: 2 images * 8 channels * 16*16 outputs * 27 weights each; gemm: 2 * 2 outputs * 8.
    assertEquals(2L * 8 * 256 * 27 + 2 * 2 * 8, s.multiplyAdds());
  }

  @Test
  void badNodesFailWhereTheyAreAdded() {
    GraphBuilder b = new GraphBuilder("bad");
    Value x = b.input("x", DType.FLOAT32, Shape.of(1, 4));
    GraphValidationException arity = assertThrows(GraphValidationException.class, () -> b.apply(Op.ADD, x));
    assertTrue(arity.getMessage().contains("has 1 inputs, expects 2"), arity.getMessage());
    GraphValidationException attr = assertThrows(GraphValidationException.class,
        () -> b.apply(Op.SOFTMAX, Attributes.builder().set("axs", 1L).build(), x));
    assertTrue(attr.getMessage().contains("unknown attribute 'axs'"), attr.getMessage());
    GraphValidationException type = assertThrows(GraphValidationException.class,
        () -> b.apply(Op.SOFTMAX, Attributes.builder().set("axis", 1.0f).build(), x));
    assertTrue(type.getMessage().contains("must be INT"), type.getMessage());
    GraphValidationException required = assertThrows(GraphValidationException.class,
        () -> b.apply(Op.RESHAPE, x));
    assertTrue(required.getMessage().contains("lacks required attribute 'shape'"), required.getMessage());
  }

  @Test
  void validatorReportsEveryProblemTogether() {
    Node readsUndefined = new Node("a", Op.RELU, List.of("nowhere"), List.of("a"), Attributes.empty());
    Node duplicate = new Node("a", Op.RELU, List.of("x"), List.of("x"), Attributes.empty());
    Graph g = new Graph("broken", Op.IR_VERSION, List.of(new ValueInfo("x", DType.FLOAT32, Shape.of(2))),
        List.of(), List.of(readsUndefined, duplicate),
        List.of(new ValueInfo("missing", DType.FLOAT32, Shape.of(2))), Map.of());
    GraphValidationException e = assertThrows(GraphValidationException.class, g::validate);
    assertEquals(4, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().contains("reads 'nowhere'"));
    assertTrue(e.getMessage().contains("node name 'a' is used twice"));
    assertTrue(e.getMessage().contains("value 'x'"));
    assertTrue(e.getMessage().contains("graph output 'missing' is never computed"));
  }

  @Test
  void laterIrVersionsAreRejected() {
    Graph g = smallNet();
    Graph future = new Graph(g.name(), Op.IR_VERSION + 1, g.inputs(), g.parameters(), g.nodes(), g.outputs(),
        g.metadata());
    GraphValidationException e = assertThrows(GraphValidationException.class, future::validate);
    assertTrue(e.getMessage().contains("IR version " + (Op.IR_VERSION + 1)), e.getMessage());
  }

  @Test
  void everyOpDeclaresAnOnnxCounterpartAndSaneArity() {
    for (Op op : Op.values()) {
      // CONSTANT alone reads nothing: its value is an attribute.
      assertTrue(op.minInputs() >= (op == Op.CONSTANT ? 0 : 1) && op.maxInputs() >= op.minInputs(), op.name());
      // Only ops about training lack an ONNX counterpart; their semantics live in their Javadoc.
      assertTrue(op.onnxOperator().isPresent() == !(op == Op.DROP_PATH || op == Op.STOP_GRADIENT || op.isLoss()),
          op.name());
      assertTrue(op.since() <= Op.IR_VERSION, op.name());
    }
  }
}
