package org.medvision.api.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.medvision.api.tensor.Shape;

/**
 * An immutable model description: inputs, declared parameters, nodes in execution order, outputs.
 *
 * <p>A graph holds no weights; a weights map supplies a tensor for every {@link ParameterSpec}. Graphs made by
 * {@link GraphBuilder} are validated; a graph assembled by hand or imported should be checked with
 * {@link #validate()}.
 *
 * @param name model name, e.g. {@code strokenext-tiny-3class}
 * @param irVersion the IR version of the op set used
 * @param inputs graph inputs (the batch axis may be dynamic)
 * @param parameters parameters and buffers, in declaration order
 * @param nodes nodes in a valid execution order
 * @param outputs graph outputs
 * @param metadata free-form string properties (task, variant, preprocessing) carried into exports
 */
public record Graph(String name, int irVersion, List<ValueInfo> inputs, List<ParameterSpec> parameters,
    List<Node> nodes, List<ValueInfo> outputs, Map<String, String> metadata) {

  /** Copies every collection. */
  public Graph {
    inputs = List.copyOf(inputs);
    parameters = List.copyOf(parameters);
    nodes = List.copyOf(nodes);
    outputs = List.copyOf(outputs);
    metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /**
   * Checks every IR rule and throws one {@link GraphValidationException} listing all problems.
   *
   * @return this graph, for chaining
   */
  public Graph validate() {
    GraphValidator.validate(this);
    return this;
  }

  /**
   * The nodes needed to compute {@code outputs} (value names), in graph order: what an engine runs when only some
   * outputs are wanted, e.g. the model outputs of a training graph for inference.
   */
  public List<Node> nodesFor(Collection<String> outputs) {
    Map<String, Node> producer = new HashMap<>();
    for (Node n : nodes) {
      for (String o : n.outputs()) {
        producer.put(o, n);
      }
    }
    Set<Node> needed = new HashSet<>();
    Deque<String> pending = new ArrayDeque<>(outputs);
    while (!pending.isEmpty()) {
      Node n = producer.get(pending.pop());
      if (n != null && needed.add(n)) {
        pending.addAll(n.inputs());
      }
    }
    List<Node> ordered = new ArrayList<>();
    for (Node n : nodes) {
      if (needed.contains(n)) {
        ordered.add(n);
      }
    }
    return ordered;
  }

  /** The declared parameter named {@code name}. */
  public Optional<ParameterSpec> parameter(String name) {
    return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** The type of every value with the inputs' declared shapes. */
  public Map<String, ValueInfo> valueInfos() {
    return ShapeInference.inferAll(this, Map.of());
  }

  /** The type of every value with the given input shapes (e.g. a concrete batch). */
  public Map<String, ValueInfo> valueInfos(Map<String, Shape> inputShapes) {
    return ShapeInference.inferAll(this, inputShapes);
  }
}
