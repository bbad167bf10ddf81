package org.medvision.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

class LesionDetectionTest {
  private static final double TOL = 1e-12;
  private static final int[] SHAPE = {3, 8};

  /**
   * <pre>
   * truth            prediction
   * 1 1 0 0 1 0 0 0  0 1 1 0 0 0 0 0
   * 0 0 0 0 1 0 0 0  0 0 0 0 1 0 0 0
   * 0 0 0 0 0 0 0 1  1 0 0 0 1 1 0 0
   * </pre>
   * True lesions T1 (2 voxels), T2 (2), T3 (1). Predicted P1 shares one voxel with T1 (IoU 1/3), P2 (3 voxels) one
   * with T2 (IoU 1/4), and P3 touches nothing.
   */
  private static final boolean[] TRUTH = OverlapTest.mask(
      1, 1, 0, 0, 1, 0, 0, 0,
      0, 0, 0, 0, 1, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 1);
  private static final boolean[] PREDICTION = OverlapTest.mask(
      0, 1, 1, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 1, 0, 0, 0,
      1, 0, 0, 0, 1, 1, 0, 0);

  @Test
  void anyOverlapDetectsTwoOfThree() {
    LesionCounts c = evaluate(LesionMatch.ANY_OVERLAP);
    assertEquals(new LesionCounts(3, 2, 3, 2), c);
    assertEquals(2.0 / 3, c.recall(), TOL);
    assertEquals(2.0 / 3, c.precision(), TOL);
    assertEquals(1, c.falsePositives());
    assertEquals(1, c.missedLesions());
  }

  @Test
  void anIouThresholdDropsWeakOverlaps() {
    assertEquals(new LesionCounts(3, 2, 3, 2), evaluate(LesionMatch.iouAtLeast(0.25)));
    LesionCounts third = evaluate(LesionMatch.iouAtLeast(0.3));
    assertEquals(new LesionCounts(3, 1, 3, 1), third);
    assertEquals(2, third.falsePositives());
    LesionCounts half = evaluate(LesionMatch.iouAtLeast(0.5));
    assertEquals(0, half.recall());
    assertEquals(0, half.precision());
    assertEquals(3, half.falsePositives());
  }

  @Test
  void onePredictionCoveringTwoLesionsDetectsBothAndCountsOnce() {
    LesionCounts c = LesionDetection.evaluate(OverlapTest.mask(1, 0, 1, 0, 0), OverlapTest.mask(1, 1, 1, 0, 0),
        new int[] {1, 5}, Connectivity.FACE, LesionMatch.ANY_OVERLAP);
    assertEquals(new LesionCounts(2, 2, 1, 1), c);
    assertEquals(1, c.recall(), TOL);
    assertEquals(1, c.precision(), TOL);
  }

  @Test
  void connectivityDecidesWhatOneLesionIs() {
    // A diagonal pair: two lesions with 4-connectivity, one with 8; the prediction covers one voxel of it.
    boolean[] truth = OverlapTest.mask(1, 0, 0, 1);
    boolean[] prediction = OverlapTest.mask(1, 0, 0, 0);
    int[] shape = {2, 2};
    assertEquals(0.5, LesionDetection.evaluate(truth, prediction, shape, Connectivity.FACE,
        LesionMatch.ANY_OVERLAP).recall(), TOL);
    assertEquals(1, LesionDetection.evaluate(truth, prediction, shape, Connectivity.FULL,
        LesionMatch.ANY_OVERLAP).recall(), TOL);
  }

  @Test
  void emptyScansHaveUndefinedRatiosAndPoolIntoTheSummary() {
    LesionCounts clean = LesionDetection.evaluate(new boolean[4], OverlapTest.mask(0, 1, 0, 0), new int[] {2, 2},
        Connectivity.FACE, LesionMatch.ANY_OVERLAP);
    assertEquals(new LesionCounts(0, 0, 1, 0), clean);
    assertTrue(Double.isNaN(clean.recall()));
    assertEquals(0, clean.precision());
    LesionCounts nothing = LesionDetection.evaluate(new boolean[4], new boolean[4], new int[] {2, 2},
        Connectivity.FACE, LesionMatch.ANY_OVERLAP);
    assertTrue(Double.isNaN(nothing.precision()));
    assertEquals(null, nothing.toMap().get("recall"));

    // Pooled over three scans: 3 true lesions, 2 found; 4 predictions, 2 matched; 2 false positives / 3 scans.
    LesionSummary s = LesionSummary.of(List.of(evaluate(LesionMatch.ANY_OVERLAP), clean, nothing));
    assertEquals(new LesionCounts(3, 2, 4, 2), s.total());
    assertEquals(2.0 / 3, s.recall(), TOL);
    assertEquals(0.5, s.precision(), TOL);
    assertEquals(2.0 / 3, s.falsePositivesPerScan(), TOL);
  }

  @Test
  void rejectsBadSettings() {
    assertThrows(MedvisionException.class, () -> LesionMatch.iouAtLeast(-0.1));
    assertThrows(MedvisionException.class, () -> LesionMatch.iouAtLeast(1.5));
    assertThrows(MedvisionException.class, () -> LesionMatch.iouAtLeast(Double.NaN));
    assertThrows(MedvisionException.class, () -> LesionSummary.of(List.of()));
    ConnectedComponents a = ConnectedComponents.label(new boolean[4], new int[] {2, 2}, Connectivity.FACE);
    ConnectedComponents b = ConnectedComponents.label(new boolean[4], new int[] {4, 1}, Connectivity.FACE);
    assertThrows(MedvisionException.class, () -> LesionDetection.evaluate(a, b, LesionMatch.ANY_OVERLAP));
  }

  private static LesionCounts evaluate(LesionMatch match) {
    return LesionDetection.evaluate(TRUTH, PREDICTION, SHAPE, Connectivity.FACE, match);
  }
}
