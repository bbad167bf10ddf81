package org.medvision.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.medvision.api.engine.EngineException;

/**
 * LayerNormalization and BatchNormalization, the latter in both modes.
 *
 * <p>Training-mode BatchNorm is composed from NDArray operations rather than libtorch's fused kernel so that its
 * running-statistics rule is ours and visible: the batch mean and biased variance over every axis but 1 normalise
 * the batch, and the running statistics move to momentum·running + (1−momentum)·batch with the unbiased variance,
 * where momentum is the IR's ONNX-convention value (PyTorch's 0.1 is 0.9 here). The update is made on detached
 * values in place, so it never enters the autograd graph.
 */
final class NormKernels {
  private NormKernels() {}

  /** ONNX LayerNormalization over axes [axis, rank) with biased variance; a missing bias is zero. */
  static NDArray layerNorm(OpContext ctx, NDArray x, NDArray scale, NDArray bias) {
    int rank = x.getShape().dimension();
    int axis = GraphInterpreter.normalize(ctx.node().attributes().getInt("axis"), rank, ctx);
    Shape normalized = new Shape(Arrays.copyOfRange(x.getShape().getShape(), axis, rank));
    NDArray gamma = scale.getShape().equals(normalized) ? scale : scale.broadcast(normalized);
    NDArray beta = bias == null ? gamma.zerosLike() : bias.getShape().equals(normalized) ? bias
        : bias.broadcast(normalized);
    float eps = ctx.node().attributes().getFloat("epsilon");
    return x.getNDArrayInternal().layerNorm(x, normalized, gamma, beta, eps).singletonOrThrow();
  }

  /**
   * ONNX BatchNormalization: with running statistics in inference mode, with batch statistics (and a running update)
   * in training mode.
   */
  static NDArray batchNorm(OpContext ctx, NDArray x, NDArray scale, NDArray bias, NDArray mean, NDArray var) {
    float eps = ctx.node().attributes().getFloat("epsilon");
    if (x.getShape().dimension() < 2) {
      throw new EngineException(ctx.where() + ": input of shape " + x.getShape() + " has no channel axis 1");
    }
    if (!ctx.training()) {
      // libtorch's momentum argument only matters in training, which this path never is.
      return x.getNDArrayInternal().batchNorm(x, mean, var, scale, bias, 1, 0.1f, eps, false).singletonOrThrow();
    }
    int rank = x.getShape().dimension();
    long channels = x.getShape().get(1);
    int[] axes = new int[rank - 1];
    long count = 1;
    for (int i = 0, k = 0; i < rank; i++) {
      if (i != 1) {
        axes[k++] = i;
        count *= x.getShape().get(i);
      }
    }
    if (count < 2) {
      throw new EngineException(ctx.where() + ": training-mode batch normalisation needs more than one value per "
          + "channel, but input " + x.getShape() + " has " + count);
    }
    long[] perChannel = new long[rank];
    Arrays.fill(perChannel, 1);
    perChannel[1] = channels;
    Shape broadcast = new Shape(perChannel);
    NDArray batchMean = Scalars.div(x.sum(axes, true), count);
    NDArray centred = x.sub(batchMean);
    NDArray batchVar = Scalars.div(centred.square().sum(axes, true), count);
    NDArray y = centred.div(Scalars.add(batchVar, eps).sqrt()).mul(scale.reshape(broadcast))
        .add(bias.reshape(broadcast));

    float momentum = ctx.node().attributes().getFloat("momentum");
    NDArray detachedMean = batchMean.stopGradient().reshape(channels);
    NDArray unbiasedVar = Scalars.mul(batchVar.stopGradient().reshape(channels), (double) count / (count - 1));
    mean.muli(Scalars.like(mean, momentum)).addi(Scalars.mul(detachedMean, 1 - momentum));
    var.muli(Scalars.like(var, momentum)).addi(Scalars.mul(unbiasedVar, 1 - momentum));
    return y;
  }
}
