package org.medvision.engine.tensorflow;

import java.util.ArrayList;
import java.util.List;
import org.medvision.api.engine.EngineException;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.Conv3d;
import org.tensorflow.op.nn.Conv3dBackpropFilter;
import org.tensorflow.op.nn.Conv3dBackpropInput;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Gradients that TensorFlow's C++ registry lacks, registered from Java once per process before the first
 * {@code addGradients}. TensorFlow 2.18 has none for {@code Conv3D}; its two backprop kernels give dL/dinput and
 * dL/dfilter with the forward op's strides, padding, data format and dilations.
 */
final class GradientRules {
  private static boolean registered;

  private GradientRules() {}

  /**
   * Registers the missing gradients (idempotent).
   *
   * @throws EngineException if TensorFlow refuses a registration although the op still has no gradient
   */
  static synchronized void ensureRegistered() {
    if (registered) {
      return;
    }
    // false means the op already has a gradient (e.g. a future TensorFlow added one), which is equally fine.
    TensorFlow.registerCustomGradient("Conv3D", (tf, op, gradOutputs) -> conv3d(tf, new Conv3d.Inputs<TFloat32>(op),
        gradOutputs));
    registered = true;
  }

  private static List<Operand<?>> conv3d(Ops tf, Conv3d.Inputs<TFloat32> op, List<Output<?>> gradOutputs) {
    Output<?> raw = gradOutputs.get(0);
    if (raw.type() != TFloat32.class) {
      throw new EngineException("Conv3D gradient: the medvision tensorflow engine trains in float32, got "
          + raw.dataType());
    }
    @SuppressWarnings("unchecked") // checked just above: the incoming gradient is float32
    Operand<TFloat32> dy = (Operand<TFloat32>) raw;
    List<Long> strides = boxed(op.strides);
    List<Long> dilations = boxed(op.dilations);
    Operand<TInt32> inputShape = tf.shape(op.input);
    Operand<TInt32> filterShape = tf.shape(op.filter);
    Conv3dBackpropInput<TFloat32> dx = tf.nn.conv3dBackpropInput(inputShape, op.filter, dy, strides, op.padding,
        Conv3dBackpropInput.dataFormat(op.dataFormat), Conv3dBackpropInput.dilations(dilations));
    Conv3dBackpropFilter<TFloat32> dw = tf.nn.conv3dBackpropFilter(op.input, filterShape, dy, strides, op.padding,
        Conv3dBackpropFilter.dataFormat(op.dataFormat), Conv3dBackpropFilter.dilations(dilations));
    List<Operand<?>> grads = new ArrayList<>();
    grads.add(dx);
    grads.add(dw);
    return grads;
  }

  private static List<Long> boxed(long[] values) {
    List<Long> out = new ArrayList<>(values.length);
    for (long v : values) {
      out.add(v);
    }
    return out;
  }
}
