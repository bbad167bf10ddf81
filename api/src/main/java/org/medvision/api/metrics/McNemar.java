package org.medvision.api.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import org.medvision.api.MedvisionException;

/**
 * McNemar's test of whether two classifiers, scored on the same samples, differ in error rate.
 *
 * <p>Only discordant samples carry evidence: b where A is right and B wrong, c where A is wrong and B right. Under
 * the null hypothesis each discordant sample is equally likely to go either way. Two p-values are given:
 * <ul>
 *   <li>the chi-square test with Edwards' continuity correction, {@code chi2 = (|b - c| - 1)^2 / (b + c)} with one
 *       degree of freedom, p = erfc(sqrt(chi2 / 2)); the correction is applied as written, also when b = c, as R's
 *       {@code mcnemar.test} and statsmodels do;</li>
 *   <li>the exact test, {@code min(1, 2 * P(X <= min(b, c)))} for X ~ Binomial(b + c, 1/2).</li>
 * </ul>
 * The chi-square approximation is poor for few discordant samples: use the exact p-value when b + c &lt; 25
 * ({@link #recommendedPValue()} does). With no discordant sample (b = c = 0) there is no evidence of a difference:
 * chi2 is 0 and both p-values are 1.
 *
 * @param samples number of samples compared
 * @param b samples A predicted correctly and B did not
 * @param c samples B predicted correctly and A did not
 * @param chiSquare continuity-corrected statistic
 * @param chiSquarePValue upper tail of chi-square(1) at {@code chiSquare}
 * @param exactPValue two-sided exact binomial p-value
 */
public record McNemar(int samples, long b, long c, double chiSquare, double chiSquarePValue, double exactPValue) {
  /** Below this many discordant samples the exact p-value should be reported. */
  public static final int EXACT_BELOW = 25;

  /**
   * Compares two prediction sets against the same truth.
   *
   * @param labels true class of each sample
   * @param predictionsA model A's predicted class of each sample
   * @param predictionsB model B's predicted class of each sample
   * @throws MedvisionException if the three arrays differ in length
   */
  public static McNemar test(int[] labels, int[] predictionsA, int[] predictionsB) {
    if (labels.length != predictionsA.length || labels.length != predictionsB.length) {
      throw new MedvisionException("McNemar's test needs one prediction per label: " + labels.length + " labels, "
          + predictionsA.length + " predictions from A, " + predictionsB.length + " from B");
    }
    long b = 0;
    long c = 0;
    for (int i = 0; i < labels.length; i++) {
      boolean aRight = predictionsA[i] == labels[i];
      boolean bRight = predictionsB[i] == labels[i];
      if (aRight && !bRight) {
        b++;
      } else if (!aRight && bRight) {
        c++;
      }
    }
    return of(labels.length, b, c);
  }

  /** The test from the discordant counts alone, e.g. as published in a paper's 2x2 table. */
  public static McNemar of(int samples, long b, long c) {
    if (b < 0 || c < 0 || b + c > samples) {
      throw new MedvisionException("McNemar's test: discordant counts b=" + b + ", c=" + c
          + " must be non-negative and sum to at most the " + samples + " samples");
    }
    long n = b + c;
    if (n == 0) {
      return new McNemar(samples, b, c, 0, 1, 1);
    }
    double excess = Math.abs(b - c) - 1.0;
    double chi2 = excess * excess / n;
    double exact = Math.min(1, 2 * Distributions.binomialHalfCdf(n, Math.min(b, c)));
    return new McNemar(samples, b, c, chi2, Distributions.chiSquare1Survival(chi2), exact);
  }

  /** Number of discordant samples, b + c. */
  public long discordant() {
    return b + c;
  }

  /** The exact p-value when fewer than {@value #EXACT_BELOW} samples are discordant, the chi-square one otherwise. */
  public double recommendedPValue() {
    return discordant() < EXACT_BELOW ? exactPValue : chiSquarePValue;
  }

  /** JSON-friendly view of the components plus {@code recommendedPValue} and which test it came from. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("samples", samples);
    m.put("b", b);
    m.put("c", c);
    m.put("chiSquare", chiSquare);
    m.put("chiSquarePValue", chiSquarePValue);
    m.put("exactPValue", exactPValue);
    m.put("recommendedPValue", recommendedPValue());
    m.put("recommendedTest", discordant() < EXACT_BELOW ? "exact binomial" : "chi-square, continuity-corrected");
    m.put("definition", "b = A right and B wrong, c = A wrong and B right; chi2 = (|b-c|-1)^2/(b+c), 1 dof;"
        + " exact = min(1, 2 P(X <= min(b,c))), X ~ Binomial(b+c, 1/2)");
    return m;
  }
}
