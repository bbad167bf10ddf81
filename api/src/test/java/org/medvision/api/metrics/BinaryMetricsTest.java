package org.medvision.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

class BinaryMetricsTest {
  private static final double TOL = 1e-12;

  @Test
  void bestF1TriesEveryDistinctScoreAndKeepsTheHighestOfEqualOnes() {
    // Scores .9 P, .6 P, .6 P, .6 N, .3 N, .3 P, .1 N, .05 N. F1 = 2TP / (2TP + FP + FN) at each threshold:
    // .9 -> 2/5, .6 -> 6/8, .3 -> 8/10, .1 -> 8/11, .05 -> 8/12; the best is 0.3 with precision 4/6, recall 1.
    boolean[] positive = {true, true, true, false, false, true, false, false};
    double[] scores = {0.9, 0.6, 0.6, 0.6, 0.3, 0.3, 0.1, 0.05};
    BinaryMetrics best = BinaryMetrics.bestF1(positive, scores).orElseThrow();
    assertEquals(0.3, best.threshold());
    assertCounts(best, 4, 2, 0, 2);
    assertEquals(0.8, best.f1(), TOL);
    assertEquals(4.0 / 6, best.precision(), TOL);
    assertEquals(1.0, best.sensitivity(), TOL);
    assertEquals(BinaryMetrics.of(positive, scores).auroc(), best.auroc());

    // .8 P, .7 N, .65 N, .6 P: F1 2/3 at .8 (TP 1, FN 1) and 4/6 at .6 (TP 2, FP 2), less in between; the higher
    // threshold wins the tie.
    BinaryMetrics tie = BinaryMetrics.bestF1(new boolean[] {true, false, false, true},
        new double[] {0.8, 0.7, 0.65, 0.6}).orElseThrow();
    assertEquals(0.8, tie.threshold());
    assertEquals(2.0 / 3, tie.f1(), TOL);

    assertTrue(BinaryMetrics.bestF1(new boolean[] {false, false}, new double[] {0.2, 0.9}).isEmpty());
    assertThrows(MedvisionException.class, () -> BinaryMetrics.bestF1(new boolean[0], new double[0]));
  }

  @Test
  void tiedBinaryExampleAtTheDefaultThresholdAgreesWithArgMax() {
    // Positive scores .9 P, .6 P, .6 P, .6 N, .3 N, .3 P, .1 N, .05 N: at 0.5 the four top scores are positive,
    // TP 3, FP 1, FN 1, TN 3, so every count-based score is 3/4.
    BinaryMetrics b = BinaryMetrics.of(Examples.BINARY_LABELS, Examples.BINARY_PROBABILITIES, 1);
    assertCounts(b, 3, 1, 1, 3);
    assertEquals(0.75, b.accuracy(), TOL);
    assertEquals(0.75, b.sensitivity(), TOL);
    assertEquals(0.75, b.specificity(), TOL);
    assertEquals(0.75, b.precision(), TOL);
    assertEquals(0.75, b.f1(), TOL);
    assertEquals(27.0 / 32, b.auroc(), TOL);
    ClassScores positive = Examples.binary().classes().get(1);
    assertEquals(positive.specificity(), b.specificity(), TOL);
    assertEquals(positive.auroc(), b.auroc(), TOL);
    assertEquals(BinaryMetrics.DEFAULT_THRESHOLD, b.threshold());
    assertEquals(8, b.samples());
  }

  @Test
  void theThresholdIsInclusiveAndMovesOnlyTheCounts() {
    // 0.6f widens to 0.6000000238, so a 0.6 threshold still admits the three 0.6 scores; 0.61 keeps only 0.9:
    // TP 1, FP 0, FN 3, TN 4.
    BinaryMetrics at06 = BinaryMetrics.of(Examples.BINARY_LABELS, Examples.BINARY_PROBABILITIES, 1, 0.6f);
    assertCounts(at06, 3, 1, 1, 3);
    BinaryMetrics strict = BinaryMetrics.of(Examples.BINARY_LABELS, Examples.BINARY_PROBABILITIES, 1, 0.61);
    assertCounts(strict, 1, 0, 3, 4);
    assertEquals(5.0 / 8, strict.accuracy(), TOL);
    assertEquals(0.25, strict.sensitivity(), TOL);
    assertEquals(1, strict.specificity(), TOL);
    assertEquals(1, strict.precision(), TOL);
    assertEquals(2.0 / 5, strict.f1(), TOL);
    assertEquals(27.0 / 32, strict.auroc(), TOL);
  }

