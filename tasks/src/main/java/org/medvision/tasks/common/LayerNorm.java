package org.medvision.tasks.common;

import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.Shape;
import org.medvision.api.weights.Initializers;

/**
 * PyTorch {@code nn.LayerNorm(dim)} over the last axis, with scale {@code <name>.weight} [dim] (starts at 1) and
 * shift {@code <name>.bias} [dim] (starts at 0).
 */
public final class LayerNorm {
  private final int dim;
  private final float eps;

  /**
   * A layer norm.
   *
   * @param dim size of the normalised (last) axis
   * @param eps added to the biased variance; PyTorch's default is 1e-5, timm's ConvNeXt uses 1e-6
   */
  public LayerNorm(int dim, float eps) {
    if (dim < 1 || !(eps > 0)) {
      throw new IllegalArgumentException("LayerNorm: dim must be positive and eps > 0, got " + dim + " and " + eps);
    }
    this.dim = dim;
    this.eps = eps;
  }

  /**
   * Emits the layer with its parameters under {@code name}.
   *
   * @param x [..., dim]
   * @return the normalised values, same shape
   * @throws org.medvision.api.MedvisionException if the last axis of {@code x} is not {@code dim}
   */
  public Value apply(GraphBuilder b, String name, Value x) {
    InputChecks.require(b.qualify(name), x, 0, -1, dim, "[..., " + dim + "]");
    return b.within(name, () -> normalize(b, x));
  }

  /** Declares the parameters in the current scope and normalises the last axis of {@code x}. */
  Value normalize(GraphBuilder b, Value x) {
    Value w = b.parameter("weight", Shape.of(dim), ParamRole.NORM_SCALE, Initializers.ones());
    Value bias = b.parameter("bias", Shape.of(dim), ParamRole.NORM_BIAS, Initializers.zeros());
    Attributes attrs = Attributes.builder().set("axis", -1L).set("epsilon", eps).build();
    return b.apply(Op.LAYER_NORM, attrs, x, w, bias);
  }
}
