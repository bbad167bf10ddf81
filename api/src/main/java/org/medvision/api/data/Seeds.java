package org.medvision.api.data;

/**
 * Derives independent seeds from a run seed and positions (epoch, example index), so that every random draw of a
 * run is reproducible and a resumed run replays the same draws.
 */
public final class Seeds {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private Seeds() {}

  /** A well-mixed 64-bit function of {@code a} and {@code b} (SplitMix64 finaliser over a golden-ratio step). */
  public static long mix(long a, long b) {
    long z = a + GOLDEN_GAMMA * (b + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The order 0..n-1 shuffled with {@code seed} (Fisher-Yates over {@link java.util.SplittableRandom}). */
  public static int[] shuffled(int n, long seed) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
