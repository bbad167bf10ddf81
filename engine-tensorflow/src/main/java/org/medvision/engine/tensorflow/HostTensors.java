package org.medvision.engine.tensorflow;

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
