package org.medvision.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

class OneVsRestAucTest {
  private static final double TOL = 1e-12;

  @Test
  void weightedAndMacroMeansOfTheThreeClassExample() {
    OneVsRestAuc auc = OneVsRestAuc.compute(Examples.THREE_CLASS_LABELS, Examples.THREE_CLASS_PROBABILITIES);
    // Per class (ClassificationMetricsTest): A 14/15, B 12/15, C 11/12, supports 3, 3, 2.
    assertEquals(List.of(3L, 3L, 2L), auc.support());
    assertEquals(14.0 / 15, auc.auroc().get(0), TOL);
    assertEquals((14.0 / 15 + 12.0 / 15 + 11.0 / 12) / 3, auc.macro(), TOL);
    assertEquals((3 * 14.0 / 15 + 3 * 12.0 / 15 + 2 * 11.0 / 12) / 8, auc.weighted(), TOL);
    assertEquals(Examples.threeClass().macroAuroc(), auc.macro(), TOL);
    assertEquals(List.of(), auc.excluded());
  }

  @Test
  void anAbsentClassIsExcludedAndListed() {
    // No sample of C: A and B both win 3 of 4 pairs.
    int[] labels = {0, 0, 1, 1};
    float[][] p = {{0.6f, 0.3f, 0.1f}, {0.3f, 0.6f, 0.1f}, {0.2f, 0.7f, 0.1f}, {0.5f, 0.4f, 0.1f}};
    OneVsRestAuc auc = OneVsRestAuc.compute(labels, p);
    assertEquals(List.of(2), auc.excluded());
    assertTrue(Double.isNaN(auc.auroc().get(2)));
    assertEquals(0.75, auc.macro(), TOL);
    assertEquals(0.75, auc.weighted(), TOL);
  }

  @Test
  void aSingleClassLeavesNothingDefined() {
    OneVsRestAuc auc = OneVsRestAuc.compute(new int[] {1, 1}, new float[][] {{0.2f, 0.8f}, {0.6f, 0.4f}});
    assertEquals(List.of(0, 1), auc.excluded());
    assertTrue(Double.isNaN(auc.macro()));
    assertTrue(Double.isNaN(auc.weighted()));
  }

  @Test
  void rejectsInvalidInputs() {
    assertThrows(MedvisionException.class, () -> OneVsRestAuc.compute(new int[0], new float[0][]));
    assertThrows(MedvisionException.class, () -> OneVsRestAuc.compute(new int[] {0}, new float[][] {{1f}}));
    assertThrows(MedvisionException.class, () -> OneVsRestAuc.compute(new int[] {2}, new float[][] {{.5f, .5f}}));
    assertThrows(MedvisionException.class,
        () -> OneVsRestAuc.compute(new int[] {0, 1}, new float[][] {{.5f, .5f}, {1f}}));
  }

  @Test
  void classAveragesOfHardPredictionsByHand() {
    // Arg-max of the three-class example reproduces ClassificationMetrics' macro 11/18 and weighted 5/8.
    int[] predicted = new int[8];
    for (int i = 0; i < 8; i++) {
      predicted[i] = ConfusionMatrix.argmax(Examples.THREE_CLASS_PROBABILITIES[i]);
    }
    assertEquals(Examples.threeClass().weighted(), ClassAverages.weighted(Examples.THREE_CLASS_LABELS, predicted, 3));
    assertEquals(Examples.threeClass().macro(), ClassAverages.macro(Examples.THREE_CLASS_LABELS, predicted, 3));

    // Class 2 is predicted once but never true: P 0, R 0, F1 0, support 0. Class 0: TP 1, FN 1 (P 1, R 1/2, F1
    // 2/3); class 1: TP 1 (all 1).
    int[] labels = {0, 0, 1};
    int[] guesses = {0, 2, 1};
    AveragedScores weighted = ClassAverages.weighted(labels, guesses, 3);
    assertEquals(1, weighted.precision(), TOL);
    assertEquals(2.0 / 3, weighted.recall(), TOL);
    assertEquals(7.0 / 9, weighted.f1(), TOL);
    AveragedScores macro = ClassAverages.macro(labels, guesses, 3);
    assertEquals(2.0 / 3, macro.precision(), TOL);
    assertEquals(0.5, macro.recall(), TOL);
    assertEquals(5.0 / 9, macro.f1(), TOL);
    assertThrows(MedvisionException.class, () -> ClassAverages.weighted(new int[0], new int[0], 3));
    assertThrows(MedvisionException.class, () -> ClassAverages.weighted(new int[] {3}, new int[] {0}, 3));
  }
}
