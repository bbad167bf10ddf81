package org.medvision.api.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

class RankingCurvesTest {
  private static final double TOL = 1e-12;
  private static final double INF = Double.POSITIVE_INFINITY;

  @Test
  void rocPointsOfTheTiedBinaryExample() {
    RocCurve roc = Examples.binary().rocCurves().get(1);
    // Thresholds .9, .6 (2 P + 1 N), .3 (1 P + 1 N), .1, .05 over 4 positives and 4 negatives.
    assertArrayEquals(new double[] {0, 0, 0.25, 0.5, 0.75, 1}, roc.falsePositiveRates(), TOL);
    assertArrayEquals(new double[] {0, 0.25, 0.75, 1, 1, 1}, roc.truePositiveRates(), TOL);
    assertArrayEquals(new double[] {INF, 0.9f, 0.6f, 0.3f, 0.1f, 0.05f}, roc.thresholds(), 0);
    // Trapezoids 1/8 + 7/32 + 1/4 + 1/4 = 27/32, the same as the pair count 13.5/16.
    assertEquals(27.0 / 32, roc.area(), TOL);
  }

  @Test
  void precisionRecallPointsOfTheTiedBinaryExample() {
    PrecisionRecallCurve pr = Examples.binary().precisionRecallCurves().get(1);
    assertArrayEquals(new double[] {0, 0.25, 0.75, 1, 1, 1}, pr.recalls(), TOL);
    assertArrayEquals(new double[] {1, 1, 0.75, 4.0 / 6, 4.0 / 7, 4.0 / 8}, pr.precisions(), TOL);
    assertArrayEquals(new double[] {INF, 0.9f, 0.6f, 0.3f, 0.1f, 0.05f}, pr.thresholds(), 0);
  }

  @Test
  void rocPointsOfThreeClassExampleClassC() {
    RocCurve roc = Examples.threeClass().rocCurves().get(2);
    // C scores: positives .9 .45, negatives .65 .3 .2 .1 .05 .05 (the two .05 share a threshold).
    assertArrayEquals(new double[] {0, 0, 1.0 / 6, 1.0 / 6, 2.0 / 6, 3.0 / 6, 4.0 / 6, 1},
        roc.falsePositiveRates(), TOL);
    assertArrayEquals(new double[] {0, 0.5, 0.5, 1, 1, 1, 1, 1}, roc.truePositiveRates(), TOL);
  }

  @Test
  void trapezoidAreaEqualsRankAurocOnRandomScoresWithTies() {
    SplittableRandom random = new SplittableRandom(7);
    for (int trial = 0; trial < 200; trial++) {
      int n = random.nextInt(2, 60);
      double[] scores = new double[n];
      boolean[] positive = new boolean[n];
      for (int i = 0; i < n; i++) {
        scores[i] = random.nextInt(8) / 8.0; // coarse scores force ties
        positive[i] = random.nextBoolean();
      }
      double pairs = pairCountAuroc(scores, positive);
      assertEquals(pairs, RankAuc.auroc(scores, positive), 1e-12, "trial " + trial);
      assertEquals(pairs, RocCurve.of(scores, positive).area(), 1e-12, "trial " + trial);
    }
  }

  @Test
  void averagePrecisionEqualsMeanPrecisionAtEachPositiveWithoutTies() {
    // Without ties AP is the mean, over positives, of the precision at that positive's rank.
    double[] scores = {0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4};
    boolean[] positive = {true, false, true, false, false, true, false};
    double expected = (1.0 / 1 + 2.0 / 3 + 3.0 / 6) / 3;
    assertEquals(expected, PrecisionRecallCurve.of(scores, positive).averagePrecision(), TOL);
  }

  @Test
  void undefinedCurvesHaveNoPointsAndNaNAreas() {
    double[] scores = {0.2, 0.4};
    boolean[] none = {false, false};
    boolean[] all = {true, true};
    assertTrue(Double.isNaN(RankAuc.auroc(scores, none)));
    assertTrue(Double.isNaN(RankAuc.auroc(scores, all)));
    assertFalse(RocCurve.of(scores, all).isDefined());
    assertTrue(Double.isNaN(RocCurve.of(scores, none).area()));
    assertEquals(0, RocCurve.of(scores, none).thresholds().length);
    assertTrue(Double.isNaN(PrecisionRecallCurve.of(scores, none).averagePrecision()));
    assertEquals(1, PrecisionRecallCurve.of(scores, all).averagePrecision(), TOL);
  }

  @Test
  void rejectsMismatchedLengthsAndNaNScores() {
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> RankAuc.auroc(new double[] {0.1, 0.2}, new boolean[] {true}));
    assertTrue(e.getMessage().contains("2 scores but 1 truth values"), e.getMessage());
    e = assertThrows(MedvisionException.class,
        () -> RocCurve.of(new double[] {0.1, Double.NaN}, new boolean[] {true, false}));
    assertTrue(e.getMessage().contains("sample 1 is NaN"), e.getMessage());
  }

  /** AUROC straight from its definition: wins plus half the ties over all positive/negative pairs. */
  private static double pairCountAuroc(double[] scores, boolean[] positive) {
    double wins = 0;
    long pairs = 0;
    for (int i = 0; i < scores.length; i++) {
      for (int j = 0; j < scores.length; j++) {
        if (positive[i] && !positive[j]) {
          pairs++;
          wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
        }
      }
    }
    return pairs == 0 ? Double.NaN : wins / pairs;
  }
}
