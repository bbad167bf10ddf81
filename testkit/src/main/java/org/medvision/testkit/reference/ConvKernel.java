package org.medvision.testkit.reference;

/**
 * ONNX {@code Conv} over 1 to 3 spatial axes with groups, strides, asymmetric padding, dilations and optional bias.
 *
 * <p>Each output element is the bias plus the sum of exact float×float products, accumulated in double and rounded
 * to float once. Padding contributes nothing (zero padding).
 */
final class ConvKernel {
  private ConvKernel() {}

  /**
   * Convolves {@code x} [N, C, spatial...] with {@code w} [M, C/group, kernel...].
   *
   * @param bias [M], or null
   */
  static NdArray conv(NdArray x, NdArray w, NdArray bias, Window win, int group) {
    int n = x.shape[0];
    int c = x.shape[1];
    int m = w.shape[0];
    int cPerGroup = c / group;
    int mPerGroup = m / group;
    int[] outShape = win.outputShape(x.shape, m);
    NdArray out = NdArray.zeros(outShape);
    int[] in = Window.spatial(x.shape);
    int[] os = Window.spatial(outShape);
    int[] k = win.kernel;
    int inPlane = in[0] * in[1] * in[2];
    int outPlane = os[0] * os[1] * os[2];
    int kernelVolume = k[0] * k[1] * k[2];
    int o = 0;
    for (int b = 0; b < n; b++) {
      for (int oc = 0; oc < m; oc++) {
        int firstInputChannel = (oc / mPerGroup) * cPerGroup;
        double start = bias == null ? 0.0 : bias.data[oc];
        for (int od = 0; od < os[0]; od++) {
          for (int oh = 0; oh < os[1]; oh++) {
            for (int ow = 0; ow < os[2]; ow++) {
              double acc = start;
              for (int ic = 0; ic < cPerGroup; ic++) {
                int xBase = (b * c + firstInputChannel + ic) * inPlane;
                int wBase = (oc * cPerGroup + ic) * kernelVolume;
                acc += window(x.data, xBase, w.data, wBase, in, k, win, od, oh, ow);
              }
              out.data[o++] = (float) acc;
            }
          }
        }
      }
    }
    assert o == n * m * outPlane;
    return out;
  }

  /** Σ x·w over one input channel's window at output position (od, oh, ow), skipping padded positions. */
  private static double window(float[] x, int xBase, float[] w, int wBase, int[] in, int[] k, Window win, int od,
      int oh, int ow) {
    double acc = 0.0;
    for (int kd = 0; kd < k[0]; kd++) {
      int id = od * win.stride[0] - win.padBegin[0] + kd * win.dilation[0];
      if (id < 0 || id >= in[0]) {
        continue;
      }
      for (int kh = 0; kh < k[1]; kh++) {
        int ih = oh * win.stride[1] - win.padBegin[1] + kh * win.dilation[1];
        if (ih < 0 || ih >= in[1]) {
          continue;
        }
        int xRow = xBase + (id * in[1] + ih) * in[2];
        int wRow = wBase + (kd * k[1] + kh) * k[2];
        for (int kw = 0; kw < k[2]; kw++) {
          int iw = ow * win.stride[2] - win.padBegin[2] + kw * win.dilation[2];
          if (iw >= 0 && iw < in[2]) {
            acc += (double) x[xRow + iw] * w[wRow + kw];
          }
        }
      }
    }
    return acc;
  }
}
