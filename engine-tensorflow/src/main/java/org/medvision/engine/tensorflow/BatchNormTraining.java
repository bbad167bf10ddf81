package org.medvision.engine.tensorflow;

import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * Training-mode BatchNormalization, written out so that its rule is the IR's and visible: the batch mean and biased
 * variance over every axis but the channel axis (IR axis 1, wherever the layout stores it) normalise the batch, and
 * the running statistics move to momentum·running + (1−momentum)·batch with the unbiased batch variance, where
 * momentum is the IR's ONNX-convention value (PyTorch's 0.1 is 0.9 here). The update reads detached batch
 * statistics, so it never enters the gradient.
 */
final class BatchNormTraining {
  private BatchNormTraining() {}

  /**
   * Normalises {@code in.get(0)} with its batch statistics and appends the two running-statistics assignments to
   * {@code updates}.
   *
   * @param in x, scale, bias, running mean, running variance (the last two reads of the variables)
   * @param meanHandle the running mean's variable
   * @param varHandle the running variance's variable
   */
  static Placed lower(OpContext ctx, List<Placed> in, Operand<?> meanHandle, Operand<?> varHandle,
      List<org.tensorflow.op.Op> updates) {
    Ops tf = ctx.tf();
    Placed x = in.get(0);
    if (x.rank() < 2) {
      throw ctx.error("input of shape " + Arrays.toString(x.dims()) + " has no channel axis 1");
    }
    float eps = ctx.node().attributes().getFloat("epsilon");
    float momentum = ctx.node().attributes().getFloat("momentum");
    int channelAxis = x.layout().physicalAxis(1);
    int[] axes = new int[x.rank() - 1];
    for (int i = 0, k = 0; i < x.rank(); i++) {
      if (i != channelAxis) {
        axes[k++] = i;
      }
    }
    long known = 1;
    for (int i = 0; i < x.rank(); i++) {
      if (i != 1) {
        known = x.dims()[i] < 0 || known < 0 ? -1 : known * x.dims()[i];
      }
    }
    if (known >= 0 && known < 2) {
      throw ctx.error("training-mode batch normalisation needs more than one value per channel, but input "
          + Arrays.toString(x.dims()) + " has " + known);
    }
    Operand<TFloat32> batchMean = tf.math.mean(x.operand(), ctx.ints(axes), Mean.keepDims(true));
    Operand<TFloat32> centred = tf.math.sub(x.operand(), batchMean);
    Operand<TFloat32> batchVar = tf.math.mean(tf.math.square(centred), ctx.ints(axes), Mean.keepDims(true));
    Operand<TFloat32> y = tf.math.div(centred, tf.math.sqrt(tf.math.add(batchVar, ctx.scalar(eps))));
    y = tf.math.add(tf.math.mul(y, NormLowering.perChannel(ctx, in.get(1).operand(), x)),
        NormLowering.perChannel(ctx, in.get(2).operand(), x));

    // Values per channel, from the run-time shape so that a dynamic batch needs nothing special.
    Operand<TFloat32> count = tf.math.div(tf.dtypes.cast(tf.size(x.operand()), TFloat32.class),
        ctx.scalar((float) x.dims()[1]));
    Operand<TFloat32> mean = tf.reshape(tf.stopGradient(batchMean), ctx.longs(-1));
    Operand<TFloat32> unbiased = tf.math.mul(tf.reshape(tf.stopGradient(batchVar), ctx.longs(-1)),
        tf.math.div(count, tf.math.sub(count, ctx.scalar(1f))));
    Operand<TFloat32> newMean = tf.math.add(tf.math.mul(in.get(3).operand(), ctx.scalar(momentum)),
        tf.math.mul(mean, ctx.scalar(1 - momentum)));
    Operand<TFloat32> newVar = tf.math.add(tf.math.mul(in.get(4).operand(), ctx.scalar(momentum)),
        tf.math.mul(unbiased, ctx.scalar(1 - momentum)));
    updates.add(tf.assignVariableOp(meanHandle, newMean));
    updates.add(tf.assignVariableOp(varHandle, newVar));
    return new Placed(y, x.layout(), x.dims());
  }
}
