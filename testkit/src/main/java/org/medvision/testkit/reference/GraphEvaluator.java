package org.medvision.testkit.reference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.IndexOperands;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.ShapeInference;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/**
 * Executes a graph node by node over float arrays. This is the engine room of
 * {@link org.medvision.testkit.ReferenceInterpreter}, which checks the inputs and weights first; call that instead.
 *
 * <p>Every node's output shape is compared with the api's {@link ShapeInference} for the same input shapes, so the
 * interpreter and shape inference cannot drift apart silently. Intermediate values are released after their last
 * use, so whole models fit in a modest heap.
 */
public final class GraphEvaluator {
  private GraphEvaluator() {}

  /**
   * Runs {@code graph} in inference mode.
   *
   * @param parameters a float32 tensor for every declared parameter, already checked against the graph
   * @param inputs a tensor for every graph input, already checked against the declarations: float32, or int64
   *     indices (read as exact float values, which only index operands take)
   * @return one float32 tensor per graph output, in declaration order
   * @throws MedvisionException naming the node whose attributes or operands cannot be computed, or an int64 input
   *     that something other than an index operand ({@link org.medvision.api.graph.Op#isIndexOperand}) reads
   * @throws IllegalStateException if a node's output shape disagrees with shape inference (a bug in one of them)
   */
  public static Map<String, Tensor> evaluate(Graph graph, Map<String, Tensor> parameters,
      Map<String, Tensor> inputs) {
    return evaluate(graph, parameters, inputs, false);
  }

  /**
   * Runs {@code graph} in inference mode or, when {@code training}, in the deterministic part of training mode:
   * BatchNorm normalises with the batch's mean and biased variance (its running statistics are read by nobody and
   * not updated), and DROPOUT and DROP_PATH must have ratio 0, as no random mask is drawn.
   *
   * @throws MedvisionException also for a dropout or drop-path node with a non-zero ratio in training mode
   * @see #evaluate(Graph, Map, Map)
   */
  public static Map<String, Tensor> evaluate(Graph graph, Map<String, Tensor> parameters,
      Map<String, Tensor> inputs, boolean training) {
    // Indices become floats here, so an int64 input read as a value would compute silently instead of failing.
    List<String> misuses = IndexOperands.misuses(graph);
    if (!misuses.isEmpty()) {
      throw new MedvisionException("graph '" + graph.name() + "': " + String.join("; ", misuses));
    }
    Map<String, Shape> inputShapes = new HashMap<>();
    inputs.forEach((name, t) -> inputShapes.put(name, t.shape()));
    Map<String, ValueInfo> inferred = ShapeInference.inferAll(graph, inputShapes);

    Map<String, NdArray> values = new HashMap<>();
    inputs.forEach((name, t) -> values.put(name, toArray(t)));
    parameters.forEach((name, t) -> values.put(name, toArray(t)));
    Map<String, Integer> lastUse = lastUses(graph);
    Set<String> keep = new HashSet<>();
    graph.outputs().forEach(o -> keep.add(o.name()));

    List<Node> nodes = graph.nodes();
    for (int i = 0; i < nodes.size(); i++) {
      Node node = nodes.get(i);
      List<NdArray> args = new ArrayList<>();
      for (String name : node.inputs()) {
        NdArray v = values.get(name);
        if (v == null) {
          throw new MedvisionException("node '" + node.name() + "' reads '" + name + "', which has no value");
        }
        args.add(v);
      }
      NdArray out;
      try {
        out = OpKernels.execute(node, args, training);
      } catch (MedvisionException e) {
        throw new MedvisionException("node '" + node.name() + "' (" + node.op().irName() + "): " + e.getMessage(), e);
      }
      Shape expected = inferred.get(node.output()).shape();
      if (!Shape.of(out.shape).equals(expected)) {
        throw new IllegalStateException("node '" + node.name() + "' (" + node.op().irName() + ") computed shape "
            + Arrays.toString(out.shape) + " but shape inference gives " + expected);
      }
      values.put(node.output(), out);
      for (String name : node.inputs()) {
        if (lastUse.get(name) == i && !keep.contains(name)) {
          values.remove(name);
        }
      }
    }
    Map<String, Tensor> result = new LinkedHashMap<>();
    for (ValueInfo o : graph.outputs()) {
      NdArray v = values.get(o.name());
      result.put(o.name(), Tensor.of(Shape.of(v.shape), v.data));
    }
    return result;
  }

  private static Map<String, Integer> lastUses(Graph graph) {
    Map<String, Integer> last = new HashMap<>();
    List<Node> nodes = graph.nodes();
    for (int i = 0; i < nodes.size(); i++) {
      for (String name : nodes.get(i).inputs()) {
        last.put(name, i);
      }
    }
    return last;
  }

  private static NdArray toArray(Tensor t) {
    return new NdArray(t.shape().intDims(), t.toFloatArray());
  }
}
