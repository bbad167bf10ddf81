package org.medvision.api.graph;

import java.util.Arrays;

/**
 * The axes a {@link Op#REDUCE_SUM} or {@link Op#REDUCE_MEAN} node reduces, checked and resolved against the input's
 * rank, and whether they are kept as extent 1.
 *
 * @param reduced for each input axis, whether it is reduced (all of them when the node's {@code axes} are absent or
 *     empty)
 * @param keepDims whether reduced axes stay as extent 1 ({@code keepdims} 1) or are removed (0)
 */
public record ReductionAxes(boolean[] reduced, boolean keepDims) {
  /** Copies the array. */
  public ReductionAxes {
    reduced = reduced.clone();
  }

  /**
   * Reads {@code node}'s axes and keepdims for an input of rank {@code rank}.
   *
   * @throws GraphValidationException naming the node when an axis is out of range or given twice, or keepdims is
   *     neither 0 nor 1
   */
  public static ReductionAxes of(Node node, int rank) {
    long keep = node.attributes().getInt("keepdims");
    if (keep != 0 && keep != 1) {
      throw fail(node, "keepdims must be 0 or 1, got " + keep);
    }
    boolean[] reduced = new boolean[rank];
    long[] axes = node.attributes().findInts("axes").orElse(null);
    if (axes == null || axes.length == 0) {
      Arrays.fill(reduced, true);
    } else {
      for (long axis : axes) {
        if (axis < -rank || axis >= rank) {
          throw fail(node, "axis " + axis + " is out of range for an input of rank " + rank);
        }
        int a = (int) (axis < 0 ? axis + rank : axis);
        if (reduced[a]) {
          throw fail(node, "axis " + axis + " is reduced twice");
        }
        reduced[a] = true;
      }
    }
    return new ReductionAxes(reduced, keep == 1);
  }

  /** The reduced axes in increasing order. */
  public int[] axes() {
    int n = 0;
    for (boolean r : reduced) {
      n += r ? 1 : 0;
    }
    int[] out = new int[n];
    int k = 0;
    for (int i = 0; i < reduced.length; i++) {
      if (reduced[i]) {
        out[k++] = i;
      }
    }
    return out;
  }

  /** Whether input axis {@code axis} is reduced. */
  public boolean isReduced(int axis) {
    return reduced[axis];
  }

  private static GraphValidationException fail(Node node, String message) {
    return new GraphValidationException("node '" + node.name() + "' (" + node.op().irName() + "): " + message);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReductionAxes r && Arrays.equals(reduced, r.reduced) && keepDims == r.keepDims;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(reduced) * 2 + (keepDims ? 1 : 0);
  }

  @Override
  public String toString() {
    return "ReductionAxes[axes=" + Arrays.toString(axes()) + ", keepDims=" + keepDims + "]";
  }
}
