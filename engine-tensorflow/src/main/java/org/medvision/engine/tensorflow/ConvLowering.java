package org.medvision.engine.tensorflow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.medvision.api.graph.ConvGeometry;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Split;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.nn.DepthwiseConv2dNative;
import org.tensorflow.types.TFloat32;

/**
 * Convolution, always computed channels-last (TensorFlow's fast CPU layout): 1-D as 2-D over a unit height, 2-D as
 * Conv2D with explicit padding (depthwise as DepthwiseConv2dNative), 3-D as Conv3D over an explicitly padded input.
 * Grouped convolutions other than depthwise ones are split into one convolution per group and concatenated, in 2-D
 * as in 3-D (TensorFlow's Conv3D has no groups at all, and a grouped Conv2D breaks on some CPUs; see
 * {@link #grouped}). The PyTorch-layout weight
 * [M, C/group, k...] is asked for in TensorFlow's [k..., C/group, M] layout: a stored parameter is laid out so once,
 * at compile time; a computed weight (or a training read, which gradients need in the declared layout) is
 * transposed in the graph.
 */
final class ConvLowering {
  private ConvLowering() {}

  /** ONNX Conv: X [N, C, spatial...], W [M, C/group, k...], optional B [M]; output channels-last. */
  static Placed conv(OpContext ctx, Placed x, Placed w, Placed b) {
    Ops tf = ctx.tf();
    long[] wDims = w.dims();
    int spatial = wDims.length - 2;
    if (spatial < 1 || spatial > 3) {
      throw ctx.error("weight of shape " + Arrays.toString(wDims) + " is not a 1-D, 2-D or 3-D kernel");
    }
    if (x.rank() != spatial + 2) {
      throw ctx.error("input of shape " + Arrays.toString(x.dims()) + " does not have " + spatial
          + " spatial axes after [N, C]");
    }
    ConvGeometry g = ConvGeometry.of(ctx.node(), Arrays.copyOfRange(wDims, 2, wDims.length));
    int group = Math.toIntExact(ctx.node().attributes().getInt("group"));
    Operand<TFloat32> input = Relayout.to(tf, x, Layout.channelsLast(x.rank())).operand();
    Operand<TFloat32> y;
    if (spatial == 1) {
      Operand<TFloat32> x2 = tf.expandDims(input, ctx.ints(1));
      Operand<TFloat32> f2 = tf.expandDims(Relayout.to(tf, w, Layout.of(2, 1, 0)).operand(), ctx.ints(0));
      long[] k = {1, g.kernel()[0]};
      ConvGeometry g2 = new ConvGeometry(k, new long[] {1, g.strides()[0]}, new long[] {0, g.padsBegin()[0]},
          new long[] {0, g.padsEnd()[0]}, new long[] {1, g.dilations()[0]}, false);
      long[] in2 = {x.dims()[0], x.dims()[1], 1, x.dims()[2]};
      y = tf.squeeze(conv2d(ctx, x2, f2, g2, in2, new long[] {wDims[0], wDims[1], 1, wDims[2]}, group),
          org.tensorflow.op.core.Squeeze.axis(List.of(1L)));
    } else if (spatial == 2) {
      y = conv2d(ctx, input, Relayout.to(tf, w, Layout.of(2, 3, 1, 0)).operand(), g, x.dims(), wDims, group);
    } else {
      y = conv3d(ctx, input, Relayout.to(tf, w, Layout.of(2, 3, 4, 1, 0)).operand(), g, x.dims(), group);
    }
    if (b != null) {
      y = tf.nn.biasAdd(y, Relayout.logical(tf, b).operand());
    }
    return new Placed(y, Layout.channelsLast(x.rank()), ctx.outputDims());
  }

  /**
   * NHWC Conv2D of {@code x} with filter [kh, kw, C/group, M]; depthwise convolutions take the dedicated kernel.
   * Padding is VALID or SAME where those equal the IR's pads, else explicit. DepthwiseConv2dNative is never given
   * EXPLICIT padding: TensorFlow 2.18 accepts it when building the graph and then aborts the process in the kernel
   * (a failed CHECK in tensor_format.h), so such inputs are padded first.
   */
  private static Operand<TFloat32> conv2d(OpContext ctx, Operand<TFloat32> x, Operand<TFloat32> filter,
      ConvGeometry g, long[] inDims, long[] wDims, int group) {
    Ops tf = ctx.tf();
    long channels = inDims[1];
    List<Long> strides = OpContext.list(1, g.strides()[0], g.strides()[1], 1);
    List<Long> dilations = OpContext.list(1, g.dilations()[0], g.dilations()[1], 1);
    String padding = padding(g, Arrays.copyOfRange(inDims, 2, 4));
    boolean undilated = g.dilations()[0] == 1 && g.dilations()[1] == 1;
    if (group > 1 && group == channels && wDims[1] == 1 && undilated) {
      long multiplier = wDims[0] / channels;
      Operand<TFloat32> dw = tf.reshape(filter, ctx.longs(g.kernel()[0], g.kernel()[1], channels, multiplier));
      Operand<TFloat32> input = x;
      if (padding.equals("EXPLICIT")) {
        input = PoolLowering.padSpatial(ctx, x, g.padsBegin(), g.padsEnd(), 0f);
        padding = "VALID";
      }
      return tf.nn.depthwiseConv2dNative(input, dw, strides, padding);
    }
    List<Conv2d.Options> options = new ArrayList<>();
    options.add(Conv2d.dilations(dilations));
    if (padding.equals("EXPLICIT")) {
      options.add(Conv2d.explicitPaddings(OpContext.list(0, 0, g.padsBegin()[0], g.padsEnd()[0], g.padsBegin()[1],
          g.padsEnd()[1], 0, 0)));
    }
    String pad = padding;
    Conv2d.Options[] attributes = options.toArray(new Conv2d.Options[0]);
    return grouped(tf, x, filter, group, 3, (in, f) -> tf.nn.conv2d(in, f, strides, pad, attributes));
  }

