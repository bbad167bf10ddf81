package org.medvision.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.index.NDIndex;
import java.util.function.Supplier;
import org.medvision.api.engine.EngineException;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.GraphValidationException;
import org.medvision.api.graph.ReductionAxes;
import org.medvision.api.graph.SliceGeometry;

/**
 * Gather, slice, the reductions and clip as libtorch indexing and reductions, all differentiable: gather is advanced
 * indexing ({@code x[:, idx]}), whose backward adds into the rows read, so repeated indices accumulate.
 */
final class SelectionKernels {
  private SelectionKernels() {}

  /**
   * ONNX Gather: libtorch's advanced indexing with one index array at {@code axis} has exactly its shape rule and
   * takes negative indices from the end; an index out of range is an error there (and is checked on the host first).
   */
  static NDArray gather(OpContext ctx, NDArray data, NDArray indices) {
    int rank = data.getShape().dimension();
    int axis = GraphInterpreter.normalize(ctx.node().attributes().getInt("axis"), rank, ctx);
    return data.get(new NDIndex(":, ".repeat(axis) + "{}", indices));
  }

  /** ONNX Slice with positive steps: bounds resolved against the actual extents, then a strided view. */
  static NDArray slice(OpContext ctx, NDArray x) {
    int rank = x.getShape().dimension();
    SliceGeometry g = geometry(ctx, () -> SliceGeometry.of(ctx.node(), rank));
    NDIndex index = new NDIndex();
    for (int axis = 0; axis < rank; axis++) {
      int i = g.indexOf(axis);
      long extent = x.getShape().get(axis);
      if (i < 0) {
        index.addAllDim();
      } else if (g.count(i, extent) == 0) {
        throw new EngineException(ctx.where() + ": keeps no element of axis " + axis + " of extent " + extent);
      } else {
        index.addSliceDim(g.begin(i, extent), g.end(i, extent), g.steps()[i]);
      }
    }
    return x.get(index);
  }

  /**
   * ONNX ReduceSum or ReduceMean ({@code mean}). The mean is the sum divided by the count of reduced elements, since
   * DJL's {@code mean(int[], boolean)} takes one axis only.
   */
  static NDArray reduce(OpContext ctx, NDArray x, boolean mean) {
    int rank = x.getShape().dimension();
    if (rank == 0) {
      return x.sum();
    }
    ReductionAxes r = geometry(ctx, () -> ReductionAxes.of(ctx.node(), rank));
    NDArray sum = x.sum(r.axes(), r.keepDims());
    if (!mean) {
      return sum;
    }
    long count = 1;
    for (int axis : r.axes()) {
      count *= x.getShape().get(axis);
    }
    return Scalars.div(sum, count);
  }

  /**
   * ONNX Clip with PyTorch's clamp gradient (1 where min ≤ x ≤ max, bounds included): each finite bound replaces the
   * elements beyond it through {@code where}, whose gradient reaches x exactly where x was kept. Not DJL's
   * {@code clip(Number, Number)}: it hands libtorch the bounds in memory DJL frees after the call, while autograd keeps
   * them for the backward pass (see {@link Scalars}).
   */
  static NDArray clip(OpContext ctx, NDArray x) {
    Attributes a = ctx.node().attributes();
    float min = a.getFloat("min");
    float max = a.getFloat("max");
    NDArray y = x;
    // DJL's where wants operands of the condition's shape: the bound is expanded (a view, no copy) to x's.
    if (!Float.isInfinite(min)) {
      NDArray bound = Scalars.like(x, min).broadcast(x.getShape());
      y = NDArrays.where(y.lt(bound), bound, y);
    }
    if (!Float.isInfinite(max)) {
      NDArray bound = Scalars.like(x, max).broadcast(x.getShape());
      y = NDArrays.where(y.gt(bound), bound, y);
    }
    return y;
  }

  private static <T> T geometry(OpContext ctx, Supplier<T> read) {
    try {
      return read.get();
    } catch (GraphValidationException e) {
      throw new EngineException(ctx.where() + ": " + e.getMessage(), e);
    }
  }
}
