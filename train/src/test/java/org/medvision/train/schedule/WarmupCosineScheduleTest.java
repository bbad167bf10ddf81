package org.medvision.train.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

class WarmupCosineScheduleTest {
  private static final double TOL = 1e-15;

  @Test
  void warmupRisesLinearlyToTheBaseRate() {
    WarmupCosineSchedule s = new WarmupCosineSchedule(1e-3, 0, 4, 12);
    // b·(s+1)/W with W = 4: 0.25, 0.5, 0.75, 1 times b.
    assertEquals(0.25e-3, s.rate(0), TOL);
    assertEquals(0.50e-3, s.rate(1), TOL);
    assertEquals(0.75e-3, s.rate(2), TOL);
    assertEquals(1.00e-3, s.rate(3), TOL);
  }

  @Test
  void cosineMatchesHandValues() {
    WarmupCosineSchedule s = new WarmupCosineSchedule(1e-3, 0, 4, 12);
    // 8 cosine steps: progress p = (s − 4)/8, rate = b·(1 + cos πp)/2.
    assertEquals(1e-3, s.rate(4), TOL); // p = 0
    assertEquals(1e-3 * (1 + Math.sqrt(0.5)) / 2, s.rate(6), TOL); // p = 1/4: cos = √½ → 0.853553…e-3
    assertEquals(0.5e-3, s.rate(8), TOL); // p = 1/2: cos = 0
    assertEquals(1e-3 * (1 - Math.sqrt(0.5)) / 2, s.rate(10), TOL); // p = 3/4 → 0.146447…e-3
    assertEquals(0.0, s.rate(12), TOL); // at and past the end: the final rate
    assertEquals(0.0, s.rate(100), TOL);
  }

  @Test
  void finalRateIsTheFloorAndNoWarmupStartsAtTheBase() {
    WarmupCosineSchedule s = new WarmupCosineSchedule(0.1, 0.01, 0, 2);
    assertEquals(0.1, s.rate(0), TOL);
    assertEquals(0.01 + 0.09 * 0.5, s.rate(1), 1e-15); // p = 1/2
    assertEquals(0.01, s.rate(2), TOL);
  }

  @Test
  void rateNeverRisesAfterWarmup() {
    WarmupCosineSchedule s = new WarmupCosineSchedule(3e-4, 1e-6, 7, 300);
    for (long i = 7; i < 300; i++) {
      assertTrue(s.rate(i + 1) <= s.rate(i), "step " + i);
    }
  }

  @Test
  void rejectsBadRanges() {
    assertThrows(MedvisionException.class, () -> new WarmupCosineSchedule(0, 0, 0, 10));
    assertThrows(MedvisionException.class, () -> new WarmupCosineSchedule(1e-3, 2e-3, 0, 10));
    assertThrows(MedvisionException.class, () -> new WarmupCosineSchedule(1e-3, 0, 10, 10));
    assertThrows(MedvisionException.class, () -> new WarmupCosineSchedule(1e-3, 0, 0, 10).rate(-1));
  }
}
