package org.medvision.api.graph;

import java.util.ArrayList;
import java.util.List;
import org.medvision.api.tensor.DType;

/**
 * The one place int64 values may go: an int64 graph input may be read only by index operands
 * ({@link Op#isIndexOperand}), never by another operand and never returned as a graph output. Shape inference already
 * refuses an int64 value at a float operand of a validated graph; engines and importers call {@link #misuses} on every
 * graph they are handed (validated or assembled by hand) before they lower it, so the answer is a message naming the
 * input and its reader rather than a native runtime's type error.
 */
public final class IndexOperands {
  private IndexOperands() {}

  /**
   * Each way {@code graph} breaks the rule, as a sentence naming the int64 input and its reader (a node and operand
   * position, or the graph output); empty when the graph keeps it. An int64 input nothing reads breaks nothing.
   */
  public static List<String> misuses(Graph graph) {
    List<String> problems = new ArrayList<>();
    for (ValueInfo in : graph.inputs()) {
      if (in.dtype() != DType.INT64) {
        continue;
      }
      for (Node n : graph.nodes()) {
        for (int i = 0; i < n.inputs().size(); i++) {
          if (n.inputs().get(i).equals(in.name()) && !n.op().isIndexOperand(i)) {
            problems.add("int64 input '" + in.name() + "' is read by node '" + n.name() + "' (" + n.op().irName()
                + ") as its input " + i + ", " + rule());
          }
        }
      }
      if (graph.outputs().stream().anyMatch(o -> o.name().equals(in.name()))) {
        problems.add("int64 input '" + in.name() + "' is a graph output, " + rule());
      }
    }
    return problems;
  }

  /** The rule in words, with the operands that take indices today, for the end of a message. */
  static String rule() {
    List<String> readers = new ArrayList<>();
    for (Op op : Op.values()) {
      // Variadic ops (concat) read values only, so looking past the fixed operand counts would find nothing.
      int fixed = op.maxInputs() == Integer.MAX_VALUE ? op.minInputs() : op.maxInputs();
      for (int i = 0; i < fixed; i++) {
        if (op.isIndexOperand(i)) {
          readers.add(op.irName() + " input " + i);
        }
      }
    }
    return "but an int64 input may feed only index operands (" + String.join(", ", readers) + ")";
  }
}
