package org.medvision.testkit.reference;

import java.util.Arrays;
import org.medvision.api.MedvisionException;

/**
 * The loss ops, each reducing to a float32 scalar. Every loss is accumulated in double from the float operands and
 * rounded once, so it is the correctly rounded value of the formula documented on its {@link org.medvision.api.graph.Op}
 * constant up to double's own rounding.
 */
final class LossKernels {
  private LossKernels() {}

  /**
   * PyTorch's weighted-mean cross-entropy with label smoothing: logits [N, C], targets [N] holding class indices.
   *
   * @param classWeights [C] or null for all ones
   */
  static NdArray crossEntropy(NdArray logits, NdArray target, float smoothing, float[] classWeights) {
    int n = logits.shape[0];
    int c = logits.shape[1];
    if (target.rank() != 1 || target.shape[0] != n) {
      throw new MedvisionException("target " + Arrays.toString(target.shape) + " does not match logits "
          + Arrays.toString(logits.shape));
    }
    if (classWeights != null && classWeights.length != c) {
      throw new MedvisionException("class_weights has " + classWeights.length + " values for " + c + " classes");
    }
    double numerator = 0;
    double denominator = 0;
    double[] negLogP = new double[c];
    for (int i = 0; i < n; i++) {
      int y = classIndex(target.data[i], i, c);
      int base = i * c;
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < c; k++) {
        max = Math.max(max, logits.data[base + k]);
      }
      double sum = 0;
      for (int k = 0; k < c; k++) {
        sum += Math.exp(logits.data[base + k] - max);
      }
      double logSumExp = max + Math.log(sum);
      double smooth = 0;
      for (int k = 0; k < c; k++) {
        negLogP[k] = logSumExp - logits.data[base + k];
        smooth += weight(classWeights, k) * negLogP[k];
      }
      double wy = weight(classWeights, y);
      numerator += (1.0 - smoothing) * wy * negLogP[y] + smoothing / c * smooth;
      denominator += wy;
    }
    return scalar(numerator / denominator);
  }

  private static int classIndex(float value, int sample, int classes) {
    if (!(value >= 0 && value < classes) || value != Math.rint(value)) {
      throw new MedvisionException("target of sample " + sample + " is " + (long) value + ", not a class index in [0, "
          + classes + ")");
    }
    return (int) value;
  }

  private static double weight(float[] weights, int k) {
    return weights == null ? 1.0 : weights[k];
  }

  /**
   * Mean binary cross-entropy on logits x against targets t of one shape, in the overflow-free form
   * (1−t)·x + (1+(p−1)·t)·(log(1+e^−|x|) + max(−x, 0)), with p = {@code posWeight} along the last axis.
   *
   * @param posWeight [K] for a last axis of extent K, or null for all ones
   */
  static NdArray bceWithLogits(NdArray x, NdArray t, float[] posWeight, NdArray weight) {
    requireSameShape(x, t);
    int k = x.rank() == 0 ? 1 : x.shape[x.rank() - 1];
    if (posWeight != null && posWeight.length != k) {
      throw new MedvisionException("pos_weight has " + posWeight.length + " values for a last axis of " + k);
    }
    float[] w = weight == null ? null : broadcastTo(weight, x.shape);
    double sum = 0;
    double weights = 0;
    for (int i = 0; i < x.size(); i++) {
      double xi = x.data[i];
      double ti = t.data[i];
      double p = posWeight == null ? 1.0 : posWeight[i % k];
      double wi = w == null ? 1.0 : w[i];
      if (wi < 0) {
        throw new MedvisionException("weight element " + i + " is " + wi + "; weights must be non-negative");
      }
      double softplusOfMinusX = Math.log1p(Math.exp(-Math.abs(xi))) + Math.max(-xi, 0);
      sum += wi * ((1 - ti) * xi + (1 + (p - 1) * ti) * softplusOfMinusX);
      weights += wi;
    }
    return scalar(weights == 0 ? 0 : sum / weights);
  }

  /** {@code a}'s values repeated (numpy broadcasting) over {@code shape}, in row-major order. */
  private static float[] broadcastTo(NdArray a, int[] shape) {
    if (!Arrays.equals(Broadcasting.shape(a.shape, shape), shape)) {
      throw new MedvisionException("weight " + Arrays.toString(a.shape) + " does not broadcast to "
          + Arrays.toString(shape));
    }
    float[] out = new float[NdArray.size(shape)];
    StridedIndex it = new StridedIndex(shape, Broadcasting.strides(a.shape, shape));
    for (int i = 0; i < out.length; i++) {
      out[i] = a.data[it.offset(0)];
      it.next();
    }
    return out;
  }

  /** Mean of |a − b|. */
  static NdArray l1(NdArray a, NdArray b) {
    requireSameShape(a, b);
    double sum = 0;
    for (int i = 0; i < a.size(); i++) {
      sum += Math.abs((double) a.data[i] - b.data[i]);
    }
    return scalar(sum / a.size());
  }

  /** Mean of (a − b)². */
  static NdArray mse(NdArray a, NdArray b) {
    requireSameShape(a, b);
    double sum = 0;
    for (int i = 0; i < a.size(); i++) {
      double d = (double) a.data[i] - b.data[i];
      sum += d * d;
    }
    return scalar(sum / a.size());
  }

  /**
   * Soft Dice loss of logits x [N, C, spatial...] against targets t: the mean over (n, c) of
   * 1 − (2·Σ σ(x)·t + s) / (Σ σ(x) + Σ t + s), sums over the spatial axes.
   */
  static NdArray softDice(NdArray x, NdArray t, float smooth) {
    requireSameShape(x, t);
    int maps = x.shape[0] * x.shape[1];
    int plane = NdArray.product(x.shape, 2, x.rank());
    double total = 0;
    for (int m = 0; m < maps; m++) {
      double intersection = 0;
      double predicted = 0;
      double truth = 0;
      for (int i = m * plane; i < (m + 1) * plane; i++) {
        double p = sigmoid(x.data[i]);
        intersection += p * t.data[i];
        predicted += p;
        truth += t.data[i];
      }
      total += 1.0 - (2.0 * intersection + smooth) / (predicted + truth + smooth);
    }
    return scalar(total / maps);
  }

  private static double sigmoid(double v) {
    if (v >= 0) {
      return 1.0 / (1.0 + Math.exp(-v));
    }
    double e = Math.exp(v);
    return e / (1.0 + e);
  }

  private static void requireSameShape(NdArray a, NdArray b) {
    if (!Arrays.equals(a.shape, b.shape)) {
      throw new MedvisionException("prediction " + Arrays.toString(a.shape) + " and target "
          + Arrays.toString(b.shape) + " must have one shape");
    }
  }

  private static NdArray scalar(double value) {
    return new NdArray(new int[0], new float[] {(float) value});
  }
}
