package org.medvision.io.synth.cxr;

import java.util.SplittableRandom;

/** Small helpers for drawing values from a seeded generator and shaping them, so every class draws the same way. */
final class Sampling {
  private Sampling() {}

  /** Uniform in {@code [lo, hi)}. */
  static double uniform(SplittableRandom rng, double lo, double hi) {
    return lo + (hi - lo) * rng.nextDouble();
  }

  /** A symmetric value in {@code [-bound, bound)}. */
  static double symmetric(SplittableRandom rng, double bound) {
    return uniform(rng, -bound, bound);
  }

  /** A normal value with mean {@code mean} and deviation {@code sd}, cut at three deviations. */
  static double normal(SplittableRandom rng, double mean, double sd) {
    double g;
    do {
      // Box-Muller from our generator alone, so the value depends on the seed only.
      g = Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    } while (Math.abs(g) > 3);
    return mean + sd * g;
  }

  /** True with probability {@code p}. */
  static boolean chance(SplittableRandom rng, double p) {
    return rng.nextDouble() < p;
  }

  /** Smooth step from 0 at {@code edge0} to 1 at {@code edge1} (Hermite), constant outside. */
  static double smoothstep(double edge0, double edge1, double x) {
    double t = Math.max(0, Math.min(1, (x - edge0) / (edge1 - edge0)));
    return t * t * (3 - 2 * t);
  }

  /** {@code x} clamped to {@code [lo, hi]}. */
  static double clamp(double x, double lo, double hi) {
    return Math.max(lo, Math.min(hi, x));
  }
}
