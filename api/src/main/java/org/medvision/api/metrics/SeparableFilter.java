package org.medvision.api.metrics;

/**
 * Correlation of an N-D row-major array with the same 1-D kernel along every axis, keeping only the positions
 * where the kernel lies wholly inside the array ("valid" mode).
 *
 * <p>An axis of length n shrinks to {@code n - w + 1}; output index j along it holds the window centred on input
 * index {@code j + (w - 1) / 2}. SSIM only averages those interior positions, so no boundary rule is ever needed
 * and the result does not depend on the padding mode a full-size filter would use.
 */
final class SeparableFilter {
  private SeparableFilter() {
  }

  /** The shape after valid filtering with a kernel of width {@code width}. */
  static int[] validShape(int[] shape, int width) {
    int[] out = new int[shape.length];
    for (int d = 0; d < shape.length; d++) {
      out[d] = shape[d] - width + 1;
    }
    return out;
  }

  /**
   * Filters {@code data} of {@code shape} with {@code kernel} along each axis in turn.
   *
   * @param data values in row-major order (last axis fastest)
   * @param shape extent of each axis, each at least {@code kernel.length}
   * @param kernel the 1-D weights, applied as {@code out[j] = sum_t kernel[t] * in[j + t]}
   * @return the values on {@link #validShape}, row-major
   */
  static double[] valid(double[] data, int[] shape, double[] kernel) {
    int w = kernel.length;
    double[] current = data;
    int[] currentShape = shape.clone();
    for (int axis = 0; axis < shape.length; axis++) {
      int length = currentShape[axis];
      int outLength = length - w + 1;
      int inner = 1;
      for (int d = axis + 1; d < currentShape.length; d++) {
        inner *= currentShape[d];
      }
      int outer = 1;
      for (int d = 0; d < axis; d++) {
        outer *= currentShape[d];
      }
      double[] next = new double[outer * outLength * inner];
      for (int o = 0; o < outer; o++) {
        int inBase = o * length * inner;
        int outBase = o * outLength * inner;
        for (int j = 0; j < outLength; j++) {
          int outRow = outBase + j * inner;
          // Accumulate whole rows of the inner axes at once so the innermost loop runs over contiguous memory.
          for (int t = 0; t < w; t++) {
            double weight = kernel[t];
            int inRow = inBase + (j + t) * inner;
            for (int i = 0; i < inner; i++) {
              next[outRow + i] += weight * current[inRow + i];
            }
          }
        }
      }
      current = next;
      currentShape[axis] = outLength;
    }
    return current;
  }
}
