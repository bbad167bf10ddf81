package org.medvision.api.graph;

import java.util.List;

/**
 * One operation in a graph: an op applied to named input values, producing named output values.
 *
 * @param name node name, unique in its graph (used in error messages and exported models)
 * @param op the operation
 * @param inputs names of input values, in the op's input order
 * @param outputs names of output values
 * @param attributes attribute values, with the op's fixed defaults filled in
 */
public record Node(String name, Op op, List<String> inputs, List<String> outputs, Attributes attributes) {
  /** Copies the lists and fills attribute defaults from the op's declaration. */
  public Node {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    attributes = attributes.withDefaults(op);
  }

  /** The single output's name, for the ops that have one. */
  public String output() {
    return outputs.get(0);
  }

  @Override
  public String toString() {
    return name + " = " + op.irName() + inputs + attributes;
  }
}
