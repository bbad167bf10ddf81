package org.medvision.api.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;

/** Shape inference and validation of the IR version 4 ops: gather, slice, the reductions, clip and the unary ops. */
class SelectionShapesTest {
  private static Shape infer(Op op, Attributes attrs, Shape... inputs) {
    List<String> names = new ArrayList<>();
    List<ValueInfo> infos = new ArrayList<>();
    for (int i = 0; i < inputs.length; i++) {
      names.add("in" + i);
      infos.add(new ValueInfo("in" + i, op.isIndexOperand(i) ? DType.INT64 : DType.FLOAT32, inputs[i]));
    }
    return ShapeInference.infer(new Node("n", op, names, List.of("out"), attrs), infos).get(0).shape();
  }

  private static Attributes.Builder attrs() {
    return Attributes.builder();
  }

  private static void assertRejected(String messagePart, Op op, Attributes attrs, Shape... inputs) {
    GraphValidationException e = assertThrows(GraphValidationException.class, () -> infer(op, attrs, inputs));
    assertTrue(e.getMessage().contains("node 'n' (" + op.irName() + ")"), e.getMessage());
    assertTrue(e.getMessage().contains(messagePart), e.getMessage());
  }

  @Test
  void gatherReplacesTheIndexedAxisByTheIndicesShape() {
    // An embedding lookup: table [V, D], token ids [N, L] -> [N, L, D].
    assertEquals(Shape.of(-1, 7, 16), infer(Op.GATHER, Attributes.empty(), Shape.of(30, 16), Shape.of(-1, 7)));
    assertEquals(Shape.of(2, 4, 3, 5), infer(Op.GATHER, attrs().set("axis", 1L).build(), Shape.of(2, 6, 5),
        Shape.of(4, 3)));
    assertEquals(Shape.of(2, 6), infer(Op.GATHER, attrs().set("axis", -1L).build(), Shape.of(2, 6, 5),
        Shape.scalar()));
    assertRejected("axis 3 is out of range", Op.GATHER, attrs().set("axis", 3L).build(), Shape.of(2, 6, 5),
        Shape.of(2));
    assertRejected("rank at least 1", Op.GATHER, Attributes.empty(), Shape.scalar(), Shape.of(2));
  }

  @Test
  void gatherIndicesMustBeInt64AndDataFloat() {
    Node node = new Node("n", Op.GATHER, List.of("table", "ids"), List.of("out"), Attributes.empty());
    List<ValueInfo> floatIds = List.of(new ValueInfo("table", DType.FLOAT32, Shape.of(5, 2)),
        new ValueInfo("ids", DType.FLOAT32, Shape.of(3)));
    GraphValidationException e = assertThrows(GraphValidationException.class,
        () -> ShapeInference.infer(node, floatIds));
    assertTrue(e.getMessage().contains("input 1 'ids' must be int64 indices"), e.getMessage());
    assertTrue(Op.GATHER.isIndexOperand(1) && !Op.GATHER.isIndexOperand(0));
  }

  @Test
  void sliceClampsLikeOnnxAndCountsWithSteps() {
    // Negative start -3 of 7 is 4; end 100 clamps to 7; step 2 keeps 4 and 6.
    assertEquals(Shape.of(2, 2), infer(Op.SLICE, attrs().set("starts", -3L).set("ends", 100L).set("axes", 1L)
        .set("steps", 2L).build(), Shape.of(2, 7)));
    // Default axes 0, 1; end -1 is 4 on an extent of 5; start -100 clamps to 0.
    assertEquals(Shape.of(4, 1, 3), infer(Op.SLICE, attrs().set("starts", -100L, 2L).set("ends", -1L, 3L).build(),
        Shape.of(5, 6, 3)));
    // A dynamic extent stays dynamic; the known one is counted: ceil((5 - 1) / 3) = 2.
    assertEquals(Shape.of(-1, 2), infer(Op.SLICE, attrs().set("starts", 0L, 1L).set("ends", 1L, 5L)
        .set("steps", 1L, 3L).build(), Shape.of(-1, 6)));
    // Long.MAX_VALUE as "to the end", as ONNX exporters write it.
    assertEquals(Shape.of(3, 4), infer(Op.SLICE, attrs().set("starts", 1L).set("ends", Long.MAX_VALUE)
        .set("axes", -1L).build(), Shape.of(3, 5)));
  }

  @Test
  void sliceRejectsWhatTheIrLeavesOut() {
    Shape x = Shape.of(4, 5);
    assertRejected("step -1 on axis 1 is not positive", Op.SLICE, attrs().set("starts", 3L).set("ends", 0L)
        .set("axes", 1L).set("steps", -1L).build(), x);
    assertRejected("step 0", Op.SLICE, attrs().set("starts", 0L).set("ends", 3L).set("steps", 0L).build(), x);
    assertRejected("differ in length", Op.SLICE, attrs().set("starts", 0L, 1L).set("ends", 3L).build(), x);
    assertRejected("differ in length", Op.SLICE, attrs().set("starts", 0L).set("ends", 3L).set("axes", 0L, 1L)
        .build(), x);
    assertRejected("axis 2 is out of range", Op.SLICE, attrs().set("starts", 0L).set("ends", 3L).set("axes", 2L)
        .build(), x);
    assertRejected("axis -1 is sliced twice", Op.SLICE, attrs().set("starts", 0L, 0L).set("ends", 3L, 3L)
        .set("axes", 1L, -1L).build(), x);
    assertRejected("keeps no element of axis 0", Op.SLICE, attrs().set("starts", 3L).set("ends", 3L).build(), x);
    assertRejected("keeps no element of axis 1", Op.SLICE, attrs().set("starts", 9L).set("ends", 20L)
        .set("axes", 1L).build(), x);
  }

