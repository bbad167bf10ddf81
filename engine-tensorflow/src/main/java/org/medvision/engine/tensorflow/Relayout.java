package org.medvision.engine.tensorflow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Moves lowered values between layouts. A change of layout that only moves extent-1 axes is a free Reshape; a stored
 * parameter is read from its storage in the new layout (laid out once, at compile time); any other change is a
 * Transpose, the copy the layout tracking exists to avoid.
 */
final class Relayout {
  private Relayout() {}

  /** {@code v} in the IR's own axis order. */
  static Placed logical(Ops tf, Placed v) {
    return to(tf, v, Layout.identity(v.rank()));
  }

  /** {@code v} stored in {@code target}, which must have the value's rank. */
  static Placed to(Ops tf, Placed v, Layout target) {
    Placed existing = v.view(target);
    if (existing != null) {
      return existing;
    }
    long[] to = target.physicalDims(v.dims());
    Operand<TFloat32> moved;
    if (onlyUnitAxesMove(v.layout(), target, v.dims()) && dynamicCount(to) <= 1) {
      moved = tf.reshape(v.operand(), tf.constant(replaceDynamic(to)));
    } else {
      Placed stored = v.storedIn(target);
      if (stored != null) {
        return stored;
      }
      moved = tf.linalg.transpose(v.operand(), tf.constant(v.layout().transposeTo(target)));
    }
    return v.withView(moved, target);
  }

  /**
   * {@code v} ready to combine elementwise (with numpy broadcasting) with values stored in {@code target}: a value of
   * lower rank is first given leading extent-1 axes, as broadcasting would, then stored in {@code target}. For the
   * identity target TensorFlow's own broadcasting does the first step, so the value only needs its own axis order.
   */
  static Placed broadcastTo(Ops tf, Placed v, Layout target) {
    int rank = target.rank();
    if (v.rank() == rank) {
      return to(tf, v, target);
    }
    Placed plain = logical(tf, v);
    if (target.isIdentity()) {
      return plain;
    }
    long[] dims = new long[rank];
    Arrays.fill(dims, 1L);
    System.arraycopy(v.dims(), 0, dims, rank - v.rank(), v.rank());
    Operand<TFloat32> expanded;
    if (dynamicCount(dims) <= 1) {
      expanded = tf.reshape(plain.operand(), tf.constant(replaceDynamic(dims)));
    } else {
      expanded = plain.operand();
      for (int i = v.rank(); i < rank; i++) {
        expanded = tf.expandDims(expanded, tf.constant(0));
      }
    }
    return to(tf, Placed.logical(expanded, dims), target);
  }

  /**
   * The layout binary elementwise ops compute in: that of the first full-rank operand not in the IR's order (so a
   * channels-last stream stays channels-last), else the IR's order.
   */
  static Layout common(List<Placed> operands) {
    int rank = 0;
    for (Placed p : operands) {
      rank = Math.max(rank, p.rank());
    }
    for (Placed p : operands) {
      if (p.rank() == rank && !p.layout().isIdentity()) {
        return p.layout();
      }
    }
    return Layout.identity(rank);
  }

  private static boolean onlyUnitAxesMove(Layout from, Layout to, long[] dims) {
    return nonUnitOrder(from, dims).equals(nonUnitOrder(to, dims));
  }

  private static List<Integer> nonUnitOrder(Layout layout, long[] dims) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < layout.rank(); i++) {
      int logical = layout.logicalAxis(i);
      if (dims[logical] != 1) {
        order.add(logical);
      }
    }
    return order;
  }

  static int dynamicCount(long[] dims) {
    int n = 0;
    for (long d : dims) {
      if (d < 0) {
        n++;
      }
    }
    return n;
  }

  private static long[] replaceDynamic(long[] dims) {
    long[] d = dims.clone();
    for (int i = 0; i < d.length; i++) {
      if (d[i] < 0) {
        d[i] = -1;
      }
    }
    return d;
  }
}
