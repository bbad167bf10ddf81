package org.medvision.engine.djl;

import java.util.SplittableRandom;

/**
 * The seeded stream that DROPOUT and DROP_PATH masks are drawn from in training mode, generated on the host so that
 * the masks depend only on the seed and the order of draws, never on libtorch's global generator or on threads.
 *
 * <p>Each draw is one {@link SplittableRandom#nextDouble()} of a stream created from the session seed; an element
 * (dropout, row-major order) or a sample (drop-path, along axis 0) is dropped when its draw is below the ratio. Masks
 * are drawn in node order within a forward pass and forward passes consume the stream in turn, so a session's
 * k-th forward always sees the same masks for the same seed.
 */
final class MaskStream {
  private final SplittableRandom random;

  MaskStream(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /**
   * {@code count} mask values: 0 with probability {@code ratio}, else 1/(1−ratio); all 0 when ratio is 1.
   *
   * @param count number of draws, at most {@link Integer#MAX_VALUE} − 8
   */
  float[] draw(long count, float ratio) {
    float[] mask = new float[Math.toIntExact(count)];
    float keep = ratio >= 1f ? 0f : 1f / (1f - ratio);
    for (int i = 0; i < mask.length; i++) {
      mask[i] = random.nextDouble() < ratio ? 0f : keep;
    }
    return mask;
  }
}