  @Test
  void anyClassOfAMultiClassSetCanBeThePositiveOne() {
    // Class A of the three-class example: scores .7 .5 .3 (A) and .05 .2 .1 .05 .45 (not A). At 0.5: TP 2 (.7, .5),
    // FN 1 (.3), FP 0 (.45 < .5), TN 5. AUROC 14/15 as in ClassificationMetricsTest.
    BinaryMetrics a = BinaryMetrics.of(Examples.THREE_CLASS_LABELS, Examples.THREE_CLASS_PROBABILITIES, 0);
    assertCounts(a, 2, 0, 1, 5);
    assertEquals(7.0 / 8, a.accuracy(), TOL);
    assertEquals(2.0 / 3, a.sensitivity(), TOL);
    assertEquals(1, a.specificity(), TOL);
    assertEquals(1, a.precision(), TOL);
    assertEquals(4.0 / 5, a.f1(), TOL);
    assertEquals(14.0 / 15, a.auroc(), TOL);
  }

  @Test
  void aScoreOfExactlyOneHalfIsPositiveUnlikeArgMax() {
    int[] labels = {1, 0};
    float[][] p = {{0.5f, 0.5f}, {0.9f, 0.1f}};
    assertCounts(BinaryMetrics.of(labels, p, 1), 1, 0, 0, 1);
    // Arg-max gives the tie to class 0, so ClassificationMetrics misses the positive.
    assertEquals(0, ClassificationMetrics.compute(labels, p, Examples.BINARY).classes().get(1).recall());
  }

  @Test
  void oneClassPresentGivesZeroDivisionValuesAndNaNAuroc() {
    boolean[] none = {false, false, false};
    BinaryMetrics b = BinaryMetrics.of(none, new double[] {0.1, 0.2, 0.3});
    assertCounts(b, 0, 0, 0, 3);
    assertEquals(1, b.accuracy(), TOL);
    assertEquals(0, b.sensitivity());
    assertEquals(1, b.specificity(), TOL);
    assertEquals(0, b.precision());
    assertEquals(0, b.f1());
    assertTrue(Double.isNaN(b.auroc()));
    assertTrue(b.toMap().containsKey("auroc") && b.toMap().get("auroc") == null);

    BinaryMetrics all = BinaryMetrics.of(new boolean[] {true, true}, new double[] {0.9, 0.2});
    assertEquals(0, all.specificity());
    assertEquals(0.5, all.sensitivity(), TOL);
    assertEquals(1, all.precision(), TOL);
    assertTrue(Double.isNaN(all.auroc()));
  }

  @Test
  void rejectsInvalidInputs() {
    assertThrows(MedvisionException.class, () -> BinaryMetrics.of(new boolean[0], new double[0]));
    assertThrows(MedvisionException.class, () -> BinaryMetrics.of(new boolean[] {true}, new double[] {0.1, 0.2}));
    assertThrows(MedvisionException.class, () -> BinaryMetrics.of(new boolean[] {true}, new double[] {Double.NaN}));
    assertThrows(MedvisionException.class, () -> BinaryMetrics.of(new boolean[] {true}, new double[] {0.1},
        Double.NaN));
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> BinaryMetrics.of(new int[] {0}, new float[][] {{0.4f, 0.6f}}, 2));
    assertTrue(e.getMessage().contains("too few for positive class 2"), e.getMessage());
    assertThrows(MedvisionException.class, () -> BinaryMetrics.of(new int[] {0}, new float[][] {{1f}}, -1));
    assertThrows(MedvisionException.class, () -> BinaryMetrics.of(new int[] {0, 1}, new float[][] {{1f}}, 0));
  }

  private static void assertCounts(BinaryMetrics b, long tp, long fp, long fn, long tn) {
    assertEquals(tp, b.truePositives(), "TP");
    assertEquals(fp, b.falsePositives(), "FP");
    assertEquals(fn, b.falseNegatives(), "FN");
    assertEquals(tn, b.trueNegatives(), "TN");
  }
}
