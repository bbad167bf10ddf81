package org.medvision.api.pipeline;

/** Logits to probabilities, computed in double and rounded once. */
public final class Probabilities {
  private Probabilities() {}

  /** The softmax of {@code logits}, stable for large values. */
  public static float[] softmax(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float z : logits) {
      max = Math.max(max, z);
    }
    double sum = 0;
    for (float z : logits) {
      sum += Math.exp(z - max);
    }
    float[] p = new float[logits.length];
    for (int i = 0; i < logits.length; i++) {
      p[i] = (float) (Math.exp(logits[i] - max) / sum);
    }
    return p;
  }

  /** The element-wise logistic sigmoid of {@code logits}. */
  public static float[] sigmoid(float[] logits) {
    float[] p = new float[logits.length];
    for (int i = 0; i < logits.length; i++) {
      p[i] = (float) (1 / (1 + Math.exp(-logits[i])));
    }
    return p;
  }

  /** −log of the softmax probability of class {@code target}: one example's cross-entropy. */
  public static double crossEntropy(float[] logits, int target) {
    double max = Double.NEGATIVE_INFINITY;
    for (float z : logits) {
      max = Math.max(max, z);
    }
    double sum = 0;
    for (float z : logits) {
      sum += Math.exp(z - max);
    }
    return max + Math.log(sum) - logits[target];
  }
}
