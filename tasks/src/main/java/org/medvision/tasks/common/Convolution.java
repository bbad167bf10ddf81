package org.medvision.tasks.common;

import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.Shape;

/**
 * PyTorch {@code nn.Conv1d}, {@code nn.Conv2d} and {@code nn.Conv3d} with the same kernel, stride and padding on
 * every spatial axis: weight [out, in/groups, k...], optional bias [out], on [N, in, spatial...].
 *
 * <p>Parameters are {@code <name>.weight} and, with a bias, {@code <name>.bias}.
 */
public final class Convolution {
  private final int spatial;
  private final int in;
  private final int out;
  private final int kernel;
  private final int stride;
  private final int padding;
  private final int groups;
  private final boolean bias;
  private final LayerInit init;

  private Convolution(int spatial, int in, int out, int kernel, int stride, int padding, int groups, boolean bias,
      LayerInit init) {
    if (in < 1 || out < 1 || kernel < 1 || stride < 1 || padding < 0 || groups < 1) {
      throw new IllegalArgumentException("Conv" + spatial + "d: channels, kernel, stride and groups must be positive "
          + "and padding non-negative; got in=" + in + " out=" + out + " kernel=" + kernel + " stride=" + stride
          + " padding=" + padding + " groups=" + groups);
    }
    if (in % groups != 0 || out % groups != 0) {
      throw new IllegalArgumentException("Conv" + spatial + "d: in=" + in + " and out=" + out
          + " must be divisible by groups=" + groups);
    }
    this.spatial = spatial;
    this.in = in;
    this.out = out;
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
    this.groups = groups;
    this.bias = bias;
    this.init = init;
  }

  /**
   * {@code nn.Conv1d} on [N, in, L].
   *
   * @param in input channels
   * @param out output channels
   * @param kernel kernel size
   * @param stride stride
   * @param padding zero padding at both ends
   * @param groups channel groups ({@code in} for depthwise)
   * @param bias whether the layer adds a bias
   * @param init how the weight and bias start
   * @throws IllegalArgumentException for non-positive sizes or channels not divisible by {@code groups}
   */
  public static Convolution conv1d(int in, int out, int kernel, int stride, int padding, int groups, boolean bias,
      LayerInit init) {
    return new Convolution(1, in, out, kernel, stride, padding, groups, bias, init);
  }

  /** {@code nn.Conv2d} with a square kernel on [N, in, H, W]; arguments as {@link #conv1d}. */
  public static Convolution conv2d(int in, int out, int kernel, int stride, int padding, int groups, boolean bias,
      LayerInit init) {
    return new Convolution(2, in, out, kernel, stride, padding, groups, bias, init);
  }

  /** {@code nn.Conv3d} with a cubic kernel on [N, in, D, H, W]; arguments as {@link #conv1d}. */
  public static Convolution conv3d(int in, int out, int kernel, int stride, int padding, int groups, boolean bias,
      LayerInit init) {
    return new Convolution(3, in, out, kernel, stride, padding, groups, bias, init);
  }

  /**
   * Emits the layer with its parameters under {@code name}.
   *
   * @param x [N, in, spatial...] with this layer's number of spatial axes
   * @return [N, out, spatial sizes after the kernel, stride and padding]
   * @throws org.medvision.api.MedvisionException if {@code x} does not have that layout
   */
  public Value apply(GraphBuilder b, String name, Value x) {
    InputChecks.require(b.qualify(name), x, spatial + 2, 1, in,
        "[N, " + in + ", " + spatial + " spatial dimension" + (spatial == 1 ? "" : "s") + "]");
    return b.within(name, () -> {
      long[] wDims = new long[spatial + 2];
      wDims[0] = out;
      wDims[1] = in / groups;
      long[] strides = new long[spatial];
      long[] pads = new long[2 * spatial];
      for (int i = 0; i < spatial; i++) {
        wDims[i + 2] = kernel;
        strides[i] = stride;
        pads[i] = padding;
        pads[i + spatial] = padding;
      }
      Value w = b.parameter("weight", Shape.of(wDims), ParamRole.WEIGHT, init.weight());
      Attributes attrs = Attributes.builder().set("strides", strides).set("pads", pads).set("group", (long) groups)
          .build();
      if (!bias) {
        return b.apply(Op.CONV, attrs, x, w);
      }
      Value bv = b.parameter("bias", Shape.of(out), ParamRole.BIAS, init.bias());
      return b.apply(Op.CONV, attrs, x, w, bv);
    });
  }
}
