package org.medvision.engine.tensorflow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.medvision.api.graph.Attributes;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The shape ops. Transpose moves no data: it only relabels the input's layout. Concat works in its inputs' common
 * layout. Reshape, Flatten, Squeeze and Unsqueeze depend on the IR's element order, so their input is first put
 * back in the IR's axis order (a transpose only when it is stored channels-last).
 */
final class ShapeLowering {
  private ShapeLowering() {}

  /** ONNX Transpose; no perm reverses the axes. */
  static Placed transpose(OpContext ctx, Placed x) {
    int rank = x.rank();
    long[] given = ctx.node().attributes().findInts("perm").orElse(null);
    int[] perm = new int[rank];
    if (given == null) {
      for (int i = 0; i < rank; i++) {
        perm[i] = rank - 1 - i;
      }
    } else {
      if (given.length != rank) {
        throw ctx.error("perm " + Arrays.toString(given) + " does not fit rank " + rank);
      }
      boolean[] seen = new boolean[rank];
      for (int i = 0; i < rank; i++) {
        perm[i] = ctx.axis(given[i], rank);
        if (seen[perm[i]]) {
          throw ctx.error("perm " + Arrays.toString(given) + " repeats axis " + perm[i]);
        }
        seen[perm[i]] = true;
      }
    }
    return x.transposed(perm, ctx.outputDims());
  }

  /** ONNX Reshape: 0 copies the input extent at that position, −1 is inferred. */
  static Placed reshape(OpContext ctx, Placed x) {
    Ops tf = ctx.tf();
    long[] target = ctx.node().attributes().getInts("shape");
    Placed in = Relayout.logical(tf, x);
    boolean dynamicCopy = false;
    for (int i = 0; i < target.length; i++) {
      if (target[i] == 0) {
        if (i >= x.rank()) {
          throw ctx.error("shape " + Arrays.toString(target) + " copies dimension " + i + " from an input of rank "
              + x.rank());
        }
        target[i] = x.dims()[i];
        dynamicCopy |= target[i] < 0;
      }
    }
    Operand<TInt64> shape;
    if (!dynamicCopy) {
      shape = ctx.longs(target);
    } else {
      // A dynamic extent copied with 0 is read from the run-time shape; the rest are constants.
      Operand<TInt64> runtime = tf.shape(in.operand(), TInt64.class);
      List<Operand<TInt64>> parts = new ArrayList<>();
      long[] given = ctx.node().attributes().getInts("shape");
      for (int i = 0; i < given.length; i++) {
        parts.add(given[i] == 0 ? tf.slice(runtime, ctx.longs(i), ctx.longs(1)) : ctx.longs(given[i]));
      }
      shape = tf.concat(parts, tf.constant(0));
    }
    return Placed.logical(tf.reshape(in.operand(), shape), ctx.outputDims());
  }

  /** ONNX Flatten to [prod(d0..axis−1), prod(axis..)]. */
  static Placed flatten(OpContext ctx, Placed x) {
    Ops tf = ctx.tf();
    Placed in = Relayout.logical(tf, x);
    long[] out = ctx.outputDims();
    Operand<TFloat32> y;
    if (Relayout.dynamicCount(out) <= 1) {
      y = tf.reshape(in.operand(), ctx.longs(out));
    } else {
      int rank = x.rank();
      long axis = ctx.node().attributes().getInt("axis");
      int split = (int) (axis < 0 ? axis + rank : axis);
      Operand<TInt64> runtime = tf.shape(in.operand(), TInt64.class);
      Operand<TInt64> outer = tf.reduceProd(tf.slice(runtime, ctx.longs(0), ctx.longs(split)), ctx.ints(0),
          org.tensorflow.op.core.ReduceProd.keepDims(true));
      Operand<TInt64> inner = tf.reduceProd(tf.slice(runtime, ctx.longs(split), ctx.longs(rank - split)),
          ctx.ints(0), org.tensorflow.op.core.ReduceProd.keepDims(true));
      y = tf.reshape(in.operand(), tf.concat(List.of(outer, inner), tf.constant(0)));
    }
    return Placed.logical(y, out);
  }

  /** ONNX Squeeze; no axes removes every extent-1 axis. */
  static Placed squeeze(OpContext ctx, Placed x) {
    Ops tf = ctx.tf();
    long[] given = ctx.node().attributes().findInts("axes").orElse(null);
    List<Long> axes = new ArrayList<>();
    for (int i = 0; i < x.rank(); i++) {
      boolean listed = given == null ? x.dims()[i] == 1 : contains(ctx, given, i, x.rank());
      if (listed) {
        if (x.dims()[i] != 1 && x.dims()[i] >= 0) {
          throw ctx.error("cannot squeeze axis " + i + " of extent " + x.dims()[i] + " in shape "
              + Arrays.toString(x.dims()));
        }
        axes.add((long) i);
      }
    }
    Placed in = Relayout.logical(tf, x);
    if (axes.isEmpty()) {
      return in;
    }
    return Placed.logical(tf.squeeze(in.operand(), Squeeze.axis(axes)), ctx.outputDims());
  }

  /** ONNX Unsqueeze: axes are positions in the output. */
  static Placed unsqueeze(OpContext ctx, Placed x) {
    Ops tf = ctx.tf();
    long[] given = ctx.node().attributes().getInts("axes");
    int outRank = x.rank() + given.length;
    int[] axes = new int[given.length];
    for (int i = 0; i < given.length; i++) {
      axes[i] = ctx.axis(given[i], outRank);
    }
    Arrays.sort(axes);
    Operand<TFloat32> y = Relayout.logical(tf, x).operand();
    for (int axis : axes) {
      y = tf.expandDims(y, ctx.ints(axis));
    }
    return Placed.logical(y, ctx.outputDims());
  }

  /** ONNX Concat along one axis, in the first input's layout. */
  static Placed concat(OpContext ctx, List<Placed> inputs) {
    Ops tf = ctx.tf();
    Placed first = inputs.get(0);
    if (inputs.size() == 1) {
      return first;
    }
    int axis = ctx.axis(ctx.node().attributes().getInt("axis"), first.rank());
    List<Operand<TFloat32>> parts = new ArrayList<>();
    for (Placed p : inputs) {
      if (p.rank() != first.rank()) {
        throw ctx.error("inputs have ranks " + first.rank() + " and " + p.rank());
      }
      parts.add(Relayout.to(tf, p, first.layout()).operand());
    }
    Operand<TFloat32> y = tf.concat(parts, tf.constant(first.layout().physicalAxis(axis)));
    return new Placed(y, first.layout(), ctx.outputDims());
  }

  private static boolean contains(OpContext ctx, long[] axes, int axis, int rank) {
    for (long a : axes) {
      if (ctx.axis(a, rank) == axis) {
        return true;
      }
    }
    return false;
  }
}
