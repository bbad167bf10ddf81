package org.medvision.api.metrics;

/**
 * The few distribution functions the significance tests need, written out so the api stays free of a statistics
 * library.
 */
final class Distributions {
  private static final double INV_SQRT_PI = 1 / Math.sqrt(Math.PI);
  private static final double LN2 = Math.log(2);
  private static final int MAX_TERMS = 10_000;
  /** Below this the series for erf is accurate and fast; above it the continued fraction for erfc is. */
  private static final double SERIES_LIMIT = 2.0;

  private Distributions() {
  }

  /**
   * The complementary error function {@code erfc(x) = 1 - erf(x)}, relative error about 1e-14 for |x| &lt;= 2 and
   * near machine precision above, where it is computed directly rather than as {@code 1 - erf}.
   */
  static double erfc(double x) {
    if (Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x < 0) {
      return 2 - erfc(-x);
    }
    if (x < SERIES_LIMIT) {
      return 1 - erfSeries(x);
    }
    return erfcContinuedFraction(x);
  }

  /**
   * {@code erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_n x^(2n+1) 2^n / (1*3*...*(2n+1))}; every term is positive, so
   * unlike the alternating Taylor series nothing cancels.
   */
  private static double erfSeries(double x) {
    double term = x;
    double sum = x;
    double twoXSquared = 2 * x * x;
    for (int n = 1; n < MAX_TERMS; n++) {
      term *= twoXSquared / (2 * n + 1);
      sum += term;
      if (term < 1e-17 * sum) {
        break;
      }
    }
    return 2 * INV_SQRT_PI * Math.exp(-x * x) * sum;
  }

  /**
   * {@code erfc(x) = exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + (2/2)/(x + (3/2)/(x + ...))))}, evaluated front to back
   * with the modified Lentz method.
   */
  private static double erfcContinuedFraction(double x) {
    double tiny = 1e-300;
    double f = x;
    double c = f;
    double d = 0;
    for (int j = 1; j < MAX_TERMS; j++) {
      double a = j / 2.0;
      d = x + a * d;
      d = d == 0 ? tiny : d;
      c = x + a / c;
      c = c == 0 ? tiny : c;
      d = 1 / d;
      double delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) {
        break;
      }
    }
    return Math.exp(-x * x) * INV_SQRT_PI / f;
  }

  /** Upper tail {@code P(X > x)} of the chi-square distribution with one degree of freedom: erfc(sqrt(x/2)). */
  static double chiSquare1Survival(double x) {
    return x <= 0 ? 1 : erfc(Math.sqrt(x / 2));
  }

  /**
   * {@code P(X <= k)} for X ~ Binomial(n, 1/2), summed from log-space terms {@code C(n,i) / 2^n} so that large n
   * neither overflows the binomial coefficient nor underflows 2^-n before the product is formed.
   */
  static double binomialHalfCdf(long n, long k) {
    if (k < 0) {
      return 0;
    }
    if (k >= n) {
      return 1;
    }
    // The distribution is symmetric; summing the shorter tail keeps the loop at most n/2 long.
    if (k >= n - k) {
      return 1 - binomialHalfCdf(n, n - k - 1);
    }
    double logTerm = -n * LN2;
    double sum = Math.exp(logTerm);
    for (long i = 1; i <= k; i++) {
      logTerm += Math.log((double) (n - i + 1) / i);
      sum += Math.exp(logTerm);
    }
    return Math.min(1, sum);
  }
}
