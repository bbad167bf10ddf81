package org.medvision.engine.onnx.importer;

import java.util.Arrays;
import java.util.Optional;
import org.medvision.api.tensor.Shape;

/**
 * Turns ONNX's {@code auto_pad} into the explicit {@code pads} the IR uses. SAME padding depends on the input size
 * only through the stride: with stride 1 the total pad is the dilated kernel extent minus one whatever the size, so
 * dynamic spatial sizes are fine there; larger strides need the size to be known.
 */
final class AutoPad {
  private AutoPad() {}

  /**
   * The IR pads for a convolution or pooling node.
   *
   * @param mode the {@code auto_pad} value (NOTSET when absent)
   * @param explicit the {@code pads} attribute, if set
   * @param x the data input's shape [N, C, spatial...]
   * @param kernel the kernel extent per spatial axis
   * @param strides stride per spatial axis, or null for all 1
   * @param dilations dilation per spatial axis, or null for all 1
   * @param where the node, for messages
   * @return the pads to set, or empty to leave them unset (all zero)
   */
  static Optional<long[]> resolve(String mode, Optional<long[]> explicit, Shape x, long[] kernel, long[] strides,
      long[] dilations, String where) {
    switch (mode) {
      case "NOTSET":
        return explicit;
      case "VALID":
        if (explicit.isPresent() && Arrays.stream(explicit.get()).anyMatch(p -> p != 0)) {
          throw new OnnxImportException(where + " sets both auto_pad VALID and pads "
              + Arrays.toString(explicit.get()));
        }
        return Optional.empty();
      case "SAME_UPPER": case "SAME_LOWER":
        return Optional.of(same(mode.equals("SAME_UPPER"), x, kernel, strides, dilations, where));
      default:
        throw new UnsupportedOnnxException(where + ": auto_pad '" + mode + "' is not one of NOTSET, VALID, "
            + "SAME_UPPER, SAME_LOWER");
    }
  }

  private static long[] same(boolean upper, Shape x, long[] kernel, long[] strides, long[] dilations, String where) {
    int n = kernel.length;
    if (x.rank() != n + 2) {
      throw new OnnxImportException(where + ": input " + x + " does not have " + n + " spatial axes for kernel "
          + Arrays.toString(kernel));
    }
    long[] pads = new long[2 * n];
    for (int i = 0; i < n; i++) {
      long s = strides == null ? 1 : strides[i];
      long d = dilations == null ? 1 : dilations[i];
      long extent = d * (kernel[i] - 1) + 1;
      long in = x.dim(i + 2);
      long total;
      if (s == 1) {
        total = extent - 1;
      } else if (in == Shape.DYNAMIC) {
        throw new UnsupportedOnnxException(where + ": auto_pad " + (upper ? "SAME_UPPER" : "SAME_LOWER")
            + " with stride " + s + " needs a known size for spatial axis " + i + " of input " + x
            + "; give the input a static shape");
      } else {
        long out = (in + s - 1) / s;
        total = Math.max(0, (out - 1) * s + extent - in);
      }
      // ONNX puts the odd pixel at the end for SAME_UPPER and at the beginning for SAME_LOWER.
      long small = total / 2;
      pads[i] = upper ? small : total - small;
      pads[i + n] = total - pads[i];
    }
    return pads;
  }
}
