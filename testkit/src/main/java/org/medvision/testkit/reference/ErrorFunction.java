package org.medvision.testkit.reference;

/**
 * The Gauss error function in double precision, accurate to about 1e-15 absolute.
 *
 * <p>Two classical expansions cover the real line. For |x| below {@value #SERIES_LIMIT} the series
 * erf(x) = (2/√π)·e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)) is used: every term is positive, so there is no cancellation.
 * Above it the Laplace continued fraction erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))
 * converges quickly and is evaluated bottom-up with a fixed depth; erf(x) = 1 − erfc(x). Beyond
 * {@value #SATURATION} erfc is below 1e-17 and erf is ±1 in double.
 */
final class ErrorFunction {
  static final double SERIES_LIMIT = 2.5;
  static final double SATURATION = 6.5;
  private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
  private static final double ONE_OVER_SQRT_PI = 1.0 / Math.sqrt(Math.PI);
  private static final int FRACTION_DEPTH = 120;

  private ErrorFunction() {}

  /** erf(x); odd, with erf(±∞) = ±1 and erf(NaN) = NaN. */
  static double erf(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    double a = Math.abs(x);
    double r;
    if (a < SERIES_LIMIT) {
      r = series(a);
    } else if (a < SATURATION) {
      r = 1.0 - complementFraction(a);
    } else {
      r = 1.0;
    }
    return x < 0 ? -r : r;
  }

  private static double series(double a) {
    double x2 = a * a;
    double term = a;
    double sum = a;
    for (int n = 1; n < 200; n++) {
      term *= 2.0 * x2 / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) {
        break;
      }
    }
    return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
  }

  /** erfc(a) for a ≥ {@value #SERIES_LIMIT}, from the continued fraction with partial numerators k/2. */
  private static double complementFraction(double a) {
    double tail = a;
    for (int k = FRACTION_DEPTH; k >= 1; k--) {
      tail = a + (k / 2.0) / tail;
    }
    return ONE_OVER_SQRT_PI * Math.exp(-a * a) / tail;
  }
}
