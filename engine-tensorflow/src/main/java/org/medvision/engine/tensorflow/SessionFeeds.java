package org.medvision.engine.tensorflow;

import java.util.ArrayList;
import java.util.List;
import org.medvision.api.tensor.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The TensorFlow tensors made from host tensors for one session call, closed together when the call returns, so a
 * training step leaves no native tensor behind whatever fails.
 */
final class SessionFeeds implements AutoCloseable {
  private final List<org.tensorflow.Tensor> tensors = new ArrayList<>();

  /** A float32 feed holding a copy of {@code t}. */
  TFloat32 floats(Tensor t) {
    TFloat32 tf = HostTensors.toTensorFlow(t);
    tensors.add(tf);
    return tf;
  }

  /** An int64 feed holding a copy of {@code t}'s indices. */
  TInt64 longs(Tensor t) {
    TInt64 tf = TInt64.tensorOf(org.tensorflow.ndarray.Shape.of(t.shape().dims()),
        DataBuffers.of(t.toLongArray(), true, false));
    tensors.add(tf);
    return tf;
  }

  @Override
  public void close() {
    tensors.forEach(org.tensorflow.Tensor::close);
  }
}
