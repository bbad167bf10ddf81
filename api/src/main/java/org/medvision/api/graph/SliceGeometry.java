package org.medvision.api.graph;

import java.util.Arrays;

/**
 * The attributes of a {@link Op#SLICE} node checked and resolved against the input's rank: one entry per sliced axis,
 * with axes made non-negative and steps defaulted to 1, and the rule that turns a start and an end into the elements
 * kept on an axis of known extent.
 *
 * @param axes the sliced input axes, each in [0, rank), none twice
 * @param starts the start per sliced axis, as given (negative counts from the end)
 * @param ends the end (exclusive) per sliced axis, as given
 * @param steps the step per sliced axis, each at least 1
 */
public record SliceGeometry(int[] axes, long[] starts, long[] ends, long[] steps) {
  /** Copies the arrays. */
  public SliceGeometry {
    axes = axes.clone();
    starts = starts.clone();
    ends = ends.clone();
    steps = steps.clone();
  }

  /**
   * Reads {@code node}'s starts, ends, axes and steps for an input of rank {@code rank}.
   *
   * @throws GraphValidationException naming the node when the lists differ in length, an axis is out of range or
   *     given twice, or a step is not positive
   */
  public static SliceGeometry of(Node node, int rank) {
    Attributes a = node.attributes();
    long[] starts = a.getInts("starts");
    long[] ends = a.getInts("ends");
    int n = starts.length;
    if (ends.length != n) {
      throw fail(node, "starts " + Arrays.toString(starts) + " and ends " + Arrays.toString(ends)
          + " differ in length");
    }
    long[] givenAxes = a.findInts("axes").orElse(null);
    if (givenAxes != null && givenAxes.length != n) {
      throw fail(node, "axes " + Arrays.toString(givenAxes) + " and starts " + Arrays.toString(starts)
          + " differ in length");
    }
    long[] steps = a.findInts("steps").orElse(null);
    if (steps == null) {
      steps = new long[n];
      Arrays.fill(steps, 1);
    } else if (steps.length != n) {
      throw fail(node, "steps " + Arrays.toString(steps) + " and starts " + Arrays.toString(starts)
          + " differ in length");
    }
    int[] axes = new int[n];
    boolean[] seen = new boolean[rank];
    for (int i = 0; i < n; i++) {
      long axis = givenAxes == null ? i : givenAxes[i];
      if (axis < -rank || axis >= rank) {
        throw fail(node, "axis " + axis + " is out of range for an input of rank " + rank);
      }
      axes[i] = (int) (axis < 0 ? axis + rank : axis);
      if (seen[axes[i]]) {
        throw fail(node, "axis " + axis + " is sliced twice");
      }
      seen[axes[i]] = true;
      if (steps[i] < 1) {
        throw fail(node, "step " + steps[i] + " on axis " + axis + " is not positive; the IR's slice takes "
            + "positive steps only");
      }
    }
    return new SliceGeometry(axes, starts, ends, steps);
  }

  /** The position of input axis {@code axis} in {@link #axes()}, or -1 when it is not sliced. */
  public int indexOf(int axis) {
    for (int i = 0; i < axes.length; i++) {
      if (axes[i] == axis) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The first element kept by the {@code i}-th sliced axis on an extent of {@code extent}: the start, plus the
   * extent when negative, clamped to [0, extent].
   */
  public long begin(int i, long extent) {
    return clamp(starts[i], extent);
  }

  /** The end (exclusive) of the {@code i}-th sliced axis on an extent of {@code extent}, resolved like the start. */
  public long end(int i, long extent) {
    return clamp(ends[i], extent);
  }

  /** How many elements the {@code i}-th sliced axis keeps of an extent of {@code extent} (possibly 0). */
  public long count(int i, long extent) {
    long span = end(i, extent) - begin(i, extent);
    return span <= 0 ? 0 : (span + steps[i] - 1) / steps[i];
  }

  private static long clamp(long bound, long extent) {
    long b = bound < 0 ? bound + extent : bound;
    return Math.max(0, Math.min(extent, b));
  }

  private static GraphValidationException fail(Node node, String message) {
    return new GraphValidationException("node '" + node.name() + "' (" + node.op().irName() + "): " + message);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SliceGeometry s && Arrays.equals(axes, s.axes) && Arrays.equals(starts, s.starts)
        && Arrays.equals(ends, s.ends) && Arrays.equals(steps, s.steps);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(axes) * 31 * 31 * 31 + Arrays.hashCode(starts) * 31 * 31 + Arrays.hashCode(ends) * 31
        + Arrays.hashCode(steps);
  }

  @Override
  public String toString() {
    return "SliceGeometry[axes=" + Arrays.toString(axes) + ", starts=" + Arrays.toString(starts) + ", ends="
        + Arrays.toString(ends) + ", steps=" + Arrays.toString(steps) + "]";
  }
}
