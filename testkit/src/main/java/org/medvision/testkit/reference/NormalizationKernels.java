package org.medvision.testkit.reference;

/**
 * ONNX {@code Softmax}, {@code LayerNormalization} and {@code BatchNormalization} (inference and training mode). Statistics, exponentials
 * and the normalising arithmetic are computed in double and each result is rounded to float once.
 */
final class NormalizationKernels {
  private NormalizationKernels() {}

  /** Softmax along {@code axis} (already non-negative): e^(x−max) / Σ e^(x−max) over that axis alone. */
  static NdArray softmax(NdArray x, int axis) {
    int outer = NdArray.product(x.shape, 0, axis);
    int len = x.shape[axis];
    int inner = NdArray.product(x.shape, axis + 1, x.rank());
    float[] out = new float[x.size()];
    double[] e = new double[len];
    for (int o = 0; o < outer; o++) {
      for (int in = 0; in < inner; in++) {
        int base = o * len * inner + in;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) {
          max = Math.max(max, x.data[base + i * inner]);
        }
        double sum = 0.0;
        for (int i = 0; i < len; i++) {
          e[i] = Math.exp(x.data[base + i * inner] - max);
          sum += e[i];
        }
        for (int i = 0; i < len; i++) {
          out[base + i * inner] = (float) (e[i] / sum);
        }
      }
    }
    return new NdArray(x.shape, out);
  }

  /**
   * Layer normalisation over axes {@code [axis, rank)}: (x − mean) / √(var + epsilon) · scale + bias with the biased
   * (population) variance, computed in two passes.
   *
   * @param bias of the normalised shape, or null
   */
  static NdArray layerNorm(NdArray x, NdArray scale, NdArray bias, int axis, float epsilon) {
    int outer = NdArray.product(x.shape, 0, axis);
    int inner = NdArray.product(x.shape, axis, x.rank());
    float[] out = new float[x.size()];
    for (int o = 0; o < outer; o++) {
      int base = o * inner;
      double sum = 0.0;
      for (int i = 0; i < inner; i++) {
        sum += x.data[base + i];
      }
      double mean = sum / inner;
      double squares = 0.0;
      for (int i = 0; i < inner; i++) {
        double d = x.data[base + i] - mean;
        squares += d * d;
      }
      double inverseStd = 1.0 / Math.sqrt(squares / inner + epsilon);
      for (int i = 0; i < inner; i++) {
        double y = (x.data[base + i] - mean) * inverseStd * scale.data[i];
        if (bias != null) {
          y += bias.data[i];
        }
        out[base + i] = (float) y;
      }
    }
    return new NdArray(x.shape, out);
  }

  /** Inference batch normalisation of {@code x} [N, C, ...] with per-channel statistics and affine parameters. */
  static NdArray batchNorm(NdArray x, NdArray scale, NdArray bias, NdArray mean, NdArray var, float epsilon) {
    int n = x.shape[0];
    int c = x.shape[1];
    int plane = NdArray.product(x.shape, 2, x.rank());
    float[] out = new float[x.size()];
    for (int ch = 0; ch < c; ch++) {
      double factor = scale.data[ch] / Math.sqrt((double) var.data[ch] + epsilon);
      double shift = bias.data[ch];
      double mu = mean.data[ch];
      for (int b = 0; b < n; b++) {
        int base = (b * c + ch) * plane;
        for (int i = 0; i < plane; i++) {
          out[base + i] = (float) ((x.data[base + i] - mu) * factor + shift);
        }
      }
    }
    return new NdArray(x.shape, out);
  }

  /**
   * Training-mode batch normalisation of {@code x} [N, C, ...]: each channel is normalised with the mean and biased
   * variance of its N·spatial values, computed in two passes in double.
   */
  static NdArray batchNormTraining(NdArray x, NdArray scale, NdArray bias, float epsilon) {
    int n = x.shape[0];
    int c = x.shape[1];
    int plane = NdArray.product(x.shape, 2, x.rank());
    double count = (double) n * plane;
    float[] out = new float[x.size()];
    for (int ch = 0; ch < c; ch++) {
      double sum = 0;
      for (int b = 0; b < n; b++) {
        int base = (b * c + ch) * plane;
        for (int i = 0; i < plane; i++) {
          sum += x.data[base + i];
        }
      }
      double mean = sum / count;
      double squares = 0;
      for (int b = 0; b < n; b++) {
        int base = (b * c + ch) * plane;
        for (int i = 0; i < plane; i++) {
          double d = x.data[base + i] - mean;
          squares += d * d;
        }
      }
      double factor = scale.data[ch] / Math.sqrt(squares / count + epsilon);
      double shift = bias.data[ch];
      for (int b = 0; b < n; b++) {
        int base = (b * c + ch) * plane;
        for (int i = 0; i < plane; i++) {
          out[base + i] = (float) ((x.data[base + i] - mean) * factor + shift);
        }
      }
    }
    return new NdArray(x.shape, out);
  }
}
