package org.medvision.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.medvision.api.engine.EngineException;
import org.medvision.api.graph.ConvGeometry;

/**
 * Convolution and pooling. libtorch takes one symmetric padding per axis (and for pooling at most half the kernel),
 * while the IR allows [begin..., end...] pads of any size, so whenever the native form cannot express a node the
 * input is padded explicitly (zeros for convolution and average pooling, −∞ for max pooling) and the kernel runs
 * unpadded. Average pooling then rescales the window sums by a divisor computed on the host from the geometry alone,
 * which gives the IR's count rules exactly (padding excluded unless count_include_pad; ceil-mode windows never count
 * positions past the end padding).
 */
final class ConvKernels {
  private ConvKernels() {}

  /**
   * {@link org.medvision.api.graph.Op#CONV}: X [N,C,spatial...], W [M,C/group,k...], optional B [M]. Under mixed
   * precision the convolution itself (bias included) runs in the low-precision dtype, explicit padding in float32.
   */
  static NDArray conv(OpContext ctx, NDArray x, NDArray w, NDArray b) {
    long[] wDims = w.getShape().getShape();
    ConvGeometry g = ConvGeometry.of(ctx.node(), Arrays.copyOfRange(wDims, 2, wDims.length));
    checkRank(ctx, x, g);
    int group = Math.toIntExact(ctx.node().attributes().getInt("group"));
    long[] padding = g.padsBegin();
    NDArray input = x;
    if (!Arrays.equals(g.padsBegin(), g.padsEnd())) {
      input = pad(x, g.padsBegin(), g.padsEnd(), 0);
      padding = new long[g.spatialRank()];
    }
    NDArray padded = input;
    Shape nativePads = new Shape(padding);
    return ctx.lowPrecision(() -> padded.getNDArrayInternal().convolution(padded, w, b, new Shape(g.strides()),
        nativePads, new Shape(g.dilations()), group).singletonOrThrow());
  }

  /** {@link org.medvision.api.graph.Op#AVG_POOL}. */
  static NDArray avgPool(OpContext ctx, NDArray x) {
    ConvGeometry g = ConvGeometry.of(ctx.node(), ctx.node().attributes().getInts("kernel_shape"));
    checkRank(ctx, x, g);
    boolean includePad = ctx.node().attributes().getInt("count_include_pad") != 0;
    // DJL 0.36's avgPool ignores countIncludePad=false (it always counts padding), so the native form is used only
    // where that flag cannot matter.
    boolean noPads = Arrays.stream(g.padsBegin()).allMatch(p -> p == 0)
        && Arrays.stream(g.padsEnd()).allMatch(p -> p == 0);
    if (nativePadding(g) && (includePad || noPads)) {
      return x.getNDArrayInternal().avgPool(new Shape(g.kernel()), new Shape(g.strides()), new Shape(g.padsBegin()),
          g.ceilMode(), includePad);
    }
    long[] in = spatial(x);
    long[] out = outputExtents(g, in);
    NDArray padded = pad(x, g.padsBegin(), extraEnd(g, in, out), 0);
    NDArray means = padded.getNDArrayInternal().avgPool(new Shape(g.kernel()), new Shape(g.strides()),
        new Shape(new long[g.spatialRank()]), false, true);
    return means.mul(ctx.scope().create(g.averageWindowFactors(in, out, includePad), new Shape(out)));
  }

  /** {@link org.medvision.api.graph.Op#MAX_POOL}. */
  static NDArray maxPool(OpContext ctx, NDArray x) {
    ConvGeometry g = ConvGeometry.of(ctx.node(), ctx.node().attributes().getInts("kernel_shape"));
    checkRank(ctx, x, g);
    boolean undilated = Arrays.stream(g.dilations()).allMatch(d -> d == 1);
    if (undilated && nativePadding(g)) {
      return x.getNDArrayInternal().maxPool(new Shape(g.kernel()), new Shape(g.strides()), new Shape(g.padsBegin()),
          g.ceilMode());
    }
    long[] in = spatial(x);
    long[] out = outputExtents(g, in);
    NDArray padded = pad(x, g.padsBegin(), extraEnd(g, in, out), Double.NEGATIVE_INFINITY);
    if (undilated) {
      return padded.getNDArrayInternal().maxPool(new Shape(g.kernel()), new Shape(g.strides()),
          new Shape(new long[g.spatialRank()]), false);
    }
    return dilatedMax(padded, g, out);
  }

