package org.medvision.engine.tensorflow;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceMax;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;

/**
 * Elementwise ops and softmax. They work in any layout, so their output keeps the layout of their (main) input:
 * this is what keeps a ConvNeXt block channels-last from its depthwise convolution to its residual add.
 */
final class ElementwiseLowering {
  private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);
  private static final float INV_SQRT_2 = (float) (1 / Math.sqrt(2));

  private ElementwiseLowering() {}

  /** ADD, SUB, MUL, DIV with numpy broadcasting, computed in the operands' common layout. */
  static Placed binary(OpContext ctx, Placed a, Placed b) {
    Ops tf = ctx.tf();
    Layout target = Relayout.common(List.of(a, b));
    Operand<TFloat32> x = Relayout.broadcastTo(tf, a, target).operand();
    Operand<TFloat32> y = Relayout.broadcastTo(tf, b, target).operand();
    Operand<TFloat32> out;
    switch (ctx.node().op()) {
      case ADD: out = tf.math.add(x, y); break;
      case SUB: out = tf.math.sub(x, y); break;
      case MUL: out = tf.math.mul(x, y); break;
      case DIV: out = tf.math.div(x, y); break;
      default: throw new IllegalArgumentException(ctx.where() + " is not a binary elementwise op");
    }
    return new Placed(out, target, ctx.outputDims());
  }

  /** ERF, GELU, RELU, SIGMOID, SQRT, ABS, TANH: the same layout out as in. */
  static Placed unary(OpContext ctx, Placed x) {
    Ops tf = ctx.tf();
    Operand<TFloat32> v = x.operand();
    Operand<TFloat32> out;
    switch (ctx.node().op()) {
      case ERF: out = tf.math.erf(v); break;
      case RELU: out = tf.nn.relu(v); break;
      case SIGMOID: out = tf.math.sigmoid(v); break;
      case SQRT: out = tf.math.sqrt(v); break;
      case ABS: out = tf.math.abs(v); break;
      case TANH: out = tf.math.tanh(v); break;
      case GELU: out = gelu(ctx, v); break;
      default: throw new IllegalArgumentException(ctx.where() + " is not a unary elementwise op");
    }
    return new Placed(out, x.layout(), x.dims());
  }

  private static Operand<TFloat32> gelu(OpContext ctx, Operand<TFloat32> x) {
    Ops tf = ctx.tf();
    String approximate = ctx.node().attributes().getString("approximate");
    switch (approximate) {
      case "none": {
        // 0.5·x·(1 + erf(x/√2)); TensorFlow's C++ op set has no Gelu kernel.
        Operand<TFloat32> cdf = tf.math.add(ctx.scalar(1f), tf.math.erf(tf.math.mul(x, ctx.scalar(INV_SQRT_2))));
        return tf.math.mul(tf.math.mul(x, ctx.scalar(0.5f)), cdf);
      }
      case "tanh": {
        Operand<TFloat32> cube = tf.math.mul(tf.math.mul(x, x), x);
        Operand<TFloat32> inner = tf.math.mul(tf.math.add(x, tf.math.mul(cube, ctx.scalar(0.044715f))),
            ctx.scalar(SQRT_2_OVER_PI));
        return tf.math.mul(tf.math.mul(x, ctx.scalar(0.5f)), tf.math.add(ctx.scalar(1f), tf.math.tanh(inner)));
      }
      default:
        throw ctx.error("approximate must be \"none\" or \"tanh\", got \"" + approximate + "\"");
    }
  }

  /**
   * SOFTMAX along one IR axis. TensorFlow's kernel reduces the innermost axis only, so it is used when the axis is
   * stored last; otherwise the max-shifted form is written out along the axis's physical position.
   */
  static Placed softmax(OpContext ctx, Placed x) {
    Ops tf = ctx.tf();
    int axis = ctx.axis(ctx.node().attributes().getInt("axis"), x.rank());
    if (x.rank() == 0) {
      throw ctx.error("softmax needs an input of rank 1 or more");
    }
    int physical = x.layout().physicalAxis(axis);
    if (physical == x.rank() - 1) {
      return new Placed(tf.nn.softmax(x.operand()), x.layout(), x.dims());
    }
    Operand<TFloat32> max = tf.reduceMax(x.operand(), ctx.ints(physical), ReduceMax.keepDims(true));
    Operand<TFloat32> e = tf.math.exp(tf.math.sub(x.operand(), max));
    Operand<TFloat32> sum = tf.reduceSum(e, ctx.ints(physical), ReduceSum.keepDims(true));
    return new Placed(tf.math.div(e, sum), x.layout(), x.dims());
  }
}
