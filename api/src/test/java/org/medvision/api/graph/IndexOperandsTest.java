package org.medvision.api.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;

/** Where int64 graph inputs may go, checked on graphs assembled by hand (validation would refuse most of them). */
class IndexOperandsTest {
  private static final ValueInfo LOGITS = new ValueInfo("logits", DType.FLOAT32, Shape.of(2, 3));
  private static final ValueInfo IDS = new ValueInfo("ids", DType.INT64, Shape.of(2));
  private static final ValueInfo LOSS = new ValueInfo("loss", DType.FLOAT32, Shape.scalar());

  private static Graph graph(List<Node> nodes, List<ValueInfo> outputs) {
    return new Graph("g", Op.IR_VERSION, List.of(LOGITS, IDS), List.of(), nodes, outputs, Map.of());
  }

  @Test
  void aCrossEntropyTargetAndAnUnreadInputKeepTheRule() {
    Node ce = new Node("ce", Op.CROSS_ENTROPY, List.of("logits", "ids"), List.of("loss"), Attributes.empty());
    assertEquals(List.of(), IndexOperands.misuses(graph(List.of(ce), List.of(LOSS))));
    Node relu = new Node("act", Op.RELU, List.of("logits"), List.of("y"), Attributes.empty());
    assertEquals(List.of(), IndexOperands.misuses(graph(List.of(relu),
        List.of(new ValueInfo("y", DType.FLOAT32, Shape.of(2, 3))))));
  }

  @Test
  void everyOtherReaderIsNamedWithTheOperandsThatMayReadIndices() {
    // The logits slot of cross_entropy is a value operand, so ids there breaks the rule even inside a loss.
    Node swapped = new Node("ce", Op.CROSS_ENTROPY, List.of("ids", "ids"), List.of("loss"), Attributes.empty());
    Node add = new Node("sum", Op.ADD, List.of("logits", "ids"), List.of("y"), Attributes.empty());
    List<String> problems = IndexOperands.misuses(graph(List.of(swapped, add), List.of(LOSS, IDS)));
    assertEquals(3, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("int64 input 'ids' is read by node 'ce' (cross_entropy) as its input 0"),
        problems.get(0));
    assertTrue(problems.get(1).startsWith("int64 input 'ids' is read by node 'sum' (add) as its input 1"),
        problems.get(1));
    assertTrue(problems.get(2).startsWith("int64 input 'ids' is a graph output"), problems.get(2));
    assertTrue(problems.get(2).endsWith("may feed only index operands (cross_entropy input 1, gather input 1)"),
        problems.get(2));
  }
}
