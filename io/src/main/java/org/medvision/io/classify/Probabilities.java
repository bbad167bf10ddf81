package org.medvision.io.classify;

/** Logits to probabilities, in double precision so that large logits neither overflow nor lose the small classes. */
public final class Probabilities {
  private Probabilities() {}

  /**
   * Softmax of {@code count} logits starting at {@code offset}; subtracts the maximum first, so any finite logits
   * give finite probabilities summing to 1.
   */
  public static double[] softmax(float[] logits, int offset, int count) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < count; j++) {
      max = Math.max(max, logits[offset + j]);
    }
    double[] p = new double[count];
    double sum = 0;
    for (int j = 0; j < count; j++) {
      p[j] = Math.exp(logits[offset + j] - max);
      sum += p[j];
    }
    for (int j = 0; j < count; j++) {
      p[j] /= sum;
    }
    return p;
  }

  /** Independent sigmoid of {@code count} logits starting at {@code offset}. */
  public static double[] sigmoid(float[] logits, int offset, int count) {
    double[] p = new double[count];
    for (int j = 0; j < count; j++) {
      p[j] = 1.0 / (1.0 + Math.exp(-logits[offset + j]));
    }
    return p;
  }
}
