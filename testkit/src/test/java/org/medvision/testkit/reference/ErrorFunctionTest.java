package org.medvision.testkit.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** erf against published values, its derivative, its symmetry and its continuity where the method switches. */
class ErrorFunctionTest {
  @Test
  void publishedValues() {
    double[][] table = {
        {0.1, 0.1124629160182849}, {0.5, 0.5204998778130465}, {1, 0.8427007929497149}, {1.5, 0.9661051464753108},
        {2, 0.9953222650189527}, {2.5, 0.999593047982555}, {-3, -0.9999779095030014}, {3.5, 0.9999992569016276},
        {5, 0.9999999999984626}, {0, 0}};
    for (double[] row : table) {
      assertEquals(row[1], ErrorFunction.erf(row[0]), 1e-14, "erf(" + row[0] + ")");
    }
  }

  @Test
  void derivativeIsTheGaussianDensityTimesTwoOverRootPi() {
    double h = 1e-5;
    for (double x = -4; x <= 4; x += 0.37) {
      double numeric = (ErrorFunction.erf(x + h) - ErrorFunction.erf(x - h)) / (2 * h);
      double exact = 2 / Math.sqrt(Math.PI) * Math.exp(-x * x);
      assertEquals(exact, numeric, 1e-8, "erf'(" + x + ")");
    }
  }

  @Test
  void oddContinuousAndSaturating() {
    for (double x = 0.05; x < 7; x += 0.31) {
      assertEquals(-ErrorFunction.erf(x), ErrorFunction.erf(-x), 0.0, "odd at " + x);
    }
    double below = ErrorFunction.erf(Math.nextDown(ErrorFunction.SERIES_LIMIT));
    double above = ErrorFunction.erf(ErrorFunction.SERIES_LIMIT);
    assertEquals(below, above, 1e-15, "series and continued fraction meet");
    assertEquals(1.0, ErrorFunction.erf(Double.POSITIVE_INFINITY));
    assertEquals(-1.0, ErrorFunction.erf(-40));
    assertTrue(Double.isNaN(ErrorFunction.erf(Double.NaN)));
  }
}
