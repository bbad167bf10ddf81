package org.medvision.tasks.common;

import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.Shape;

/**
 * PyTorch {@code nn.Linear} on the last axis: y = x·Wᵀ + b with weight [out, in] and bias [out], parameters
 * {@code <name>.weight} and {@code <name>.bias}.
 *
 * <p>A 2-D input becomes one {@link Op#GEMM} with {@code transB = 1}, which every engine runs as a single fused call.
 * A higher-rank input (timm's channels-last MLP on [N, H, W, C]) becomes a {@link Op#MATMUL} with the transposed weight
 * followed by an {@link Op#ADD} of the bias; the transpose reads only a parameter, so engines fold it away once.
 */
public final class Linear {
  private final int in;
  private final int out;
  private final boolean bias;
  private final LayerInit init;

  /**
   * A linear layer.
   *
   * @param in input features (size of the last axis)
   * @param out output features
   * @param bias whether the layer adds a bias
   * @param init how the weight and bias start
   */
  public Linear(int in, int out, boolean bias, LayerInit init) {
    if (in < 1 || out < 1) {
      throw new IllegalArgumentException("Linear: in and out must be positive, got " + in + " and " + out);
    }
    this.in = in;
    this.out = out;
    this.bias = bias;
    this.init = init;
  }

  /** A layer with a bias and PyTorch's default initialisation. */
  public static Linear pytorchDefault(int in, int out) {
    return new Linear(in, out, true, LayerInit.pytorchDefault(in));
  }

  /**
   * Emits the layer with its parameters under {@code name}.
   *
   * @param x [..., in] with rank at least 2
   * @return [..., out]
   * @throws org.medvision.api.MedvisionException if the last axis of {@code x} is not {@code in}
   */
  public Value apply(GraphBuilder b, String name, Value x) {
    InputChecks.require(b.qualify(name), x, 0, -1, in, "[..., " + in + "]");
    return b.within(name, () -> {
      Value w = b.parameter("weight", Shape.of(out, in), ParamRole.WEIGHT, init.weight());
      Value bv = bias ? b.parameter("bias", Shape.of(out), ParamRole.BIAS, init.bias()) : null;
      if (x.shape().rank() == 2) {
        Attributes gemm = Attributes.builder().set("transB", 1L).build();
        return bv == null ? b.apply(Op.GEMM, gemm, x, w) : b.apply(Op.GEMM, gemm, x, w, bv);
      }
      Value wt = b.apply(Op.TRANSPOSE, Attributes.builder().set("perm", 1L, 0L).build(), w);
      Value y = b.apply(Op.MATMUL, x, wt);
      return bv == null ? y : b.apply(Op.ADD, y, bv);
    });
  }
}
