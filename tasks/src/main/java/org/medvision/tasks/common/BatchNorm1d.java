package org.medvision.tasks.common;

import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.Shape;
import org.medvision.api.weights.Initializers;

/**
 * PyTorch {@code nn.BatchNorm1d(C)} on [N, C] or [N, C, L], with PyTorch's state-dict names: {@code weight},
 * {@code bias} (trainable, start at 1 and 0) and the buffers {@code running_mean}, {@code running_var} (start at 0 and
 * 1). PyTorch's {@code num_batches_tracked} counter is not a model value and is not declared.
 *
 * <p>The graph is the inference form (running statistics). PyTorch's momentum m is passed as the IR's ONNX-convention
 * momentum 1 − m.
 */
public final class BatchNorm1d {
  /** PyTorch's default epsilon. */
  public static final float DEFAULT_EPS = 1e-5f;
  /** PyTorch's default momentum (weight of the new batch statistic). */
  public static final float DEFAULT_MOMENTUM = 0.1f;

  private final int channels;
  private final float eps;
  private final float momentum;

  /** A batch norm with PyTorch's defaults (eps 1e-5, momentum 0.1). */
  public BatchNorm1d(int channels) {
    this(channels, DEFAULT_EPS, DEFAULT_MOMENTUM);
  }

  /**
   * A batch norm.
   *
   * @param channels C
   * @param eps added to the variance
   * @param momentum PyTorch convention: running = (1 − momentum)·running + momentum·batch
   */
  public BatchNorm1d(int channels, float eps, float momentum) {
    if (channels < 1 || !(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
      throw new IllegalArgumentException("BatchNorm1d: need channels > 0, eps > 0 and momentum in [0, 1]; got "
          + channels + ", " + eps + ", " + momentum);
    }
    this.channels = channels;
    this.eps = eps;
    this.momentum = momentum;
  }

  /**
   * Emits the layer with its parameters and buffers under {@code name}.
   *
   * @param x [N, C] or [N, C, L]
   * @return the normalised values, same shape
   * @throws org.medvision.api.MedvisionException if axis 1 of {@code x} is not C or its rank is not 2 or 3
   */
  public Value apply(GraphBuilder b, String name, Value x) {
    int rank = x.shape().rank();
    InputChecks.require(b.qualify(name), x, rank == 3 ? 3 : 2, 1, channels,
        "[N, " + channels + "] or [N, " + channels + ", L]");
    return b.within(name, () -> {
      Shape c = Shape.of(channels);
      Value w = b.parameter("weight", c, ParamRole.NORM_SCALE, Initializers.ones());
      Value bias = b.parameter("bias", c, ParamRole.NORM_BIAS, Initializers.zeros());
      Value mean = b.parameter("running_mean", c, ParamRole.RUNNING_MEAN, Initializers.zeros());
      Value var = b.parameter("running_var", c, ParamRole.RUNNING_VAR, Initializers.ones());
      Attributes attrs = Attributes.builder().set("epsilon", eps).set("momentum", 1f - momentum).build();
      return b.apply(Op.BATCH_NORM, attrs, x, w, bias, mean, var);
    });
  }
}
