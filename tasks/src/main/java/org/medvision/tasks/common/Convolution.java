package org.medvision.tasks.common;

import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.Shape;

/** Emits a convolution over any number of spatial axes with equal kernel, stride and padding on every axis. */
final class Convolution {
  private Convolution() {}

  static Value emit(GraphBuilder b, String name, Value x, int spatial, int in, int out, int kernel, int stride,
      int padding, int groups, boolean bias, LayerInit init) {
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

  static void checkGeometry(String layer, int in, int out, int kernel, int stride, int padding, int groups) {
    if (in < 1 || out < 1 || kernel < 1 || stride < 1 || padding < 0 || groups < 1) {
      throw new IllegalArgumentException(layer + ": channels, kernel, stride and groups must be positive and padding"
          + " non-negative; got in=" + in + " out=" + out + " kernel=" + kernel + " stride=" + stride + " padding="
          + padding + " groups=" + groups);
    }
    if (in % groups != 0 || out % groups != 0) {
      throw new IllegalArgumentException(layer + ": in=" + in + " and out=" + out + " must be divisible by groups="
          + groups);
    }
  }
}