  /** {@link org.medvision.api.graph.Op#GLOBAL_AVG_POOL}: mean over every spatial axis, kept as extent 1. */
  static NDArray globalAvgPool(NDArray x) {
    int rank = x.getShape().dimension();
    int[] axes = new int[rank - 2];
    long count = 1;
    for (int i = 2; i < rank; i++) {
      axes[i - 2] = i;
      count *= x.getShape().get(i);
    }
    return Scalars.div(x.sum(axes, true), count);
  }

  /** The max over the dilated window as an elementwise maximum of strided slices, one per kernel offset. */
  private static NDArray dilatedMax(NDArray padded, ConvGeometry g, long[] out) {
    int n = g.spatialRank();
    long[] offset = new long[n];
    NDArray best = null;
    while (true) {
      NDIndex index = new NDIndex().addAllDim().addAllDim();
      for (int i = 0; i < n; i++) {
        long start = offset[i] * g.dilations()[i];
        index.addSliceDim(start, start + (out[i] - 1) * g.strides()[i] + 1, g.strides()[i]);
      }
      NDArray slice = padded.get(index);
      best = best == null ? slice : best.maximum(slice);
      int axis = n - 1;
      while (axis >= 0 && ++offset[axis] == g.kernel()[axis]) {
        offset[axis--] = 0;
      }
      if (axis < 0) {
        return best;
      }
    }
  }

  /** True when libtorch's own symmetric padding expresses the node: equal begin/end, at most half the kernel. */
  private static boolean nativePadding(ConvGeometry g) {
    for (int i = 0; i < g.spatialRank(); i++) {
      if (g.padsBegin()[i] != g.padsEnd()[i] || 2 * g.padsBegin()[i] > g.kernel()[i]) {
        return false;
      }
    }
    return true;
  }

  private static long[] outputExtents(ConvGeometry g, long[] in) {
    long[] out = new long[in.length];
    for (int i = 0; i < in.length; i++) {
      out[i] = g.outputSize(i, in[i]);
    }
    return out;
  }

  /**
   * End padding such that unpadded floor-mode windows over the padded input give exactly {@code out} positions: the
   * windows must reach (out−1)·stride + reach; padding beyond that (unused end padding) is left off.
   */
  private static long[] extraEnd(ConvGeometry g, long[] in, long[] out) {
    long[] end = new long[in.length];
    for (int i = 0; i < in.length; i++) {
      long reach = g.dilations()[i] * (g.kernel()[i] - 1) + 1;
      long needed = (out[i] - 1) * g.strides()[i] + reach;
      end[i] = Math.max(0, needed - g.padsBegin()[i] - in[i]);
    }
    return end;
  }

  /** Pads the spatial axes of {@code x} [N,C,spatial...] by {@code begin}/{@code end} with {@code value}. */
  static NDArray pad(NDArray x, long[] begin, long[] end, double value) {
    boolean any = false;
    // libtorch lists pads from the last axis backwards: (last_begin, last_end, previous_begin, ...).
    long[] pads = new long[2 * begin.length];
    for (int i = 0; i < begin.length; i++) {
      int axis = begin.length - 1 - i;
      pads[2 * i] = begin[axis];
      pads[2 * i + 1] = end[axis];
      any |= begin[axis] != 0 || end[axis] != 0;
    }
    return any ? x.pad(new Shape(pads), value) : x;
  }

  private static long[] spatial(NDArray x) {
    long[] dims = x.getShape().getShape();
    return Arrays.copyOfRange(dims, 2, dims.length);
  }

  private static void checkRank(OpContext ctx, NDArray x, ConvGeometry g) {
    if (x.getShape().dimension() != g.spatialRank() + 2) {
      throw new EngineException(ctx.where() + ": input of shape " + x.getShape() + " does not have "
          + g.spatialRank() + " spatial axes after [N, C]");
    }
  }
}
