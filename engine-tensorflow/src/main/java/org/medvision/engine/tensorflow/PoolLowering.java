package org.medvision.engine.tensorflow;

import java.util.Arrays;
import java.util.List;
import org.medvision.api.graph.ConvGeometry;
import org.medvision.api.graph.Op;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * Pooling, channels-last. TensorFlow pools know only VALID and SAME padding, while the IR has [begin..., end...]
 * pads, ceil mode and (for max) dilation. So the input is padded explicitly (zeros for average, −∞ for max) with
 * just enough end padding that VALID windows give the IR's output extent, and the kernel runs VALID. Average pooling
 * then rescales each window's mean by a factor computed here from the geometry alone, which gives the IR's divisor
 * exactly (padding excluded unless count_include_pad; ceil-mode windows never count positions past the end
 * padding). Dilated max pooling, which no TensorFlow pool supports, is the maximum of strided slices, one per kernel
 * offset. 1-D pools run as 2-D over a unit height.
 */
final class PoolLowering {
  private PoolLowering() {}

  /** AVG_POOL and MAX_POOL. */
  static Placed pool(OpContext ctx, Placed x) {
    Ops tf = ctx.tf();
    boolean max = ctx.node().op() == Op.MAX_POOL;
    ConvGeometry g = ConvGeometry.of(ctx.node(), ctx.node().attributes().getInts("kernel_shape"));
    int spatial = g.spatialRank();
    if (x.rank() != spatial + 2 || spatial > 3) {
      throw ctx.error("input of shape " + Arrays.toString(x.dims()) + " does not have " + spatial
          + " spatial axes after [N, C] (1 to 3 are supported)");
    }
    long[] in = Arrays.copyOfRange(x.dims(), 2, x.rank());
    for (long d : in) {
      if (d < 0) {
        throw ctx.error("spatial extents " + Arrays.toString(in) + " must be known when the graph is compiled");
      }
    }
    long[] out = new long[spatial];
    long[] extraEnd = new long[spatial];
    for (int i = 0; i < spatial; i++) {
      out[i] = g.outputSize(i, in[i]);
      if (out[i] < 1) {
        throw ctx.error("the window does not fit the input of shape " + Arrays.toString(x.dims()));
      }
      long reach = g.dilations()[i] * (g.kernel()[i] - 1) + 1;
      extraEnd[i] = Math.max(0, (out[i] - 1) * g.strides()[i] + reach - g.padsBegin()[i] - in[i]);
    }
    Operand<TFloat32> v = Relayout.to(tf, x, Layout.channelsLast(x.rank())).operand();
    v = padSpatial(ctx, v, g.padsBegin(), extraEnd, max ? Float.NEGATIVE_INFINITY : 0f);
    Operand<TFloat32> y;
    if (max && Arrays.stream(g.dilations()).anyMatch(d -> d != 1)) {
      y = dilatedMax(ctx, v, g, out);
    } else {
      y = windows(ctx, v, g, max);
      if (!max) {
        float[] factors = g.averageWindowFactors(in, out, ctx.node().attributes().getInt("count_include_pad") != 0);
        if (!allOnes(factors)) {
          long[] shape = new long[spatial + 2];
          Arrays.fill(shape, 1L);
          System.arraycopy(out, 0, shape, 1, spatial);
          y = tf.math.mul(y, tf.constant(Shape.of(shape), DataBuffers.of(factors, true, false)));
        }
      }
    }
    return new Placed(y, Layout.channelsLast(x.rank()), ctx.outputDims());
  }

  /** GLOBAL_AVG_POOL: the mean over the spatial axes, kept as extent 1, in the input's layout. */
  static Placed globalAveragePool(OpContext ctx, Placed x) {
    if (x.rank() < 3) {
      throw ctx.error("input of shape " + Arrays.toString(x.dims()) + " has no spatial axes");
    }
    int[] axes = new int[x.rank() - 2];
    for (int i = 2; i < x.rank(); i++) {
      axes[i - 2] = x.layout().physicalAxis(i);
    }
    Operand<TFloat32> y = ctx.tf().math.mean(x.operand(), ctx.ints(axes), Mean.keepDims(true));
    return new Placed(y, x.layout(), ctx.outputDims());
  }

