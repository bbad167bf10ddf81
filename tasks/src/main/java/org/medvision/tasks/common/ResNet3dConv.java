package org.medvision.tasks.common;

import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.Shape;
import org.medvision.api.weights.Initializers;

/**
 * A bias-free {@code nn.Conv3d} with its own kernel, stride, padding and dilation per axis (D, H, W), initialised as
 * Hara's and MedicalNet's ResNets do: {@code kaiming_normal_(mode='fan_out', nonlinearity='relu')}.
 *
 * <p>{@link Convolution} uses one size for every axis; the ResNet stem needs a (t, 7, 7) kernel with stride (t', 2, 2)
 * and MedicalNet's layers need dilation, so the ResNet emits its convolutions through this instead.
 */
final class ResNet3dConv {
  private final int in;
  private final int out;
  private final long[] kernel;
  private final long[] strides;
  private final long[] pads;
  private final long[] dilations;

  private ResNet3dConv(int in, int out, long[] kernel, long[] strides, long[] padding, long[] dilations) {
    this.in = in;
    this.out = out;
    this.kernel = kernel;
    this.strides = strides;
    this.pads = new long[] {padding[0], padding[1], padding[2], padding[0], padding[1], padding[2]};
    this.dilations = dilations;
  }

  /**
   * Hara's stem: kernel (t, 7, 7), stride (tStride, 2, 2), padding (t / 2, 3, 3). With t = 7 and tStride = 2 this is
   * also MedicalNet's 7³ stride-2 stem.
   */
  static ResNet3dConv stem(int in, int out, int t, int tStride) {
    return new ResNet3dConv(in, out, new long[] {t, 7, 7}, new long[] {tStride, 2, 2}, new long[] {t / 2, 3, 3},
        new long[] {1, 1, 1});
  }

  /** A cubic kernel k ∈ {1, 3} with one stride and dilation, padded by dilation·(k / 2) so stride 1 keeps the size. */
  static ResNet3dConv cubic(int in, int out, int k, int stride, int dilation) {
    long p = (long) dilation * (k / 2);
    return new ResNet3dConv(in, out, new long[] {k, k, k}, new long[] {stride, stride, stride},
        new long[] {p, p, p}, new long[] {dilation, dilation, dilation});
  }

  /** Emits the convolution with its weight {@code <name>.weight} [out, in, kD, kH, kW]. */
  Value apply(GraphBuilder b, String name, Value x) {
    InputChecks.require(b.qualify(name), x, 5, 1, in, "[N, " + in + ", D, H, W]");
    return b.within(name, () -> {
      Value w = b.parameter("weight", Shape.of(out, in, kernel[0], kernel[1], kernel[2]), ParamRole.WEIGHT,
          Initializers.kaimingNormalFanOut());
      return b.apply(Op.CONV, attributes(), x, w);
    });
  }

  private Attributes attributes() {
    Attributes.Builder a = Attributes.builder().set("strides", strides.clone()).set("pads", pads.clone());
    if (dilations[0] != 1 || dilations[1] != 1 || dilations[2] != 1) {
      a.set("dilations", dilations.clone());
    }
    return a.build();
  }
}
