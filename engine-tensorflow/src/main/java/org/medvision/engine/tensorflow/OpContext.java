package org.medvision.engine.tensorflow;

import java.util.List;
import org.medvision.api.engine.EngineException;
import org.medvision.api.graph.Node;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * What lowering one node may use: the TensorFlow op factory (naming every op after the node, see
 * {@link GraphLowering#nodeOps}), the node, and the compile-time dimensions of its output.
 *
 * @param tf op factory
 * @param node the node being lowered
 * @param outputDims the IR dimensions of the node's output ({@code -1} where dynamic)
 */
record OpContext(Ops tf, Node node, long[] outputDims) {
  /** The node for messages, e.g. {@code node 'stem.conv' (conv)}. */
  String where() {
    return "node '" + node.name() + "' (" + node.op().irName() + ")";
  }

  /** An error about this node. */
  EngineException error(String detail) {
    return new EngineException(where() + ": " + detail);
  }

  /** An int32 vector constant. */
  Operand<TInt32> ints(int... values) {
    return tf.constant(values);
  }

  /** An int64 vector constant, for shapes that may hold large extents. */
  Operand<TInt64> longs(long... values) {
    return tf.constant(values);
  }

  /** A float32 scalar constant. */
  Operand<TFloat32> scalar(float value) {
    return tf.constant(value);
  }

  /** Longs as the boxed list TensorFlow's attribute setters take. */
  static List<Long> list(long... values) {
    Long[] boxed = new Long[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return List.of(boxed);
  }

  /** Maps a possibly negative {@code axis} into [0, rank), or fails naming the node. */
  int axis(long axis, int rank) {
    long a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      throw error("axis " + axis + " is out of range for rank " + rank);
    }
    return (int) a;
  }
}
