package org.medvision.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
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
import org.medvision.api.weights.Initializers;
import org.medvision.api.weights.WeightMismatchException;
import org.medvision.api.weights.Weights;

/** Input and weight checks of the interpreter, and parameters flowing into ops. */
class ReferenceInterpreterContractTest {
  /** y = x + b with x [N, 3] and a parameter b [3]. */
  private static Graph addBias() {
    GraphBuilder g = new GraphBuilder("add-bias");
    Value x = g.input("x", DType.FLOAT32, Shape.of(-1, 3));
    Value b = g.parameter("b", Shape.of(3), ParamRole.BIAS, Initializers.zeros());
    g.output("y", g.apply(Op.ADD, x, b));
    return g.build();
  }

  private static final Weights BIAS = Weights.of(Map.of("b", Tensor.ofFloats(new float[] {10, 20, 30}, 3)), "test");

  @Test
  void parametersFeedOpsAndTheBatchIsDynamic() {
    Map<String, Tensor> out = ReferenceInterpreter.run(addBias(), BIAS,
        Map.of("x", Tensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)));
    assertEquals(List.of("y"), List.copyOf(out.keySet()));
    assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, out.get("y").toFloatArray());
  }

  @Test
  void wrongInputsAreReportedByName() {
    Graph g = addBias();
    MedvisionException missing = assertThrows(MedvisionException.class, () -> ReferenceInterpreter.run(g, BIAS,
        Map.of("z", Tensor.ofFloats(new float[3], 1, 3))));
    assertTrue(missing.getMessage().contains("input 'x' (float32[N, 3]) is missing"), missing.getMessage());
    assertTrue(missing.getMessage().contains("input 'z' is not a graph input"), missing.getMessage());
    MedvisionException shape = assertThrows(MedvisionException.class, () -> ReferenceInterpreter.run(g, BIAS,
        Map.of("x", Tensor.ofFloats(new float[4], 1, 4))));
    assertTrue(shape.getMessage().contains("input 'x' has shape [1, 4], declared [N, 3]"), shape.getMessage());
    MedvisionException dtype = assertThrows(MedvisionException.class, () -> ReferenceInterpreter.run(g, BIAS,
        Map.of("x", Tensor.ofLongs(Shape.of(1, 3), 1, 2, 3))));
    assertTrue(dtype.getMessage().contains("input 'x' is int64[1, 3], declared float32[N, 3]"), dtype.getMessage());
  }

  @Test
  void weightsThatDoNotFitAreRejected() {
    Weights wrong = Weights.of(Map.of("b", Tensor.ofFloats(new float[4], 4)), "wrong.safetensors");
    WeightMismatchException e = assertThrows(WeightMismatchException.class, () -> ReferenceInterpreter.run(addBias(),
        wrong, Map.of("x", Tensor.ofFloats(new float[3], 1, 3))));
    assertEquals(List.of("b: expected float32[3], got float32[4]"), e.misshaped());
  }

  @Test
  void inputsOfOtherDtypesAreRefused() {
    GraphBuilder g = new GraphBuilder("ints");
    Value x = g.input("ids", DType.INT32, Shape.of(2));
    g.output("y", g.apply(Op.IDENTITY, g.input("x", DType.FLOAT32, Shape.of(2))));
    MedvisionException e = assertThrows(MedvisionException.class, () -> ReferenceInterpreter.run(g.build(),
        Weights.of(Map.of(), "none"), Map.of("ids", Tensor.ofInts(Shape.of(2), 1, 2), "x", Tensor.of(Shape.of(2),
            1f, 2f))));
    assertTrue(e.getMessage().contains("input '" + x.name() + "' as int32"), e.getMessage());
  }

  /**
   * An int64 input may be read only as an index operand; a graph assembled by hand (validation would stop it first)
   * that reads one as a value, or returns one, is refused with a message naming the input and its reader.
   */
  @Test
  void int64InputsFeedOnlyIndexOperands() {
    ValueInfo ids = new ValueInfo("ids", DType.INT64, Shape.of(2));
    Node relu = new Node("act", Op.RELU, List.of("ids"), List.of("y"), Attributes.empty());
    Graph readAsValue = new Graph("ints", Op.IR_VERSION, List.of(ids), List.of(), List.of(relu),
        List.of(new ValueInfo("y", DType.FLOAT32, Shape.of(2))), Map.of());
    Map<String, Tensor> feed = Map.of("ids", Tensor.ofLongs(Shape.of(2), 1, 2));
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> ReferenceInterpreter.run(readAsValue, Weights.of(Map.of(), "none"), feed));
    assertTrue(e.getMessage().contains("int64 input 'ids' is read by node 'act' (relu) as its input 0")
        && e.getMessage().contains("cross_entropy input 1"), e.getMessage());

    Graph returned = new Graph("ints", Op.IR_VERSION, List.of(ids), List.of(), List.of(), List.of(ids), Map.of());
    e = assertThrows(MedvisionException.class,
        () -> ReferenceInterpreter.run(returned, Weights.of(Map.of(), "none"), feed));
    assertTrue(e.getMessage().contains("int64 input 'ids' is a graph output"), e.getMessage());

    GraphBuilder loss = new GraphBuilder("ce");
    loss.output("loss", loss.apply(Op.CROSS_ENTROPY, loss.input("logits", DType.FLOAT32, Shape.of(2, 3)),
        loss.input("ids", DType.INT64, Shape.of(2))));
    float value = ReferenceInterpreter.run(loss.build(), Weights.of(Map.of(), "none"), Map.of("ids",
        feed.get("ids"), "logits", Tensor.of(Shape.of(2, 3), new float[6]))).get("loss").toFloatArray()[0];
    assertEquals(Math.log(3), value, 1e-6, "uniform logits over 3 classes");
  }

  /** A gather index outside [−n, n) is an error naming the node and the index, never a clamp or a zero. */
  @Test
  void gatherIndicesOutOfRangeAreRefused() {
    GraphBuilder b = new GraphBuilder("lookup");
    b.output("rows", b.apply(Op.GATHER, b.input("table", DType.FLOAT32, Shape.of(4, 2)),
        b.input("ids", DType.INT64, Shape.of(3))));
    Map<String, Tensor> feed = Map.of("table", Tensor.of(Shape.of(4, 2), new float[8]),
        "ids", Tensor.ofLongs(Shape.of(3), 0, -4, 4));
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> ReferenceInterpreter.run(b.build(), Weights.of(Map.of(), "none"), feed));
    assertTrue(e.getMessage().contains("node 'gather_1' (gather)") && e.getMessage().contains("indices 'ids' hold "
        + "index 4 at element 2, outside [-4, 4)"), e.getMessage());
  }
}
