package org.medvision.engine.tensorflow;

import java.nio.FloatBuffer;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Copies between host tensors and TensorFlow tensors. Both hold little-endian data on the platforms
 * TensorFlow Java ships for (x86-64, aarch64), so the copy is of raw bytes.
 */
final class HostTensors {
  private HostTensors() {}

  /** A new TensorFlow tensor holding a copy of {@code t}, which must be float32; the caller closes it. */
  static TFloat32 toTensorFlow(Tensor t) {
    return org.tensorflow.Tensor.of(TFloat32.class, org.tensorflow.ndarray.Shape.of(t.shape().dims()),
        DataBuffers.of(t.toByteArray(), true, false));
  }

  /**
   * A new TensorFlow tensor holding {@code t}, which must be float32, stored in {@code layout}: physical axis
   * {@code i} of the result is axis {@code layout.logicalAxis(i)} of {@code t}. The caller closes it.
   */
  static TFloat32 toTensorFlow(Tensor t, Layout layout) {
    if (layout.isIdentity()) {
      return toTensorFlow(t);
    }
    long[] dims = t.shape().dims();
    int rank = dims.length;
    long[] strides = new long[rank];
    long stride = 1;
    for (int i = rank - 1; i >= 0; i--) {
      strides[i] = stride;
      stride *= dims[i];
    }
    int[] perm = layout.permutation();
    long[] outDims = layout.physicalDims(dims);
    long[] step = new long[rank];
    for (int i = 0; i < rank; i++) {
      step[i] = strides[perm[i]];
    }
    FloatBuffer src = t.data().asFloatBuffer();
    float[] out = new float[Math.toIntExact(t.size())];
    long[] index = new long[rank];
    long from = 0;
    for (int o = 0; o < out.length; o++) {
      out[o] = src.get((int) from);
      // Odometer over the output's axes; the source position follows by each axis' source stride.
      for (int a = rank - 1; a >= 0; a--) {
        index[a]++;
        from += step[a];
        if (index[a] < outDims[a]) {
          break;
        }
        from -= step[a] * outDims[a];
        index[a] = 0;
      }
    }
    return TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(outDims), DataBuffers.of(out, true, false));
  }

  /** A new TensorFlow tensor holding a copy of {@code t}, float32 or int64; the caller closes it. */
  static org.tensorflow.Tensor toTensorFlowAny(Tensor t) {
    if (t.dtype() == DType.INT64) {
      return org.tensorflow.Tensor.of(TInt64.class, org.tensorflow.ndarray.Shape.of(t.shape().dims()),
          DataBuffers.of(t.toByteArray(), true, false));
    }
    return toTensorFlow(t);
  }

  /** A host copy of a float32 TensorFlow tensor. */
  static Tensor toHost(org.tensorflow.Tensor t) {
    byte[] bytes = new byte[Math.toIntExact(t.numBytes())];
    t.asRawTensor().data().read(bytes);
    return Tensor.fromBytes(DType.FLOAT32, Shape.of(t.shape().asArray()), bytes);
  }
}
