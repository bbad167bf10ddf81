package org.medvision.engine.djl;

import ai.djl.ndarray.NDManager;
import org.medvision.api.graph.Node;

/**
 * What one node's evaluation may use: the run's memory scope, the node, and the training-mode mask stream.
 *
 * @param scope the manager that owns every array the run creates; closed when the run ends
 * @param node the node being evaluated
 * @param masks the seeded mask stream in training mode, or {@code null} in inference mode
 */
record OpContext(NDManager scope, Node node, MaskStream masks) {
  /** True in training mode. */
  boolean training() {
    return masks != null;
  }

  /** The node for messages, e.g. {@code node 'stem.conv' (conv)}. */
  String where() {
    return "node '" + node.name() + "' (" + node.op().irName() + ")";
  }
}
