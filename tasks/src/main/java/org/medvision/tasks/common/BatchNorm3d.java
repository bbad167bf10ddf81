package org.medvision.tasks.common;

import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.Shape;
import org.medvision.api.weights.Initializers;

/**
 * PyTorch {@code nn.BatchNorm3d(C)} on [N, C, D, H, W], with PyTorch's state-dict names: {@code weight},
 * {@code bias} (trainable, start at 1 and 0) and the buffers {@code running_mean}, {@code running_var} (start at 0
 * and 1).
 *
 * <p>PyTorch also saves a {@code num_batches_tracked} counter per layer. It only matters when momentum is
 * {@code None} (cumulative averaging), which no supported model uses, so it is not declared; checkpoint key maps drop
 * it (see {@link ResNet3dKeyMaps}). The graph is the inference form; PyTorch's momentum m is passed as the IR's
 * ONNX-convention momentum 1 − m, as in {@link BatchNorm1d}.
 */
public final class BatchNorm3d {
  private final int channels;
  private final float eps;
  private final float momentum;

  /** A batch norm with PyTorch's defaults (eps 1e-5, momentum 0.1). */
  public BatchNorm3d(int channels) {
    this(channels, BatchNorm1d.DEFAULT_EPS, BatchNorm1d.DEFAULT_MOMENTUM);
  }

  /**
   * A batch norm.
   *
   * @param channels C
   * @param eps added to the variance
   * @param momentum PyTorch convention: running = (1 − momentum)·running + momentum·batch
   * @throws IllegalArgumentException unless channels &gt; 0, eps &gt; 0 and momentum is in [0, 1]
   */
  public BatchNorm3d(int channels, float eps, float momentum) {
    if (channels < 1 || !(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
      throw new IllegalArgumentException("BatchNorm3d: need channels > 0, eps > 0 and momentum in [0, 1]; got "
          + channels + ", " + eps + ", " + momentum);
    }
    this.channels = channels;
    this.eps = eps;
    this.momentum = momentum;
  }

  /**
   * Emits the layer with its parameters and buffers under {@code name}.
   *
   * @param x [N, C, D, H, W]
   * @return the normalised values, same shape
   * @throws org.medvision.api.MedvisionException if {@code x} is not 5-D with C channels on axis 1
   */
  public Value apply(GraphBuilder b, String name, Value x) {
    InputChecks.require(b.qualify(name), x, 5, 1, channels, "[N, " + channels + ", D, H, W]");
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
