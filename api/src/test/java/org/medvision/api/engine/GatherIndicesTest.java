package org.medvision.api.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Initializers;

/** Gather indices are checked on the host against the indexed extent, before any engine sees them. */
class GatherIndicesTest {
  /** A table parameter [5, 3] gathered along axis 0 and a fed input [2, 4] gathered along axis 1. */
  private static Graph graph() {
    GraphBuilder b = new GraphBuilder("lookup");
    Value ids = b.input("ids", DType.INT64, Shape.of(-1));
    Value table = b.parameter("table", Shape.of(5, 3), ParamRole.WEIGHT, Initializers.zeros());
    b.output("rows", b.apply(Op.GATHER, table, ids));
    Value x = b.input("x", DType.FLOAT32, Shape.of(2, -1));
    Value cols = b.input("cols", DType.INT64, Shape.of(2));
    b.output("picked", b.apply(Op.GATHER, Attributes.builder().set("axis", -1L).build(), x, cols));
    return b.build();
  }

  private static Map<String, Tensor> feeds(long[] ids, long[] cols) {
    return Map.of("ids", Tensor.ofLongs(Shape.of(ids.length), ids), "x", Tensor.of(Shape.of(2, 4), new float[8]),
        "cols", Tensor.ofLongs(Shape.of(2), cols));
  }

  @Test
  void indicesInsideMinusNToNPass() {
    assertDoesNotThrow(() -> InputValidator.check(graph(), feeds(new long[] {0, 4, -5, -1, 4}, new long[] {3, -4})));
  }

  @Test
  void anIndexOfTheParameterTableOutOfRangeIsNamed() {
    EngineException e = assertThrows(EngineException.class,
        () -> InputValidator.check(graph(), feeds(new long[] {0, 5}, new long[] {0, 0})));
    assertTrue(e.getMessage().contains("input 'ids' of graph 'lookup' holds index 5 at element 1, outside [-5, 5)"),
        e.getMessage());
    assertTrue(e.getMessage().contains("node 'gather_1'"), e.getMessage());
  }

  @Test
  void theExtentOfAFedDataInputComesFromTheFedTensor() {
    // x is declared [2, -1] and fed [2, 4]: -5 is out of range only because of what was fed.
    EngineException e = assertThrows(EngineException.class,
        () -> InputValidator.check(graph(), feeds(new long[] {0}, new long[] {1, -5})));
    assertTrue(e.getMessage().contains("input 'cols' of graph 'lookup' holds index -5 at element 1, outside [-4, 4)"),
        e.getMessage());
  }
}
