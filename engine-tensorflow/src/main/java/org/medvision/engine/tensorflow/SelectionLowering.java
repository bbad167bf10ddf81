package org.medvision.engine.tensorflow;

import java.util.function.Supplier;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.GraphValidationException;
import org.medvision.api.graph.ReductionAxes;
import org.medvision.api.graph.SliceGeometry;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.core.StridedSlice;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Gather, slice, the reductions and clip. Slice and kept-axis reductions work in their input's layout (a
 * channels-last value stays so); gather and axis-dropping reductions work in the IR's axis order.
 */
final class SelectionLowering {
  private SelectionLowering() {}

  /**
   * ONNX Gather as TensorFlow's GatherV2, which has its shape rule. GatherV2 refuses negative indices on the CPU and
   * returns zeros for out-of-range ones on a GPU, so negative indices are first moved up by the extent n (known, or
   * read at run time); the host checks the range before a run where n is known.
   *
   * @param indices the int64 graph input of indices, or null when the node's input 1 is not one
   */
  static Placed gather(OpContext ctx, Placed data, Operand<TInt64> indices) {
    if (indices == null) {
      throw ctx.error("input 1 '" + ctx.node().inputs().get(1) + "' must be an int64 graph input of indices");
    }
    Ops tf = ctx.tf();
    Placed x = Relayout.logical(tf, data);
    int axis = ctx.axis(ctx.node().attributes().getInt("axis"), x.rank());
    long known = x.dims()[axis];
    Operand<TInt64> extent = known >= 0 ? tf.constant(known)
        : tf.gather(tf.shape(x.operand(), TInt64.class), tf.constant(axis), tf.constant(0));
    Operand<TInt64> negative = tf.dtypes.cast(tf.math.less(indices, tf.constant(0L)), TInt64.class);
    Operand<TInt64> wrapped = tf.math.add(indices, tf.math.mul(negative, extent));
    return Placed.logical(tf.gather(x.operand(), wrapped, tf.constant(axis)), ctx.outputDims());
  }

  /**
   * ONNX Slice (positive steps) as one StridedSlice over the physical axes: a sliced axis of known extent gets its
   * bounds resolved here, one of dynamic extent its raw bounds, which StridedSlice resolves by the same rule (negative
   * from the end, then clamped); an axis not sliced is kept whole through the begin and end masks. The bounds are
   * int32, because StridedSlice's registered gradient builds its shape operand as int32 and needs all four alike;
   * raw bounds beyond the int32 range saturate, which clamping makes the same bound.
   */
  static Placed slice(OpContext ctx, Placed x) {
    Ops tf = ctx.tf();
    SliceGeometry g = geometry(ctx, () -> SliceGeometry.of(ctx.node(), x.rank()));
    int rank = x.rank();
    int[] begin = new int[rank];
    int[] end = new int[rank];
    int[] strides = new int[rank];
    long wholeAxes = 0;
    for (int p = 0; p < rank; p++) {
      int logical = x.layout().logicalAxis(p);
      int i = g.indexOf(logical);
      long extent = x.dims()[logical];
      strides[p] = 1;
      if (i < 0) {
        wholeAxes |= 1L << p;
      } else {
        begin[p] = saturated(extent >= 0 ? g.begin(i, extent) : g.starts()[i]);
        end[p] = saturated(extent >= 0 ? g.end(i, extent) : g.ends()[i]);
        strides[p] = saturated(g.steps()[i]);
      }
    }
    Operand<TFloat32> y = tf.stridedSlice(x.operand(), tf.constant(begin), tf.constant(end), tf.constant(strides),
        StridedSlice.beginMask(wholeAxes), StridedSlice.endMask(wholeAxes));
    return new Placed(y, x.layout(), ctx.outputDims());
  }

  private static int saturated(long v) {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
  }

  /** ONNX ReduceSum or ReduceMean ({@code mean}). */
  static Placed reduce(OpContext ctx, Placed input, boolean mean) {
    Ops tf = ctx.tf();
    ReductionAxes r = geometry(ctx, () -> ReductionAxes.of(ctx.node(), input.rank()));
    // With the axes kept the layout survives; without, the remaining axes are simplest in the IR's order.
    Placed x = r.keepDims() ? input : Relayout.logical(tf, input);
    int[] logical = r.axes();
    int[] physical = new int[logical.length];
    for (int k = 0; k < logical.length; k++) {
      physical[k] = x.layout().physicalAxis(logical[k]);
    }
    Operand<TFloat32> y = mean ? tf.math.mean(x.operand(), ctx.ints(physical), Mean.keepDims(r.keepDims()))
        : tf.reduceSum(x.operand(), ctx.ints(physical), ReduceSum.keepDims(r.keepDims()));
    return r.keepDims() ? new Placed(y, x.layout(), ctx.outputDims()) : Placed.logical(y, ctx.outputDims());
  }

  /**
   * ONNX Clip as Maximum with the lower and Minimum with the upper bound, each only when finite. Their registered
   * gradients pass a tie to x (GreaterEqual, LessEqual), which is PyTorch's clamp gradient: 1 for min ≤ x ≤ max.
   */
  static Placed clip(OpContext ctx, Placed x) {
    Ops tf = ctx.tf();
    Attributes a = ctx.node().attributes();
    float min = a.getFloat("min");
    float max = a.getFloat("max");
    Operand<TFloat32> y = x.operand();
    if (!Float.isInfinite(min)) {
      y = tf.math.maximum(y, ctx.scalar(min));
    }
    if (!Float.isInfinite(max)) {
      y = tf.math.minimum(y, ctx.scalar(max));
    }
    return new Placed(y, x.layout(), x.dims());
  }

  private static <T> T geometry(OpContext ctx, Supplier<T> read) {
    try {
      return read.get();
    } catch (GraphValidationException e) {
      throw ctx.error(e.getMessage());
    }
  }
}