  @Test
  void reductionsKeepOrDropTheirAxes() {
    Shape x = Shape.of(2, 3, 4, 5);
    assertEquals(Shape.of(2, 1, 4, 1), infer(Op.REDUCE_SUM, attrs().set("axes", 1L, -1L).build(), x));
    assertEquals(Shape.of(2, 4), infer(Op.REDUCE_MEAN, attrs().set("axes", 1L, -1L).set("keepdims", 0L).build(), x));
    assertEquals(Shape.of(1, 1, 1, 1), infer(Op.REDUCE_SUM, Attributes.empty(), x));
    assertEquals(Shape.scalar(), infer(Op.REDUCE_MEAN, attrs().set("keepdims", 0L).build(), x));
    assertEquals(Shape.of(-1, 1), infer(Op.REDUCE_MEAN, attrs().set("axes", 1L).build(), Shape.of(-1, 7)));
    assertEquals(Shape.of(1, 1, 1, 1), infer(Op.REDUCE_SUM, attrs().set("axes", new long[0]).build(), x),
        "empty axes, as ONNX: every axis");
    assertRejected("axis 4 is out of range", Op.REDUCE_SUM, attrs().set("axes", 4L).build(), x);
    assertRejected("axis -3 is reduced twice", Op.REDUCE_SUM, attrs().set("axes", 1L, -3L).build(), x);
    assertRejected("keepdims must be 0 or 1", Op.REDUCE_MEAN, attrs().set("keepdims", 2L).build(), x);
  }

  @Test
  void unaryOpsKeepTheShapeAndClipChecksItsBounds() {
    Shape x = Shape.of(-1, 3, 5);
    for (Op op : List.of(Op.SQRT, Op.ABS, Op.TANH, Op.STOP_GRADIENT, Op.CLIP)) {
      assertEquals(x, infer(op, Attributes.empty(), x), op.irName());
    }
    assertEquals(x, infer(Op.CLIP, attrs().set("min", 0f).build(), x));
    assertEquals(x, infer(Op.CLIP, attrs().set("min", 2f).set("max", 2f).build(), x));
    assertRejected("min 3.0 exceeds max 2.0", Op.CLIP, attrs().set("min", 3f).set("max", 2f).build(), x);
    assertRejected("must not be NaN", Op.CLIP, attrs().set("max", Float.NaN).build(), x);
  }

  @Test
  void clipDefaultsAreTheInfiniteBounds() {
    Node n = new Node("c", Op.CLIP, List.of("x"), List.of("y"), attrs().set("min", -1f).build());
    assertEquals(-1f, n.attributes().getFloat("min"));
    assertEquals(Float.POSITIVE_INFINITY, n.attributes().getFloat("max"));
  }

  @Test
  void sliceGeometryResolvesEveryAxis() {
    Node n = new Node("s", Op.SLICE, List.of("x"), List.of("y"), attrs().set("starts", -2L, 1L)
        .set("ends", Long.MAX_VALUE, -1L).set("axes", 2L, 0L).set("steps", 1L, 2L).build());
    SliceGeometry g = SliceGeometry.of(n, 3);
    assertArrayEquals(new int[] {2, 0}, g.axes());
    assertEquals(0, g.indexOf(2));
    assertEquals(-1, g.indexOf(1));
    // Axis 2 of extent 6: [4, 6), 2 elements. Axis 0 of extent 7: [1, 6) step 2, elements 1, 3, 5.
    assertEquals(4, g.begin(0, 6));
    assertEquals(6, g.end(0, 6));
    assertEquals(2, g.count(0, 6));
    assertEquals(3, g.count(1, 7));
  }

  @Test
  void theNewOpsAreVersionFourAndTheirNodesNeedIt() {
    for (Op op : List.of(Op.GATHER, Op.SLICE, Op.REDUCE_SUM, Op.REDUCE_MEAN, Op.SQRT, Op.ABS, Op.TANH, Op.CLIP,
        Op.STOP_GRADIENT)) {
      assertEquals(4, op.since(), op.name());
    }
    assertEquals(4, Op.IR_VERSION);
    GraphBuilder b = new GraphBuilder("g");
    b.output("y", b.apply(Op.TANH, b.input("x", DType.FLOAT32, Shape.of(2))));
    Graph g = b.build();
    Graph old = new Graph(g.name(), 3, g.inputs(), g.parameters(), g.nodes(), g.outputs(), g.metadata());
    GraphValidationException e = assertThrows(GraphValidationException.class, old::validate);
    assertTrue(e.getMessage().contains("uses tanh, added in IR version 4, but the graph declares version 3"),
        e.getMessage());
  }
}
