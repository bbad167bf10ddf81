package org.medvision.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

/** The range test's rates, smoothing, suggestion and stopping rule, worked by hand. */
class LearningRateSweepTest {
  @Test
  void ratesGrowGeometricallyFromMinToMax() {
    assertArrayEquals(new double[] {1e-4, 1e-3, 1e-2, 1e-1}, LearningRateSweep.schedule(1e-4, 1e-1, 4), 1e-15);
    assertThrows(MedvisionException.class, () -> LearningRateSweep.schedule(1e-1, 1e-4, 4));
    assertThrows(MedvisionException.class, () -> LearningRateSweep.schedule(1e-4, 1e-1, 1));
  }

  @Test
  void smoothingIsABiasCorrectedMovingAverage() {
    LearningRateSweep s = new LearningRateSweep(new double[] {1, 2}, new double[] {2, 1}, "");
    // avg1 = 0.1·2 = 0.2, /(1−0.9) = 2; avg2 = 0.9·0.2 + 0.1·1 = 0.28, /(1−0.81) = 1.47368...
    assertArrayEquals(new double[] {2, 0.28 / 0.19}, s.smoothed(), 1e-12);
  }

  @Test
  void theSuggestionIsATenthOfTheRateAtTheLowestSmoothedLoss() {
    double[] rates = LearningRateSweep.schedule(1e-4, 1, 9);
    double[] losses = {2.0, 2.0, 1.9, 1.5, 0.9, 0.6, 0.5, 0.9, 3.0};
    LearningRateSweep s = new LearningRateSweep(rates, losses, "");
    int min = s.minimumIndex();
    double[] smoothed = s.smoothed();
    for (int i = 0; i < smoothed.length; i++) {
      assertTrue(smoothed[min] <= smoothed[i], "index " + min + " holds the smallest smoothed loss");
    }
    assertEquals(rates[min] / 10, s.suggested(), 1e-15);
    assertTrue(s.steepestRate() <= s.rateAtMinimum());
  }

  @Test
  void itStopsOnNanOrWhenTheSmoothedLossPassesFourTimesItsMinimum() {
    assertFalse(LearningRateSweep.exploded(List.of(1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.6)));
    assertTrue(LearningRateSweep.exploded(List.of(1.0, 0.9, Double.NaN)));
    assertTrue(LearningRateSweep.exploded(List.of(1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 40.0)));
  }
}
