package org.medvision.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

class ClassificationMetricsTest {
  // Inputs are float32, so values derived from probabilities carry float rounding; counts are exact.
  private static final double FLOAT_TOL = 1e-6;
  private static final double EXACT_TOL = 1e-12;

  @Test
  void threeClassCountScoresMatchHandArithmetic() {
    ClassificationMetrics m = Examples.threeClass();
    assertEquals(5.0 / 8, m.accuracy(), EXACT_TOL);
    // A: TP 2, FP 1 (sample 7), FN 1, TN 4.  B: TP 2, FP 1, FN 1, TN 4.  C: TP 1, FP 1, FN 1, TN 5.
    assertClass(m.classes().get(0), "A", 3, 2.0 / 3, 2.0 / 3, 4.0 / 5, 2.0 / 3);
    assertClass(m.classes().get(1), "B", 3, 2.0 / 3, 2.0 / 3, 4.0 / 5, 2.0 / 3);
    assertClass(m.classes().get(2), "C", 2, 1.0 / 2, 1.0 / 2, 5.0 / 6, 1.0 / 2);
    // Macro: (2/3 + 2/3 + 1/2) / 3 = 11/18.  Weighted: (3*2/3 + 3*2/3 + 2*1/2) / 8 = 5/8.
    assertEquals(11.0 / 18, m.macro().precision(), EXACT_TOL);
    assertEquals(11.0 / 18, m.macro().recall(), EXACT_TOL);
    assertEquals(11.0 / 18, m.macro().f1(), EXACT_TOL);
    assertEquals(5.0 / 8, m.weighted().precision(), EXACT_TOL);
    assertEquals(5.0 / 8, m.weighted().recall(), EXACT_TOL);
    assertEquals(5.0 / 8, m.weighted().f1(), EXACT_TOL);
    assertEquals(11.0 / 18, m.balancedAccuracy(), EXACT_TOL);
    // Gorodkin: s = 8, c = 5, t = p = (3, 3, 2); (5*8 - 22) / sqrt((64 - 22)^2) = 18/42.
    assertEquals(3.0 / 7, m.matthewsCorrelation(), EXACT_TOL);
    assertEquals(OptionalInt.empty(), m.positiveClass());
    assertTrue(Double.isNaN(m.binaryBrierScore()));
  }

  @Test
  void threeClassProbabilityScoresMatchHandArithmetic() {
    ClassificationMetrics m = Examples.threeClass();
    // Per-sample sums of squared errors: .14 .38 .915 .015 .38 .995 .015 .515, total 3.355.
    assertEquals(3.355 / 8, m.brierScore(), FLOAT_TOL);
    // Bins: 6 {.45 wrong}, 7 {.5 right x2}, 9 {.65 wrong x2}, 10 {.7 right}, 13 {.9 right x2};
    // ECE = (.45 + 2*.5 + 2*.65 + .3 + 2*.1) / 8.
    assertEquals(3.25 / 8, m.expectedCalibrationError(), FLOAT_TOL);
    // AUROC by counting won pairs: A 14/15, B 12/15, C 11/12.
    assertEquals(14.0 / 15, m.classes().get(0).auroc(), EXACT_TOL);
    assertEquals(12.0 / 15, m.classes().get(1).auroc(), EXACT_TOL);
    assertEquals(11.0 / 12, m.classes().get(2).auroc(), EXACT_TOL);
    assertEquals((14.0 / 15 + 12.0 / 15 + 11.0 / 12) / 3, m.macroAuroc(), EXACT_TOL);
    assertEquals(m.macroAuroc(), m.auroc());
    // Average precision: A 1/3 + 1/3 + 1/3 * 3/4; B 1/3 + 1/3 * 2/3 + 1/3 * 3/5; C 1/2 + 1/2 * 2/3.
    assertEquals(11.0 / 12, m.classes().get(0).auprc(), EXACT_TOL);
    assertEquals(34.0 / 45, m.classes().get(1).auprc(), EXACT_TOL);
    assertEquals(5.0 / 6, m.classes().get(2).auprc(), EXACT_TOL);
    assertEquals(451.0 / 540, m.macroAuprc(), EXACT_TOL);
    assertEquals(m.macroAuprc(), m.auprc());
  }

