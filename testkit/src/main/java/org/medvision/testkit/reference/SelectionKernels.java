package org.medvision.testkit.reference;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.medvision.api.MedvisionException;

/**
 * Ops that select or reduce elements: ONNX {@code Gather}, {@code Slice} (positive steps) and
 * {@code ReduceSum}/{@code ReduceMean}. Shapes and the clamping of slice bounds are derived here from the attributes,
 * independently of the api's shape inference and {@link org.medvision.api.graph.SliceGeometry}, so the interpreter
 * cross-checks them. Sums are accumulated in double and rounded once.
 */
final class SelectionKernels {
  private SelectionKernels() {}

  /**
   * Gather along {@code axis} (already non-negative) with {@code indices} holding exact integers (int64 inputs read
   * as floats): output[outer, j, inner] = data[outer, idx[j], inner], a negative index counting from the end.
   *
   * @param indicesName the graph value holding the indices, for the message
   * @throws MedvisionException for an index outside [−n, n)
   */
  static NdArray gather(NdArray data, NdArray indices, int axis, String indicesName) {
    int n = data.shape[axis];
    int outer = NdArray.product(data.shape, 0, axis);
    int inner = NdArray.product(data.shape, axis + 1, data.rank());
    int[] shape = new int[data.rank() - 1 + indices.rank()];
    System.arraycopy(data.shape, 0, shape, 0, axis);
    System.arraycopy(indices.shape, 0, shape, axis, indices.rank());
    System.arraycopy(data.shape, axis + 1, shape, axis + indices.rank(), data.rank() - axis - 1);
    int count = indices.size();
    int[] rows = new int[count];
    for (int j = 0; j < count; j++) {
      long index = (long) indices.data[j];
      if (index != indices.data[j] || index < -n || index >= n) {
        String shown = index == indices.data[j] ? Long.toString(index) : Float.toString(indices.data[j]);
        throw new MedvisionException("indices '" + indicesName + "' hold index " + shown + " at element " + j
            + ", outside [" + -n + ", " + n + ") for axis " + axis + " of data " + Arrays.toString(data.shape));
      }
      rows[j] = (int) (index < 0 ? index + n : index);
    }
    float[] out = new float[NdArray.size(shape)];
    for (int o = 0; o < outer; o++) {
      for (int j = 0; j < count; j++) {
        System.arraycopy(data.data, (o * n + rows[j]) * inner, out, (o * count + j) * inner, inner);
      }
    }
    return new NdArray(shape, out);
  }

  /**
   * Slice of {@code x}: axis {@code axes[k]} keeps start, start + step, ... before end, where negative bounds count
   * from the end and are then clamped to [0, extent].
   *
   * @param axes the sliced axes (possibly negative), or null for 0, 1, ...
   * @param steps the steps (each positive), or null for all 1
   */
  static NdArray slice(NdArray x, long[] starts, long[] ends, long[] axes, long[] steps) {
    int r = x.rank();
    int[] begin = new int[r];
    int[] step = new int[r];
    int[] shape = x.shape.clone();
    Arrays.fill(step, 1);
    for (int k = 0; k < starts.length; k++) {
      int axis = LayoutKernels.normalize(axes == null ? k : axes[k], r);
      long s = steps == null ? 1 : steps[k];
      if (s < 1) {
        throw new MedvisionException("step " + s + " is not positive");
      }
      long extent = x.shape[axis];
      long from = Math.max(0, Math.min(extent, starts[k] < 0 ? starts[k] + extent : starts[k]));
      long to = Math.max(0, Math.min(extent, ends[k] < 0 ? ends[k] + extent : ends[k]));
      begin[axis] = (int) from;
      step[axis] = (int) Math.min(s, extent + 1);
      shape[axis] = to <= from ? 0 : (int) ((to - from + s - 1) / s);
    }
    int[] strides = NdArray.strides(x.shape);
    int[] read = new int[r];
    int base = 0;
    for (int i = 0; i < r; i++) {
      read[i] = strides[i] * step[i];
      base += strides[i] * begin[i];
    }
    float[] out = new float[NdArray.size(shape)];
    StridedIndex it = new StridedIndex(shape, read);
    for (int i = 0; i < out.length; i++) {
      out[i] = x.data[base + it.offset(0)];
      it.next();
    }
    return new NdArray(shape, out);
  }

  /**
   * Sum (or mean, when {@code mean}) over {@code axes} (possibly negative; null or empty for every axis), keeping
   * them as extent 1 when {@code keepDims}.
   */
  static NdArray reduce(NdArray x, long[] axes, boolean keepDims, boolean mean) {
    int r = x.rank();
    boolean[] reduced = new boolean[r];
    if (axes == null || axes.length == 0) {
      Arrays.fill(reduced, true);
    } else {
      for (long a : axes) {
        reduced[LayoutKernels.normalize(a, r)] = true;
      }
    }
    int[] kept = new int[r];
    int[] keptStrides = new int[r];
    int stride = 1;
    for (int i = r - 1; i >= 0; i--) {
      kept[i] = reduced[i] ? 1 : x.shape[i];
      keptStrides[i] = reduced[i] ? 0 : stride;
      stride *= kept[i];
    }
    double[] sums = new double[NdArray.size(kept)];
    StridedIndex it = new StridedIndex(x.shape, keptStrides);
    for (int i = 0; i < x.size(); i++) {
      sums[it.offset(0)] += x.data[i];
      it.next();
    }
    double count = sums.length == 0 ? 1 : (double) x.size() / sums.length;
    float[] out = new float[sums.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (mean ? sums[i] / count : sums[i]);
    }
    int[] shape = keepDims ? kept : axesKept(x.shape, reduced);
    return new NdArray(shape, out);
  }

  private static int[] axesKept(int[] shape, boolean[] reduced) {
    return IntStream.range(0, shape.length).filter(i -> !reduced[i]).map(i -> shape[i]).toArray();
  }
}
