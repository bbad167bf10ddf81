package org.medvision.api.graph;

import static org.medvision.api.tensor.Shape.DYNAMIC;

import java.util.ArrayList;
import java.util.List;
import org.medvision.api.tensor.Shape;

/**
 * Shape rules of the ops that select or reduce elements (gather, slice, the reductions) and the attribute checks of
 * clip, kept apart from {@link ShapeInference}'s layer ops.
 */
final class SelectionShapes {
  private SelectionShapes() {}

  /** GATHER: data.shape[:axis] + indices.shape + data.shape[axis+1:]. */
  static Shape gather(Node node, Shape data, Shape indices) {
    int r = data.rank();
    if (r == 0) {
      throw fail(node, "data must have rank at least 1, got a scalar");
    }
    long axisAttr = node.attributes().getInt("axis");
    if (axisAttr < -r || axisAttr >= r) {
      throw fail(node, "axis " + axisAttr + " is out of range for data " + data);
    }
    int axis = (int) (axisAttr < 0 ? axisAttr + r : axisAttr);
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < axis; i++) {
      out.add(data.dim(i));
    }
    for (long d : indices.dims()) {
      out.add(d);
    }
    for (int i = axis + 1; i < r; i++) {
      out.add(data.dim(i));
    }
    return Shape.of(out.stream().mapToLong(Long::longValue).toArray());
  }

  /** SLICE: the kept count on each sliced axis of known extent, which must not be 0; dynamic extents stay dynamic. */
  static Shape slice(Node node, Shape x) {
    SliceGeometry g = SliceGeometry.of(node, x.rank());
    long[] out = x.dims();
    for (int i = 0; i < g.axes().length; i++) {
      int axis = g.axes()[i];
      if (out[axis] == DYNAMIC) {
        continue;
      }
      out[axis] = g.count(i, x.dim(axis));
      if (out[axis] == 0) {
        throw fail(node, "keeps no element of axis " + axis + " of input " + x + " (start " + g.starts()[i]
            + ", end " + g.ends()[i] + ")");
      }
    }
    return Shape.of(out);
  }

  /** REDUCE_SUM and REDUCE_MEAN: reduced axes become 1 or disappear. */
  static Shape reduce(Node node, Shape x) {
    ReductionAxes r = ReductionAxes.of(node, x.rank());
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < x.rank(); i++) {
      if (!r.isReduced(i)) {
        out.add(x.dim(i));
      } else if (r.keepDims()) {
        out.add(1L);
      }
    }
    return Shape.of(out.stream().mapToLong(Long::longValue).toArray());
  }

  /** CLIP: bounds that are numbers, the lower not above the upper; the shape is the input's. */
  static Shape clip(Node node, Shape x) {
    float min = node.attributes().getFloat("min");
    float max = node.attributes().getFloat("max");
    if (Float.isNaN(min) || Float.isNaN(max)) {
      throw fail(node, "min " + min + " and max " + max + " must not be NaN");
    }
    if (min > max) {
      throw fail(node, "min " + min + " exceeds max " + max);
    }
    return x;
  }

  private static GraphValidationException fail(Node node, String message) {
    return new GraphValidationException("node '" + node.name() + "' (" + node.op().irName() + "): " + message);
  }
}
