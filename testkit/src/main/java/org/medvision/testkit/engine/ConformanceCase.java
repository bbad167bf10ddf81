package org.medvision.testkit.engine;

import java.util.Map;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.Op;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;

/**
 * One conformance case: a small graph exercising {@code op}, its weights and its inputs, all derived from
 * {@code seed}.
 *
 * @param op the op under test
 * @param description what is awkward about this case, e.g. "depthwise 7x7, pads 3"
 * @param seed the seed the weights and inputs were drawn from
 * @param graph the graph
 * @param weights a tensor for every parameter the graph declares
 * @param inputs a tensor for every graph input
 */
record ConformanceCase(Op op, String description, long seed, Graph graph, Weights weights,
    Map<String, Tensor> inputs) {
  ConformanceCase {
    inputs = Map.copyOf(inputs);
  }

  /** "op: description", the part of the name that identifies the case. */
  String label() {
    return op.irName() + ": " + description;
  }

  /** The test's display name, with the seed so that a failure can be reproduced. */
  String displayName() {
    return label() + " [seed " + seed + "]";
  }
}
