package org.medvision.testkit.reference;

import org.medvision.api.graph.ConvGeometry;

/**
 * Sliding-window geometry over exactly three spatial axes. Convolutions and pools of 1 or 2 spatial axes are
 * lifted to 3 by prepending axes of extent 1 with kernel 1, stride 1, dilation 1 and no padding, which changes no
 * value, so one loop nest serves all ranks.
 */
final class Window {
  final int[] kernel = new int[3];
  final int[] stride = new int[3];
  final int[] padBegin = new int[3];
  final int[] padEnd = new int[3];
  final int[] dilation = new int[3];
  final boolean ceilMode;

  private Window(ConvGeometry g) {
    int lift = 3 - g.spatialRank();
    for (int i = 0; i < 3; i++) {
      int j = i - lift;
      kernel[i] = j < 0 ? 1 : Math.toIntExact(g.kernel()[j]);
      stride[i] = j < 0 ? 1 : Math.toIntExact(g.strides()[j]);
      padBegin[i] = j < 0 ? 0 : Math.toIntExact(g.padsBegin()[j]);
      padEnd[i] = j < 0 ? 0 : Math.toIntExact(g.padsEnd()[j]);
      dilation[i] = j < 0 ? 1 : Math.toIntExact(g.dilations()[j]);
    }
    ceilMode = g.ceilMode();
  }

  /** The window of {@code g}, lifted to three spatial axes. */
  static Window of(ConvGeometry g) {
    return new Window(g);
  }

  /** The spatial extents of {@code x} [N, C, spatial...], lifted to three axes. */
  static int[] spatial(int[] x) {
    int[] s = {1, 1, 1};
    int lift = 3 - (x.length - 2);
    for (int i = 2; i < x.length; i++) {
      s[i - 2 + lift] = x[i];
    }
    return s;
  }

  /** The output extent on lifted axis {@code i} for input extent {@code in}. */
  int outputExtent(int i, int in) {
    int reach = dilation[i] * (kernel[i] - 1) + 1;
    int span = in + padBegin[i] + padEnd[i] - reach;
    if (span < 0) {
      return 0;
    }
    if (!ceilMode) {
      return span / stride[i] + 1;
    }
    int out = (span + stride[i] - 1) / stride[i] + 1;
    // A window that would start in the end padding is dropped (ONNX and PyTorch agree on this).
    if ((out - 1) * stride[i] >= in + padBegin[i]) {
      out--;
    }
    return out;
  }

  /** The output shape [N, M, spatial...] for input shape {@code x}, with {@code channels} output channels. */
  int[] outputShape(int[] x, int channels) {
    int[] in = spatial(x);
    int[] out = x.clone();
    out[1] = channels;
    int lift = 3 - (x.length - 2);
    for (int i = 2; i < x.length; i++) {
      out[i] = outputExtent(i - 2 + lift, in[i - 2 + lift]);
    }
    return out;
  }
}
