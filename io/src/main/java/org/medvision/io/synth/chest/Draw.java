package org.medvision.io.synth.chest;

import java.util.SplittableRandom;

/** Small helpers for drawing values from a seeded generator, so every class draws the same way. */
final class Draw {
  private Draw() {}

  /** Uniform in {@code [lo, hi)}. */
  static double uniform(SplittableRandom rng, double lo, double hi) {
    return lo + (hi - lo) * rng.nextDouble();
  }

  /** Log-uniform in {@code [lo, hi)}: as likely to fall in [1, 2) as in [10, 20), for sizes spanning decades. */
  static double logUniform(SplittableRandom rng, double lo, double hi) {
    return lo * Math.exp(Math.log(hi / lo) * rng.nextDouble());
  }

  /** A symmetric value in {@code [-bound, bound)}. */
  static double symmetric(SplittableRandom rng, double bound) {
    return uniform(rng, -bound, bound);
  }

  /** A direction uniform on the unit sphere. */
  static double[] unitVector(SplittableRandom rng) {
    double z = uniform(rng, -1, 1);
    double angle = uniform(rng, 0, 2 * Math.PI);
    double r = Math.sqrt(1 - z * z);
    return new double[] {r * Math.cos(angle), r * Math.sin(angle), z};
  }

  /** Smooth step from 0 at {@code edge0} to 1 at {@code edge1} (Hermite), constant outside. */
  static double smoothstep(double edge0, double edge1, double x) {
    double t = Math.max(0, Math.min(1, (x - edge0) / (edge1 - edge0)));
    return t * t * (3 - 2 * t);
  }

  /**
   * An index drawn with probability proportional to its weight; {@code cumulative} holds the running sums of the
   * (non-negative) weights and must end above 0.
   */
  static int weighted(SplittableRandom rng, double[] cumulative) {
    double u = rng.nextDouble() * cumulative[cumulative.length - 1];
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] > u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }
}
