package org.medvision.tasks.common;

import java.util.List;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.Value;
import org.medvision.api.model.Encoder;

/**
 * ConvNeXt (Liu et al., "A ConvNet for the 2020s", CVPR 2022) exactly as timm's {@code ConvNeXt} builds it, with
 * timm's parameter names, ending in global average pooling.
 *
 * <p>Layout: {@code stem.0} (4x4 stride-4 convolution) and {@code stem.1} (LayerNorm2d); then four stages, where stage
 * i ≥ 1 starts with {@code stages.i.downsample.0} (LayerNorm2d) and {@code .1} (2x2 stride-2 convolution), followed by
 * {@code stages.i.blocks.j} blocks ({@code conv_dw}, {@code norm}, {@code mlp.fc1}, {@code mlp.fc2}, {@code gamma}).
 * All layer norms use eps 1e-6. The output is the global average of the last stage, flattened to [N, d], with
 * <em>no</em> final norm: timm's {@code head.norm}/{@code head.fc} and torchvision's {@code classifier.*} are left out
 * (as StrokeNeXt does with torchvision's {@code children()[:-1]}), so checkpoint loaders must drop those keys.
 *
 * <p>atto/femto/pico/nano use timm's {@code conv_mlp=True} form (norm and MLP as LayerNorm2d and 1x1 convolutions on
 * NCHW, {@code mlp.fc1.weight} [4C, C, 1, 1]); tiny..large use the channels-last form with linear layers
 * ({@code mlp.fc1.weight} [4C, C]). Initialisation follows timm: truncated normal (std 0.02) weights, zero biases,
 * unit norms, layer scale 1e-6.
 */
public final class ConvNextEncoder implements Encoder {
  /** Creates the encoder; the service loader needs this public no-argument constructor. */
  public ConvNextEncoder() {}

  /** {@code convnext}. */
  @Override
  public String name() {
    return "convnext";
  }

  @Override
  public String description() {
    return "ConvNeXt (Liu et al. 2022) in timm's layout, pooled features without the final norm";
  }

  /** atto, femto, pico, nano, tiny, small, base, large. */
  @Override
  public List<String> variants() {
    return ConvNextVariant.names();
  }

  /** Channels of the last stage: 320 (atto) to 1536 (large). */
  @Override
  public int featureDim(String variant) {
    return ConvNextVariant.of(variant).featureDim();
  }

  /**
   * Emits the encoder under the builder's current scope.
   *
   * @param image [N, 3, H, W] with H and W at least 32
   * @return [N, featureDim(variant)]
   * @throws org.medvision.api.registry.UnknownNameException for an unknown variant
   * @throws org.medvision.api.MedvisionException if {@code image} does not have 3 channels or is too small
   */
  @Override
  public Value encode(GraphBuilder builder, Value image, String variant) {
    return encode(builder, image, variant, ConvNextVariant.of(variant).stochasticDepth());
  }

  /**
   * Emits the encoder with stochastic depth rate {@code stochasticDepth}, spread over the blocks by torchvision's
   * linear rule: block k of n (counting over all stages from 0) drops its residual branch with probability
   * {@code stochasticDepth * k / (n - 1)}. Blocks with rate 0 get no {@link Op#DROP_PATH} node; at inference the
   * node is the identity either way.
   *
   * @throws org.medvision.api.MedvisionException if the rate is outside [0, 1)
   */
  public Value encode(GraphBuilder builder, Value image, String variant, float stochasticDepth) {
    if (!(stochasticDepth >= 0 && stochasticDepth < 1)) {
      throw new org.medvision.api.MedvisionException("convnext: stochastic depth must be in [0, 1), got "
          + stochasticDepth);
    }
    ConvNextVariant v = ConvNextVariant.of(variant);
    int c0 = v.dim(0);
    Value x = Convolution.conv2d(3, c0, 4, 4, 0, 1, true, ConvNextBlock.INIT).apply(builder, "stem.0", image);
    x = new LayerNorm2d(c0, ConvNextBlock.NORM_EPS).apply(builder, "stem.1", x);
    int blocksBefore = 0;
    for (int i = 0; i < v.stages(); i++) {
      x = stage(builder, v, i, x, stochasticDepth, blocksBefore);
      blocksBefore += v.depth(i);
    }
    Value pooled = builder.apply(Op.GLOBAL_AVG_POOL, x);
    return builder.apply(Op.FLATTEN, pooled);
  }

  private static Value stage(GraphBuilder b, ConvNextVariant v, int i, Value input, float stochasticDepth,
      int blocksBefore) {
    return b.within("stages." + i, () -> {
      Value x = input;
      int c = v.dim(i);
      if (i > 0) {
        int prev = v.dim(i - 1);
        x = new LayerNorm2d(prev, ConvNextBlock.NORM_EPS).apply(b, "downsample.0", x);
        x = Convolution.conv2d(prev, c, 2, 2, 0, 1, true, ConvNextBlock.INIT).apply(b, "downsample.1", x);
      }
      ConvNextBlock block = new ConvNextBlock(c, v.convMlp());
      for (int j = 0; j < v.depth(i); j++) {
        float rate = stochasticDepth * (blocksBefore + j) / Math.max(1, v.totalBlocks() - 1);
        x = block.apply(b, "blocks." + j, x, rate);
      }
      return x;
    });
  }
}
