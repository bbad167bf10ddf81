package org.medvision.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.Supplier;
import org.medvision.api.graph.Node;

/**
 * What one node's evaluation may use: the run's memory scope, the node, the training-mode mask stream and the
 * mixed-precision policy.
 *
 * @param scope the manager that owns every array the run creates; closed when the run ends
 * @param node the node being evaluated
 * @param masks the seeded mask stream in training mode, or {@code null} in inference mode
 * @param amp the autocast policy of a mixed-precision training pass, or {@code null} for float32
 */
record OpContext(NDManager scope, Node node, MaskStream masks, MixedPrecision amp) {
  /** True in training mode. */
  boolean training() {
    return masks != null;
  }

  /** The node for messages, e.g. {@code node 'stem.conv' (conv)}. */
  String where() {
    return "node '" + node.name() + "' (" + node.op().irName() + ")";
  }

  /**
   * Computes {@code product}, the core of a {@link MixedPrecision#LOW_PRECISION_OPS} node, in the session's
   * low-precision dtype with a float32 result, or simply in float32 when no mixed precision is active.
   */
  NDArray lowPrecision(Supplier<NDArray> product) {
    return amp == null ? product.get() : amp.compute(scope, where(), product);
  }
}
