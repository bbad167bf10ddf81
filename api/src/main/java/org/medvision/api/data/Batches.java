package org.medvision.api.data;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.MedvisionException;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/** Stacks examples into batches and splits batched outputs back into examples. */
public final class Batches {
  private Batches() {}

  /**
   * The tensors of {@code examples} stacked key by key along a new leading batch axis: a [d...] tensor becomes
   * [B, d...], a scalar becomes [B]. Every example must hold the same keys with the same dtypes and shapes.
   *
   * @throws MedvisionException naming the example and key that differ from the first example
   */
  public static Map<String, Tensor> collate(List<Example> examples) {
    if (examples.isEmpty()) {
      throw new MedvisionException("cannot collate an empty batch");
    }
    Example first = examples.get(0);
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : first.tensors().entrySet()) {
      Tensor head = e.getValue();
      for (Example x : examples) {
        Tensor t = x.tensors().get(e.getKey());
        if (t == null || t.dtype() != head.dtype() || !t.shape().equals(head.shape())) {
          throw new MedvisionException(x.where() + ": '" + e.getKey() + "' is "
              + (t == null ? "missing" : t.dtype() + "" + t.shape()) + " but the batch's first example ("
              + first.where() + ") has " + head.dtype() + head.shape()
              + "; every example of a batch needs the same keys and shapes");
        }
      }
      long[] dims = new long[head.shape().rank() + 1];
      dims[0] = examples.size();
      System.arraycopy(head.shape().dims(), 0, dims, 1, head.shape().rank());
      Shape batched = Shape.of(dims);
      if (examples.size() == 1) {
        // Tensors are immutable, so a batch of one shares its example's data instead of copying it.
        out.put(e.getKey(), head.reshape(batched));
      } else {
        String key = e.getKey();
        out.put(key, Tensor.write(head.dtype(), batched, data -> {
          for (Example x : examples) {
            data.put(x.tensors().get(key).data());
          }
        }));
      }
    }
    return out;
  }

  /**
   * Item {@code index} of a batched tensor: [B, d...] gives [d...].
   *
   * @throws MedvisionException if the tensor has no such batch row
   */
  public static Tensor row(Tensor batched, int index) {
    Shape s = batched.shape();
    if (s.rank() == 0 || index < 0 || index >= s.dim(0)) {
      throw new MedvisionException("batch row " + index + " of a tensor of shape " + s);
    }
    long[] dims = new long[s.rank() - 1];
    System.arraycopy(s.dims(), 1, dims, 0, dims.length);
    int per = batched.byteSize() / (int) s.dim(0);
    ByteBuffer all = batched.data();
    ByteBuffer slice = all.duplicate();
    slice.position(all.position() + index * per).limit(all.position() + (index + 1) * per);
    return Tensor.fromBytes(batched.dtype(), Shape.of(dims), slice.slice());
  }
}