  @Test
  void binaryWithTiedScoresMatchesHandArithmetic() {
    ClassificationMetrics m = Examples.binary();
    assertEquals(OptionalInt.of(1), m.positiveClass());
    // Confusion [[3, 1], [1, 3]]: every count-based score of the positive class is 3/4, MCC (9 - 1) / 16.
    assertEquals(0.75, m.accuracy(), EXACT_TOL);
    assertClass(m.classes().get(1), "positive", 4, 0.75, 0.75, 0.75, 0.75);
    assertEquals(0.5, m.matthewsCorrelation(), EXACT_TOL);
    // Positive/negative pairs: 0.9 wins 4; each 0.6 ties one and wins 3 (3.5); 0.3 ties one and wins 2 (2.5).
    assertEquals(13.5 / 16, m.auroc(), EXACT_TOL);
    // Tie groups enter together: R 1/4 at P 1, R 3/4 at P 3/4, R 1 at P 4/6.  Negatives-first order inside the
    // groups would give 0.7708 and positives-first 0.95.
    assertEquals(1.0 / 4 + 2.0 / 4 * 3.0 / 4 + 1.0 / 4 * 4.0 / 6, m.auprc(), EXACT_TOL);
    // (p_positive - y)^2: .01 .16 .16 .36 .09 .49 .01 .0025.
    assertEquals(1.2825 / 8, m.binaryBrierScore(), FLOAT_TOL);
    assertEquals(2 * 1.2825 / 8, m.brierScore(), FLOAT_TOL);
  }

  @Test
  void balancedAccuracyEqualsAccuracyOnBalancedData() {
    ClassificationMetrics m = Examples.binary();
    assertEquals(m.accuracy(), m.balancedAccuracy(), EXACT_TOL);
  }

  @Test
  void perfectPredictionHasMccOneAndInvertedBinaryMinusOne() {
    int[] labels = {0, 1, 2, 0, 1, 2};
    float[][] right = new float[6][];
    for (int i = 0; i < 6; i++) {
      right[i] = new float[] {0.1f, 0.1f, 0.1f};
      right[i][labels[i]] = 0.8f;
    }
    ClassificationMetrics perfect = ClassificationMetrics.compute(labels, right, Examples.ABC);
    assertEquals(1, perfect.matthewsCorrelation(), EXACT_TOL);
    assertEquals(1, perfect.macroAuroc(), EXACT_TOL);
    assertEquals(1, perfect.macroAuprc(), EXACT_TOL);

    int[] binaryLabels = {0, 1, 1, 0, 1};
    float[][] inverted = new float[5][];
    for (int i = 0; i < 5; i++) {
      inverted[i] = binaryLabels[i] == 1 ? new float[] {0.8f, 0.2f} : new float[] {0.3f, 0.7f};
    }
    ClassificationMetrics wrong = ClassificationMetrics.compute(binaryLabels, inverted, Examples.BINARY);
    assertEquals(-1, wrong.matthewsCorrelation(), EXACT_TOL);
    assertEquals(0, wrong.auroc(), EXACT_TOL);
    assertEquals(0, wrong.accuracy(), EXACT_TOL);
  }

  @Test
  void binaryMccEqualsPhiOfTheTwoByTwoTable() {
    // An unbalanced table, TP 5, FN 2, FP 1, TN 4: phi = (5*4 - 1*2) / sqrt(6 * 7 * 5 * 6).
    int[] labels = {1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0};
    int[] predicted = {1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0};
    ConfusionMatrix matrix = ConfusionMatrix.of(labels, predicted, Examples.BINARY);
    assertEquals(18 / Math.sqrt(6 * 7 * 5 * 6), matrix.matthewsCorrelation(), EXACT_TOL);
  }

