package org.medvision.testkit.reference;

/**
 * ONNX {@code AveragePool}, {@code MaxPool} and {@code GlobalAveragePool} over 1 to 3 spatial axes.
 *
 * <p>Average pooling sums in double. Its divisor counts the window positions inside the input, or with
 * {@code count_include_pad} the positions inside the padded input; positions a ceil-mode window reaches beyond the
 * end padding are never counted (the ONNX Runtime and PyTorch rule). Max pooling takes the maximum over positions
 * inside the input only, so padding never wins. A window that holds no input position (possible only with padding
 * at least as large as the window) yields 0 for the average and −∞ for the maximum.
 */
final class PoolKernels {
  private PoolKernels() {}

  /** Average pooling of {@code x} [N, C, spatial...]. */
  static NdArray average(NdArray x, Window win, boolean countIncludePad) {
    return pool(x, win, countIncludePad, false);
  }

  /** Max pooling of {@code x} [N, C, spatial...]. */
  static NdArray max(NdArray x, Window win) {
    return pool(x, win, false, true);
  }

  /** Mean over every spatial axis, keeping them as extent 1. */
  static NdArray globalAverage(NdArray x) {
    int planes = x.shape[0] * x.shape[1];
    int plane = NdArray.product(x.shape, 2, x.rank());
    int[] shape = x.shape.clone();
    for (int i = 2; i < shape.length; i++) {
      shape[i] = 1;
    }
    float[] out = new float[planes];
    for (int p = 0; p < planes; p++) {
      double sum = 0.0;
      for (int i = 0; i < plane; i++) {
        sum += x.data[p * plane + i];
      }
      out[p] = (float) (sum / plane);
    }
    return new NdArray(shape, out);
  }

  private static NdArray pool(NdArray x, Window win, boolean countIncludePad, boolean takeMax) {
    int[] outShape = win.outputShape(x.shape, x.shape[1]);
    NdArray out = NdArray.zeros(outShape);
    int[] in = Window.spatial(x.shape);
    int[] os = Window.spatial(outShape);
    int planes = x.shape[0] * x.shape[1];
    int inPlane = in[0] * in[1] * in[2];
    int[] begin = new int[3];
    int[] end = new int[3];
    int o = 0;
    for (int p = 0; p < planes; p++) {
      int base = p * inPlane;
      for (int od = 0; od < os[0]; od++) {
        for (int oh = 0; oh < os[1]; oh++) {
          for (int ow = 0; ow < os[2]; ow++) {
            int[] pos = {od, oh, ow};
            if (takeMax) {
              out.data[o++] = windowMax(x.data, base, in, win, pos);
            } else {
              int padded = 1;
              for (int a = 0; a < 3; a++) {
                begin[a] = pos[a] * win.stride[a] - win.padBegin[a];
                end[a] = Math.min(begin[a] + win.kernel[a], in[a] + win.padEnd[a]);
                padded *= end[a] - begin[a];
              }
              out.data[o++] = windowAverage(x.data, base, in, begin, end, countIncludePad ? padded : -1);
            }
          }
        }
      }
    }
    return out;
  }

  /** Mean of the input positions in [begin, end); divides by {@code divisor}, or by their count when it is -1. */
  private static float windowAverage(float[] x, int base, int[] in, int[] begin, int[] end, int divisor) {
    double sum = 0.0;
    int count = 0;
    for (int d = Math.max(0, begin[0]); d < Math.min(in[0], end[0]); d++) {
      for (int h = Math.max(0, begin[1]); h < Math.min(in[1], end[1]); h++) {
        for (int w = Math.max(0, begin[2]); w < Math.min(in[2], end[2]); w++) {
          sum += x[base + (d * in[1] + h) * in[2] + w];
          count++;
        }
      }
    }
    int n = divisor == -1 ? count : divisor;
    return n == 0 ? 0f : (float) (sum / n);
  }

  private static float windowMax(float[] x, int base, int[] in, Window win, int[] pos) {
    float best = Float.NEGATIVE_INFINITY;
    for (int kd = 0; kd < win.kernel[0]; kd++) {
      int d = pos[0] * win.stride[0] - win.padBegin[0] + kd * win.dilation[0];
      if (d < 0 || d >= in[0]) {
        continue;
      }
      for (int kh = 0; kh < win.kernel[1]; kh++) {
        int h = pos[1] * win.stride[1] - win.padBegin[1] + kh * win.dilation[1];
        if (h < 0 || h >= in[1]) {
          continue;
        }
        for (int kw = 0; kw < win.kernel[2]; kw++) {
          int w = pos[2] * win.stride[2] - win.padBegin[2] + kw * win.dilation[2];
          if (w >= 0 && w < in[2]) {
            float v = x[base + (d * in[1] + h) * in[2] + w];
            if (v > best || Float.isNaN(v)) {
              best = v;
            }
          }
        }
      }
    }
    return best;
  }
}
