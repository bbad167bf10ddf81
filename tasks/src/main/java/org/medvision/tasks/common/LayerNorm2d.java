package org.medvision.tasks.common;

import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.Value;

/**
 * timm/torchvision {@code LayerNorm2d}: layer norm over the channels of [N, C, H, W] data at every pixel, with
 * parameters {@code <name>.weight} [C] and {@code <name>.bias} [C].
 *
 * <p>Emitted as transpose to [N, H, W, C], {@link Op#LAYER_NORM} on the last axis, and transpose back, the form the
 * IR documents for channel-wise layer norm.
 */
public final class LayerNorm2d {
  private static final Attributes TO_CHANNELS_LAST = Attributes.builder().set("perm", 0L, 2L, 3L, 1L).build();
  private static final Attributes TO_CHANNELS_FIRST = Attributes.builder().set("perm", 0L, 3L, 1L, 2L).build();

  private final int channels;
  private final LayerNorm norm;

  /**
   * A channel layer norm.
   *
   * @param channels C
   * @param eps added to the biased variance (1e-6 in timm and torchvision ConvNeXt)
   */
  public LayerNorm2d(int channels, float eps) {
    this.channels = channels;
    this.norm = new LayerNorm(channels, eps);
  }

  /**
   * Emits the layer with its parameters under {@code name}.
   *
   * @param x [N, C, H, W]
   * @return the normalised values, same shape
   * @throws org.medvision.api.MedvisionException if {@code x} is not [N, C, H, W]
   */
  public Value apply(GraphBuilder b, String name, Value x) {
    InputChecks.require(b.qualify(name), x, 4, 1, channels, "[N, " + channels + ", H, W]");
    return b.within(name, () -> {
      Value nhwc = b.apply(Op.TRANSPOSE, TO_CHANNELS_LAST, x);
      return b.apply(Op.TRANSPOSE, TO_CHANNELS_FIRST, norm.normalize(b, nhwc));
    });
  }
}
