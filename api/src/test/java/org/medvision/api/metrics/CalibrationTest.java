package org.medvision.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

class CalibrationTest {
  private static final double FLOAT_TOL = 1e-6;

  @Test
  void binsAreUpperEdgeInclusive() {
    for (int k = 1; k <= 15; k++) {
      double edge = k / 15.0;
      assertEquals(k - 1, Calibration.binOf(edge, 15), "edge " + k + "/15 closes bin " + (k - 1));
      if (k < 15) {
        assertEquals(k, Calibration.binOf(Math.nextUp(edge), 15), "just above " + k + "/15");
      }
    }
    assertEquals(0, Calibration.binOf(0, 15));
    assertEquals(14, Calibration.binOf(1, 15));
  }

  @Test
  void reliabilityBinsOfTheThreeClassExample() {
    List<ReliabilityBin> bins = Examples.threeClass().calibration().bins();
    assertEquals(15, bins.size());
    long[] counts = new long[15];
    counts[6] = 1;
    counts[7] = 2;
    counts[9] = 2;
    counts[10] = 1;
    counts[13] = 2;
    for (int b = 0; b < 15; b++) {
      assertEquals(counts[b], bins.get(b).count(), "bin " + b);
      assertEquals(b / 15.0, bins.get(b).lower(), 1e-15);
      assertEquals((b + 1) / 15.0, bins.get(b).upper(), 1e-15);
    }
    assertTrue(Double.isNaN(bins.get(0).meanConfidence()));
    assertTrue(Double.isNaN(bins.get(0).accuracy()));
    assertEquals(0.65, bins.get(9).meanConfidence(), FLOAT_TOL);
    assertEquals(0, bins.get(9).accuracy());
    assertEquals(0.5, bins.get(7).meanConfidence(), FLOAT_TOL);
    assertEquals(1, bins.get(7).accuracy());
  }

  @Test
  void perfectlyCalibratedBinsHaveZeroEce() {
    // Twenty samples at confidence .75 (bin 11) with 15 right, and four tied rows at confidence .5 (bin 7) with 2
    // right: each bin's accuracy equals its mean confidence.
    int n = 24;
    int[] labels = new int[n];
    float[][] p = new float[n][];
    for (int i = 0; i < 20; i++) {
      p[i] = new float[] {0.75f, 0.25f};
      labels[i] = i < 15 ? 0 : 1;
    }
    for (int i = 20; i < 24; i++) {
      p[i] = new float[] {0.5f, 0.5f};
      labels[i] = i < 22 ? 0 : 1;
    }
    Calibration c = Calibration.of(Predictions.of(labels, p, Examples.BINARY), Calibration.DEFAULT_BINS);
    assertEquals(0, c.expectedCalibrationError(), FLOAT_TOL);
    assertEquals(20, c.bins().get(11).count());
    assertEquals(4, c.bins().get(7).count());
  }

  @Test
  void overconfidentPredictionsHaveTheirGapAsEce() {
    // All at confidence .95 (bin 14), half right: ECE = |.5 - .95|.
    int[] labels = {0, 1, 0, 1};
    float[][] p = {{0.95f, 0.05f}, {0.95f, 0.05f}, {0.05f, 0.95f}, {0.05f, 0.95f}};
    Calibration c = Calibration.of(Predictions.of(labels, p, Examples.BINARY), 15);
    assertEquals(0.45, c.expectedCalibrationError(), FLOAT_TOL);
  }

  @Test
  void rejectsNonPositiveBinCount() {
    Predictions p = Predictions.of(new int[] {0}, new float[][] {{1f, 0f}}, Examples.BINARY);
    MedvisionException e = assertThrows(MedvisionException.class, () -> Calibration.of(p, 0));
    assertTrue(e.getMessage().contains("bin count"), e.getMessage());
  }
}
