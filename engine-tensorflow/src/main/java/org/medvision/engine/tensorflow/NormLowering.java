package org.medvision.engine.tensorflow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * LayerNormalization and inference-mode BatchNormalization, written as reductions and elementwise ops in the input's
 * layout, so a channels-last value stays channels-last. Scale, bias and statistics are broadcast into that layout
 * with reshapes (they have one non-unit axis), which the session folds into constants once.
 */
final class NormLowering {
  private NormLowering() {}

  /** ONNX LayerNormalization over IR axes [axis, rank) with biased variance; a missing bias is zero. */
  static Placed layerNorm(OpContext ctx, Placed x, Placed scale, Placed bias) {
    Ops tf = ctx.tf();
    int rank = x.rank();
    int axis = ctx.axis(ctx.node().attributes().getInt("axis"), rank);
    float eps = ctx.node().attributes().getFloat("epsilon");
    List<Integer> reduced = new ArrayList<>();
    for (int i = 0; i < rank; i++) {
      if (x.layout().logicalAxis(i) >= axis) {
        reduced.add(i);
      }
    }
    Operand<TFloat32> mean = tf.math.mean(x.operand(), ctx.ints(toInts(reduced)), Mean.keepDims(true));
    Operand<TFloat32> centred = tf.math.sub(x.operand(), mean);
    Operand<TFloat32> variance = tf.math.mean(tf.math.square(centred), ctx.ints(toInts(reduced)),
        Mean.keepDims(true));
    Operand<TFloat32> y = tf.math.mul(centred, tf.math.rsqrt(tf.math.add(variance, ctx.scalar(eps))));
    y = tf.math.mul(y, Relayout.broadcastTo(tf, scale, x.layout()).operand());
    if (bias != null) {
      y = tf.math.add(y, Relayout.broadcastTo(tf, bias, x.layout()).operand());
    }
    return new Placed(y, x.layout(), x.dims());
  }

  /**
   * ONNX BatchNormalization with the running statistics: (x − mean) · scale/√(var + ε) + bias per channel (IR axis
   * 1). The per-channel factor is computed in the graph from the parameters, so it is one constant after folding.
   */
  static Placed batchNormInference(OpContext ctx, Placed x, Placed scale, Placed bias, Placed mean, Placed var) {
    Ops tf = ctx.tf();
    if (x.rank() < 2) {
      throw ctx.error("input of shape " + Arrays.toString(x.dims()) + " has no channel axis 1");
    }
    float eps = ctx.node().attributes().getFloat("epsilon");
    Operand<TFloat32> factor = tf.math.mul(scale.operand(), tf.math.rsqrt(tf.math.add(var.operand(),
        ctx.scalar(eps))));
    Operand<TFloat32> centred = tf.math.sub(x.operand(), perChannel(ctx, mean.operand(), x));
    Operand<TFloat32> y = tf.math.add(tf.math.mul(centred, perChannel(ctx, factor, x)),
        perChannel(ctx, bias.operand(), x));
    return new Placed(y, x.layout(), x.dims());
  }

  /** A [C] vector shaped to broadcast over IR axis 1 of {@code x} in x's layout. */
  static Operand<TFloat32> perChannel(OpContext ctx, Operand<TFloat32> vector, Placed x) {
    long[] dims = new long[x.rank()];
    Arrays.fill(dims, 1L);
    dims[x.layout().physicalAxis(1)] = -1;
    return ctx.tf().reshape(vector, ctx.longs(dims));
  }

  private static int[] toInts(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).toArray();
  }
}
