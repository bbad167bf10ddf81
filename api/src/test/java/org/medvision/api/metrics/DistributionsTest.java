package org.medvision.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DistributionsTest {
  @Test
  void erfcMatchesTabulatedValues() {
    // Reference values of erfc (Abramowitz and Stegun table 7.1, extended precision as printed by mpmath/scipy).
    double[][] table = {
        {0.1, 0.8875370839817152},
        {0.5, 0.4795001221869535},
        {1.0, 0.15729920705028516},
        {1.5, 0.03389485352468927},
        {2.0, 0.004677734981047266},
        {2.5, 0.00040695201744495886},
        {3.0, 2.2090496998585445e-05},
        {5.0, 1.5374597944280347e-12},
        {10.0, 2.0884875837625446e-45},
    };
    for (double[] row : table) {
      assertEquals(row[1], Distributions.erfc(row[0]), 1e-13 * row[1], "erfc(" + row[0] + ")");
    }
    assertEquals(1, Distributions.erfc(0), 0);
    // erfc(-x) = 2 - erfc(x).
    assertEquals(2 - 0.15729920705028516, Distributions.erfc(-1), 1e-15);
  }

  @Test
  void chiSquareTailAtTheClassicCriticalValues() {
    // The 5%, 1% and 0.1% critical values of chi-square with one degree of freedom.
    assertEquals(0.05, Distributions.chiSquare1Survival(3.841458820694124), 1e-12);
    assertEquals(0.01, Distributions.chiSquare1Survival(6.634896601021214), 1e-12);
    assertEquals(0.001, Distributions.chiSquare1Survival(10.827566170662733), 1e-13);
    assertEquals(1, Distributions.chiSquare1Survival(0), 0);
  }

  @Test
  void binomialHalfCdfByCountingSubsets() {
    // P(X <= 3), n = 13: (1 + 13 + 78 + 286) / 2^13.
    assertEquals(378.0 / 8192, Distributions.binomialHalfCdf(13, 3), 1e-15);
    // P(X <= 5), n = 20: (1 + 20 + 190 + 1140 + 4845 + 15504) / 2^20.
    assertEquals(21700.0 / 1048576, Distributions.binomialHalfCdf(20, 5), 1e-15);
    assertEquals(1.0 / 1024, Distributions.binomialHalfCdf(10, 0), 1e-18);
    assertEquals(1, Distributions.binomialHalfCdf(10, 10), 0);
    assertEquals(0, Distributions.binomialHalfCdf(10, -1), 0);
    // Symmetry: for odd n exactly half the mass lies at or below (n - 1) / 2, also where 2^-n underflows.
    assertEquals(0.5, Distributions.binomialHalfCdf(13, 6), 1e-15);
    assertEquals(0.5, Distributions.binomialHalfCdf(4001, 2000), 1e-11);
  }
}
