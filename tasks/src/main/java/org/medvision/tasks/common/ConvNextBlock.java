package org.medvision.tasks.common;

import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.Shape;
import org.medvision.api.weights.Initializers;

/**
 * One timm {@code ConvNeXtBlock}: x + gamma · fc2(GELU(fc1(norm(conv_dw(x))))), with a 7x7 depthwise convolution,
 * an MLP of ratio 4 and the layer scale {@code gamma} [C]. The residual branch passes through {@link Op#DROP_PATH}
 * (torchvision's {@code StochasticDepth}) when the block's rate is above 0.
 */
final class ConvNextBlock {
  private static final Attributes TO_CHANNELS_LAST = Attributes.builder().set("perm", 0L, 2L, 3L, 1L).build();
  private static final Attributes TO_CHANNELS_FIRST = Attributes.builder().set("perm", 0L, 3L, 1L, 2L).build();
  /** timm's and torchvision's {@code layer_scale_init_value}. */
  static final float LAYER_SCALE_INIT = 1e-6f;
  /** Epsilon of every ConvNeXt layer norm in timm and torchvision. */
  static final float NORM_EPS = 1e-6f;
  /** timm's {@code trunc_normal_(std=.02)} for every convolution and linear weight. */
  static final LayerInit INIT = LayerInit.truncatedNormal(0.02f);

  private final int channels;
  private final boolean convMlp;

  ConvNextBlock(int channels, boolean convMlp) {
    this.channels = channels;
    this.convMlp = convMlp;
  }

  /** Emits the block under {@code name} on [N, C, H, W] input, dropping its branch with probability {@code dropPath}. */
  Value apply(GraphBuilder b, String name, Value x, float dropPath) {
    return b.within(name, () -> {
      int c = channels;
      // Declared first so the graph lists the block's tensors in timm's state-dict order.
      Value gamma = b.parameter("gamma", Shape.of(c), ParamRole.LAYER_SCALE, Initializers.constant(LAYER_SCALE_INIT));
      Value y = Convolution.conv2d(c, c, 7, 1, 3, c, true, INIT).apply(b, "conv_dw", x);
      if (convMlp) {
        y = new LayerNorm2d(c, NORM_EPS).apply(b, "norm", y);
        y = Convolution.conv2d(c, 4 * c, 1, 1, 0, 1, true, INIT).apply(b, "mlp.fc1", y);
        y = Activations.gelu(b, y);
        y = Convolution.conv2d(4 * c, c, 1, 1, 0, 1, true, INIT).apply(b, "mlp.fc2", y);
        Value scale = b.apply(Op.RESHAPE, Attributes.builder().set("shape", (long) c, 1L, 1L).build(), gamma);
        y = b.apply(Op.MUL, y, scale);
      } else {
        y = b.apply(Op.TRANSPOSE, TO_CHANNELS_LAST, y);
        y = new LayerNorm(c, NORM_EPS).apply(b, "norm", y);
        y = new Linear(c, 4 * c, true, INIT).apply(b, "mlp.fc1", y);
        y = Activations.gelu(b, y);
        y = new Linear(4 * c, c, true, INIT).apply(b, "mlp.fc2", y);
        // On channels-last data gamma [C] broadcasts over the last axis as it is, with no reshape.
        y = b.apply(Op.MUL, y, gamma);
        y = b.apply(Op.TRANSPOSE, TO_CHANNELS_FIRST, y);
      }
      if (dropPath > 0) {
        y = b.apply(Op.DROP_PATH, Attributes.builder().set("ratio", dropPath).build(), y);
      }
      return b.apply(Op.ADD, x, y);
    });
  }
}