  @Test
  void absentClassGivesZeroCountScoresAndNaNRankingScoresWithoutThrowing() {
    // No sample of C, and C is never predicted.
    int[] labels = {0, 0, 1, 1};
    float[][] p = {{0.6f, 0.3f, 0.1f}, {0.3f, 0.6f, 0.1f}, {0.2f, 0.7f, 0.1f}, {0.5f, 0.4f, 0.1f}};
    ClassificationMetrics m = ClassificationMetrics.compute(labels, p, Examples.ABC);
    ClassScores c = m.classScores("C");
    assertEquals(0, c.support());
    assertEquals(0, c.precision());
    assertEquals(0, c.recall());
    assertEquals(0, c.f1());
    assertEquals(1, c.specificity());
    assertTrue(Double.isNaN(c.auroc()));
    assertTrue(Double.isNaN(c.auprc()));
    assertFalse(m.rocCurves().get(2).isDefined());
    // A: positives .6 .3 vs negatives .2 .5 win 3 of 4 pairs; B: .7 .4 vs .3 .6 also 3 of 4.  The macro mean
    // covers the defined classes only, so C's NaN does not leak into it.
    assertEquals(0.75, m.classes().get(0).auroc(), EXACT_TOL);
    assertEquals(0.75, m.classes().get(1).auroc(), EXACT_TOL);
    assertEquals(0.75, m.macroAuroc(), EXACT_TOL);
    // Recalls A 1/2, B 1/2; balanced accuracy skips the absent class, macro recall counts it as 0.
    assertEquals(0.5, m.balancedAccuracy(), EXACT_TOL);
    assertEquals(1.0 / 3, m.macro().recall(), EXACT_TOL);
    assertThrows(MedvisionException.class, () -> m.classScores("D"));
  }

  @Test
  void singleClassDataHasZeroMccAndNaNAuroc() {
    int[] labels = {1, 1, 1};
    float[][] p = {{0.2f, 0.8f}, {0.4f, 0.6f}, {0.7f, 0.3f}};
    ClassificationMetrics m = ClassificationMetrics.compute(labels, p, Examples.BINARY);
    assertEquals(0, m.matthewsCorrelation());
    assertTrue(Double.isNaN(m.auroc()));
    // Every sample positive: each threshold's precision is 1.
    assertEquals(1, m.auprc(), EXACT_TOL);
    assertEquals(0, m.classes().get(1).specificity());
  }

  @Test
  void resultIsImmutable() {
    ClassificationMetrics m = Examples.threeClass();
    assertThrows(UnsupportedOperationException.class, () -> m.classes().clear());
    m.confusionMatrix().counts()[0][0] = 99;
    assertEquals(2, m.confusionMatrix().count(0, 0));
    List<String> names = new ArrayList<>(Examples.ABC);
    ClassificationMetrics fromMutable = ClassificationMetrics.compute(Examples.THREE_CLASS_LABELS,
        Examples.THREE_CLASS_PROBABILITIES, names);
    names.set(0, "changed");
    assertEquals("A", fromMutable.classNames().get(0));
  }

  private static void assertClass(ClassScores s, String name, long support, double precision, double recall,
      double specificity, double f1) {
    assertEquals(name, s.name());
    assertEquals(support, s.support());
    assertEquals(precision, s.precision(), EXACT_TOL, name + " precision");
    assertEquals(recall, s.recall(), EXACT_TOL, name + " recall");
    assertEquals(recall, s.sensitivity(), EXACT_TOL, name + " sensitivity");
    assertEquals(specificity, s.specificity(), EXACT_TOL, name + " specificity");
    assertEquals(f1, s.f1(), EXACT_TOL, name + " f1");
  }
}