  /** VALID pooling windows of a padded channels-last tensor; average pooling divides by the kernel volume. */
  private static Operand<TFloat32> windows(OpContext ctx, Operand<TFloat32> v, ConvGeometry g, boolean max) {
    Ops tf = ctx.tf();
    int spatial = g.spatialRank();
    if (spatial == 1) {
      Operand<TFloat32> v2 = tf.expandDims(v, ctx.ints(1));
      List<Long> k = OpContext.list(1, 1, g.kernel()[0], 1);
      List<Long> s = OpContext.list(1, 1, g.strides()[0], 1);
      Operand<TFloat32> y = max ? tf.nn.maxPool(v2, tf.constant(toInts(k)), tf.constant(toInts(s)), "VALID")
          : tf.nn.avgPool(v2, k, s, "VALID");
      return tf.squeeze(y, Squeeze.axis(List.of(1L)));
    }
    long[] k = new long[spatial + 2];
    long[] s = new long[spatial + 2];
    Arrays.fill(k, 1L);
    Arrays.fill(s, 1L);
    System.arraycopy(g.kernel(), 0, k, 1, spatial);
    System.arraycopy(g.strides(), 0, s, 1, spatial);
    if (spatial == 2) {
      return max ? tf.nn.maxPool(v, tf.constant(toInts(OpContext.list(k))), tf.constant(toInts(OpContext.list(s))),
          "VALID") : tf.nn.avgPool(v, OpContext.list(k), OpContext.list(s), "VALID");
    }
    return max ? tf.nn.maxPool3d(v, OpContext.list(k), OpContext.list(s), "VALID")
        : tf.nn.avgPool3d(v, OpContext.list(k), OpContext.list(s), "VALID");
  }

  /** The max over a dilated window as an elementwise maximum of strided slices, one per kernel offset. */
  private static Operand<TFloat32> dilatedMax(OpContext ctx, Operand<TFloat32> padded, ConvGeometry g, long[] out) {
    Ops tf = ctx.tf();
    int n = g.spatialRank();
    long[] offset = new long[n];
    Operand<TFloat32> best = null;
    while (true) {
      long[] begin = new long[n + 2];
      long[] end = new long[n + 2];
      long[] stride = new long[n + 2];
      Arrays.fill(stride, 1L);
      for (int i = 0; i < n; i++) {
        begin[i + 1] = offset[i] * g.dilations()[i];
        end[i + 1] = begin[i + 1] + (out[i] - 1) * g.strides()[i] + 1;
        stride[i + 1] = g.strides()[i];
      }
      // Mask bits: take the whole batch axis (bit 0) and the whole channel axis (bit n + 1).
      long wholeAxes = 1L | (1L << (n + 1));
      Operand<TFloat32> slice = tf.stridedSlice(padded, ctx.longs(begin), ctx.longs(end), ctx.longs(stride),
          org.tensorflow.op.core.StridedSlice.beginMask(wholeAxes),
          org.tensorflow.op.core.StridedSlice.endMask(wholeAxes));
      best = best == null ? slice : tf.math.maximum(best, slice);
      int axis = n - 1;
      while (axis >= 0 && ++offset[axis] == g.kernel()[axis]) {
        offset[axis--] = 0;
      }
      if (axis < 0) {
        return best;
      }
    }
  }

  /** Pads the spatial axes of a channels-last tensor by {@code begin}/{@code end} with {@code value}. */
  static Operand<TFloat32> padSpatial(OpContext ctx, Operand<TFloat32> x, long[] begin, long[] end, float value) {
    boolean any = false;
    int n = begin.length;
    // int32, not int64: PadV2's registered gradient slices with these amounts and the input's shape, which is int32,
    // and Slice refuses mixed index types (a padded layer after a trained one then could not be differentiated).
    int[] pads = new int[2 * (n + 2)];
    for (int i = 0; i < n; i++) {
      pads[2 * (i + 1)] = Math.toIntExact(begin[i]);
      pads[2 * (i + 1) + 1] = Math.toIntExact(end[i]);
      any |= begin[i] != 0 || end[i] != 0;
    }
    if (!any) {
      return x;
    }
    Ops tf = ctx.tf();
    return tf.pad(x, tf.constant(Shape.of(n + 2, 2), DataBuffers.of(pads, true, false)), ctx.scalar(value));
  }

  private static boolean allOnes(float[] values) {
    for (float v : values) {
      if (v != 1f) {
        return false;
      }
    }
    return true;
  }

  private static int[] toInts(List<Long> values) {
    return values.stream().mapToInt(Long::intValue).toArray();
  }
}
