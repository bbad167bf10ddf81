package org.medvision.testkit.reference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.medvision.api.MedvisionException;

/**
 * Ops that only move or relabel elements: {@code Reshape}, {@code Transpose}, {@code Concat}, {@code Squeeze},
 * {@code Unsqueeze} and {@code Flatten}. Shapes are derived here from the attributes, independently of the api's
 * shape inference, so the interpreter can cross-check it.
 */
final class LayoutKernels {
  private LayoutKernels() {}

  /** Reshape to {@code target}, where 0 copies the input extent at that position and one -1 is inferred. */
  static NdArray reshape(NdArray x, long[] target) {
    int[] shape = new int[target.length];
    int inferred = -1;
    int known = 1;
    for (int i = 0; i < target.length; i++) {
      if (target[i] == -1) {
        if (inferred >= 0) {
          throw new MedvisionException("reshape target " + Arrays.toString(target) + " has more than one -1");
        }
        inferred = i;
        continue;
      }
      if (target[i] == 0 && i >= x.rank()) {
        throw new MedvisionException("reshape target " + Arrays.toString(target) + " copies axis " + i
            + " that input " + Arrays.toString(x.shape) + " lacks");
      }
      shape[i] = target[i] == 0 ? x.shape[i] : Math.toIntExact(target[i]);
      known *= shape[i];
    }
    if (inferred >= 0) {
      if (known == 0 || x.size() % known != 0) {
        throw new MedvisionException(
            "cannot reshape " + Arrays.toString(x.shape) + " to " + Arrays.toString(target));
      }
      shape[inferred] = x.size() / known;
    }
    if (NdArray.size(shape) != x.size()) {
      throw new MedvisionException("cannot reshape " + Arrays.toString(x.shape) + " to " + Arrays.toString(target));
    }
    return x.withShape(shape);
  }

  /** Transpose so that output axis i is input axis {@code perm[i]}; null reverses the axes. */
  static NdArray transpose(NdArray x, long[] perm) {
    int r = x.rank();
    int[] p = new int[r];
    for (int i = 0; i < r; i++) {
      p[i] = perm == null ? r - 1 - i : Math.toIntExact(perm[i]);
    }
    int[] inStrides = NdArray.strides(x.shape);
    int[] shape = new int[r];
    int[] readStrides = new int[r];
    for (int i = 0; i < r; i++) {
      shape[i] = x.shape[p[i]];
      readStrides[i] = inStrides[p[i]];
    }
    float[] out = new float[x.size()];
    StridedIndex it = new StridedIndex(shape, readStrides);
    for (int i = 0; i < out.length; i++) {
      out[i] = x.data[it.offset(0)];
      it.next();
    }
    return new NdArray(shape, out);
  }

  /** Concatenation along {@code axis} (already non-negative). */
  static NdArray concat(List<NdArray> parts, int axis) {
    int[] shape = parts.get(0).shape.clone();
    shape[axis] = 0;
    for (NdArray part : parts) {
      shape[axis] += part.shape[axis];
    }
    int outer = NdArray.product(shape, 0, axis);
    int inner = NdArray.product(shape, axis + 1, shape.length);
    float[] out = new float[NdArray.size(shape)];
    int rowLength = shape[axis] * inner;
    int offsetInRow = 0;
    for (NdArray part : parts) {
      int chunk = part.shape[axis] * inner;
      for (int o = 0; o < outer; o++) {
        System.arraycopy(part.data, o * chunk, out, o * rowLength + offsetInRow, chunk);
      }
      offsetInRow += chunk;
    }
    return new NdArray(shape, out);
  }

  /** Removes the listed axes (each of extent 1), or every axis of extent 1 when {@code axes} is null. */
  static NdArray squeeze(NdArray x, long[] axes) {
    boolean[] drop = new boolean[x.rank()];
    if (axes == null) {
      for (int i = 0; i < drop.length; i++) {
        drop[i] = x.shape[i] == 1;
      }
    } else {
      for (long a : axes) {
        int i = normalize(a, x.rank());
        if (x.shape[i] != 1) {
          throw new MedvisionException("cannot squeeze axis " + a + " of " + Arrays.toString(x.shape));
        }
        drop[i] = true;
      }
    }
    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < drop.length; i++) {
      if (!drop[i]) {
        kept.add(x.shape[i]);
      }
    }
    return x.withShape(kept.stream().mapToInt(Integer::intValue).toArray());
  }

  /** Inserts axes of extent 1 at the listed positions of the output. */
  static NdArray unsqueeze(NdArray x, long[] axes) {
    int r = x.rank() + axes.length;
    boolean[] inserted = new boolean[r];
    for (long a : axes) {
      inserted[normalize(a, r)] = true;
    }
    int[] shape = new int[r];
    int src = 0;
    for (int i = 0; i < r; i++) {
      shape[i] = inserted[i] ? 1 : x.shape[src++];
    }
    return x.withShape(shape);
  }

  /** Flattens to [prod(d0..axis−1), prod(axis..)]; {@code axis} may equal the rank (or −rank). */
  static NdArray flatten(NdArray x, long axis) {
    int a = (int) (axis < 0 ? axis + x.rank() : axis);
    return x.withShape(new int[] {NdArray.product(x.shape, 0, a), NdArray.product(x.shape, a, x.rank())});
  }

  /** {@code axis} mapped to [0, rank). */
  static int normalize(long axis, int rank) {
    long a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      throw new MedvisionException("axis " + axis + " is out of range for rank " + rank);
    }
    return (int) a;
  }
}
