package org.medvision.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.medvision.api.engine.EngineException;
import org.medvision.api.graph.Attributes;

/** The shape ops: Reshape, Transpose, Concat, Squeeze, Unsqueeze and Flatten with ONNX's axis rules. */
final class LayoutKernels {
  private LayoutKernels() {}

  /** ONNX Reshape: 0 copies the input dimension at that position, −1 is inferred. */
  static NDArray reshape(OpContext ctx, NDArray x) {
    long[] target = ctx.node().attributes().getInts("shape");
    long[] in = x.getShape().getShape();
    for (int i = 0; i < target.length; i++) {
      if (target[i] == 0) {
        if (i >= in.length) {
          throw new EngineException(ctx.where() + ": shape " + Arrays.toString(target) + " copies dimension " + i
              + " from an input of rank " + in.length);
        }
        target[i] = in[i];
      }
    }
    return x.reshape(new Shape(target));
  }

  /** ONNX Transpose; no perm reverses the axes. */
  static NDArray transpose(OpContext ctx, NDArray x) {
    int rank = x.getShape().dimension();
    long[] perm = ctx.node().attributes().findInts("perm").orElse(null);
    if (perm == null) {
      return x.transpose();
    }
    if (perm.length != rank) {
      throw new EngineException(ctx.where() + ": perm " + Arrays.toString(perm) + " does not fit rank " + rank);
    }
    int[] axes = new int[rank];
    for (int i = 0; i < rank; i++) {
      axes[i] = GraphInterpreter.normalize(perm[i], rank, ctx);
    }
    return x.transpose(axes);
  }

  /** ONNX Concat along one axis. */
  static NDArray concat(OpContext ctx, List<NDArray> in) {
    if (in.size() == 1) {
      return in.get(0);
    }
    int axis = GraphInterpreter.normalize(ctx.node().attributes().getInt("axis"), in.get(0).getShape().dimension(),
        ctx);
    return NDArrays.concat(new NDList(in), axis);
  }

  /** ONNX Squeeze; no axes removes every extent-1 axis. */
  static NDArray squeeze(OpContext ctx, NDArray x) {
    int rank = x.getShape().dimension();
    long[] given = ctx.node().attributes().findInts("axes").orElse(null);
    List<Integer> axes = new ArrayList<>();
    if (given == null) {
      for (int i = 0; i < rank; i++) {
        if (x.getShape().get(i) == 1) {
          axes.add(i);
        }
      }
    } else {
      for (long a : given) {
        int axis = GraphInterpreter.normalize(a, rank, ctx);
        if (x.getShape().get(axis) != 1) {
          throw new EngineException(ctx.where() + ": cannot squeeze axis " + a + " of extent "
              + x.getShape().get(axis) + " in shape " + x.getShape());
        }
        axes.add(axis);
      }
    }
    return axes.isEmpty() ? x : x.squeeze(axes.stream().mapToInt(Integer::intValue).toArray());
  }

  /** ONNX Unsqueeze: axes are positions in the output. */
  static NDArray unsqueeze(OpContext ctx, NDArray x) {
    long[] given = ctx.node().attributes().getInts("axes");
    int outRank = x.getShape().dimension() + given.length;
    int[] axes = new int[given.length];
    for (int i = 0; i < given.length; i++) {
      axes[i] = GraphInterpreter.normalize(given[i], outRank, ctx);
    }
    Arrays.sort(axes);
    NDArray y = x;
    for (int axis : axes) {
      y = y.expandDims(axis);
    }
    return y;
  }

  /** ONNX Flatten to [prod(d0..axis−1), prod(axis..)]; axis may equal the rank. */
  static NDArray flatten(OpContext ctx, NDArray x) {
    Attributes a = ctx.node().attributes();
    int rank = x.getShape().dimension();
    long axis = a.getInt("axis");
    int split = (int) (axis < 0 ? axis + rank : axis);
    if (split < 0 || split > rank) {
      throw new EngineException(ctx.where() + ": axis " + axis + " is out of range for rank " + rank);
    }
    long outer = 1;
    for (int i = 0; i < split; i++) {
      outer *= x.getShape().get(i);
    }
    long inner = 1;
    for (int i = split; i < rank; i++) {
      inner *= x.getShape().get(i);
    }
    return x.reshape(outer, inner);
  }
}
