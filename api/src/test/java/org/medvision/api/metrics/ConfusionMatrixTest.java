package org.medvision.api.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

class ConfusionMatrixTest {
  @Test
  void countsOfTheThreeClassExample() {
    ConfusionMatrix m = Examples.threeClass().confusionMatrix();
    assertArrayEquals(new long[] {2, 1, 0}, m.counts()[0]);
    assertArrayEquals(new long[] {0, 2, 1}, m.counts()[1]);
    assertArrayEquals(new long[] {1, 0, 1}, m.counts()[2]);
    assertEquals(8, m.total());
    assertEquals(2, m.support(2));
    assertEquals(3, m.predictedCount(0));
    // Class C: TP 1, FP 1 (a B sample), FN 1 (the tied sample sent to A), TN 5.
    assertEquals(1, m.truePositives(2));
    assertEquals(1, m.falsePositives(2));
    assertEquals(1, m.falseNegatives(2));
    assertEquals(5, m.trueNegatives(2));
  }

  @Test
  void fromHardPredictionsAgreesWithArgmaxOfProbabilities() {
    Predictions p = Predictions.of(Examples.THREE_CLASS_LABELS, Examples.THREE_CLASS_PROBABILITIES, Examples.ABC);
    ConfusionMatrix hard = ConfusionMatrix.of(Examples.THREE_CLASS_LABELS, p.predictedClasses(), Examples.ABC);
    for (int t = 0; t < 3; t++) {
      assertArrayEquals(Examples.threeClass().confusionMatrix().counts()[t], hard.counts()[t]);
    }
  }

  @Test
  void rejectsOutOfRangeAndMismatchedInputs() {
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> ConfusionMatrix.of(new int[] {0, 1}, new int[] {0, 3}, Examples.ABC));
    assertTrue(e.getMessage().contains("sample 1 has label 1 and prediction 3"), e.getMessage());
    e = assertThrows(MedvisionException.class,
        () -> ConfusionMatrix.of(new int[] {0, 1}, new int[] {0}, Examples.ABC));
    assertTrue(e.getMessage().contains("2 labels but 1 predictions"), e.getMessage());
  }
}
