package org.medvision.engine.tensorflow;

import java.util.HashMap;
import java.util.Map;
import org.medvision.api.graph.Attributes;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The IR's {@link org.medvision.api.graph.Op#CONSTANT} as a TensorFlow Const. Like a stored parameter it is a
 * {@link Placed#stored} value: its data is permuted on the host into whatever layout its readers ask for (a
 * per-channel constant added to a channels-last convolution output comes channels-last), so no Transpose of it runs.
 * Each layout becomes one Const, made once. Constants are small (scalars, per-channel vectors), so unlike weights
 * they may live in the graph.
 */
final class ConstantLowering {
  private ConstantLowering() {}

  /** The node's value, in any layout on demand. */
  static Placed constant(OpContext ctx) {
    Attributes a = ctx.node().attributes();
    long[] dims = a.getInts("shape");
    Tensor value = Tensor.of(Shape.of(dims), (float[]) a.raw("value").orElseThrow());
    Ops tf = ctx.tf();
    Map<Layout, Operand<TFloat32>> made = new HashMap<>();
    return Placed.stored(dims, layout -> made.computeIfAbsent(layout, l -> {
      try (TFloat32 laidOut = HostTensors.toTensorFlow(value, l)) {
        return tf.constantOf(laidOut);
      }
    }));
  }
}