  /**
   * A grouped convolution as {@code group} ungrouped ones over the channel slices of {@code x} and {@code filter}
   * (both split along {@code channelAxis}, the channels of an input and the output channels of a filter), their
   * outputs concatenated; a single group is just {@code convolution}.
   *
   * <p>Why not TensorFlow's own grouped Conv2D: on CPUs without AVX-512 its grappler remapper fuses a grouped Conv2D
   * and the BiasAdd after it into _FusedConv2D, whose kernel then fails with "Fused conv implementation does not
   * support grouped convolutions for now"; a Conv2D whose output goes to a ConcatV2 is never fused with the bias, on
   * any CPU. Depthwise convolutions, the grouped kind models use most, keep their dedicated kernel.
   */
  private static Operand<TFloat32> grouped(Ops tf, Operand<TFloat32> x, Operand<TFloat32> filter, int group,
      int channelAxis, java.util.function.BinaryOperator<Operand<TFloat32>> convolution) {
    if (group == 1) {
      return convolution.apply(x, filter);
    }
    Split<TFloat32> inputs = tf.split(tf.constant(channelAxis), x, (long) group);
    Split<TFloat32> filters = tf.split(tf.constant(channelAxis), filter, (long) group);
    List<Operand<TFloat32>> parts = new ArrayList<>();
    for (int i = 0; i < group; i++) {
      parts.add(convolution.apply(inputs.output().get(i), filters.output().get(i)));
    }
    return tf.concat(parts, tf.constant(channelAxis));
  }

  /**
   * TensorFlow's name for the IR's padding: VALID for none, SAME when the pads are exactly what SAME computes for
   * the known input extents (ConvNeXt's 7x7 pads 3 at stride 1), else EXPLICIT.
   */
  static String padding(ConvGeometry g, long[] in) {
    boolean none = true;
    boolean same = true;
    for (int i = 0; i < in.length; i++) {
      none &= g.padsBegin()[i] == 0 && g.padsEnd()[i] == 0;
      if (in[i] < 0) {
        same = false;
        continue;
      }
      long out = (in[i] + g.strides()[i] - 1) / g.strides()[i];
      long reach = g.dilations()[i] * (g.kernel()[i] - 1) + 1;
      long total = Math.max((out - 1) * g.strides()[i] + reach - in[i], 0);
      same &= g.padsBegin()[i] == total / 2 && g.padsEnd()[i] == total - total / 2;
    }
    return none ? "VALID" : same ? "SAME" : "EXPLICIT";
  }

  /**
   * NDHWC Conv3D of {@code x} with filter [kd, kh, kw, C/group, M]; padding and groups made explicit. TensorFlow's CPU
   * Conv3D has no dilation ("only supports dilated rates of 1"), so a dilated one (MedicalNet's layer3 and layer4)
   * runs as its Python {@code tf.nn.convolution} does: space-to-batch by the dilation, an undilated VALID Conv3D,
   * batch-to-space. Each of the d^3 interleaved sub-grids of the padded input is convolved with the plain kernel, which
   * is exactly the dilated convolution; the sub-grids need the extents to be multiples of d, so the input is padded
   * at the end for that and the output cropped by as much.
   */
  private static Operand<TFloat32> conv3d(OpContext ctx, Operand<TFloat32> x, Operand<TFloat32> filter,
      ConvGeometry g, long[] inDims, int group) {
    Ops tf = ctx.tf();
    Operand<TFloat32> input = PoolLowering.padSpatial(ctx, x, g.padsBegin(), g.padsEnd(), 0f);
    List<Long> strides = OpContext.list(1, g.strides()[0], g.strides()[1], g.strides()[2], 1);
    long[] d = g.dilations();
    if (d[0] == 1 && d[1] == 1 && d[2] == 1) {
      return grouped(tf, input, filter, group, 4, (in, f) -> tf.nn.conv3d(in, f, strides, "VALID"));
    }
    long[][] extra = new long[3][2];
    for (int i = 0; i < 3; i++) {
      long padded = inDims[2 + i] + g.padsBegin()[i] + g.padsEnd()[i];
      if (g.strides()[i] != 1 || inDims[2 + i] < 0) {
        throw ctx.error("a dilated 3-D convolution needs stride 1 and known spatial extents on TensorFlow, got "
            + "strides " + Arrays.toString(g.strides()) + " and input " + Arrays.toString(inDims));
      }
      extra[i][1] = (d[i] - padded % d[i]) % d[i];
    }
    Operand<TFloat32> batched = tf.spaceToBatchNd(input, ctx.longs(d), tf.constant(extra));
    Operand<TFloat32> y = grouped(tf, batched, filter, group, 4, (in, f) -> tf.nn.conv3d(in, f, strides, "VALID"));
    return tf.batchToSpaceNd(y, ctx.longs(d), tf.constant(extra));
  }
}
