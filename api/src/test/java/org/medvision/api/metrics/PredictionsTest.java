package org.medvision.api.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

class PredictionsTest {
  @Test
  void argmaxTiesGoToTheLowestIndex() {
    assertEquals(0, ConfusionMatrix.argmax(new float[] {0.45f, 0.1f, 0.45f}));
    assertEquals(1, ConfusionMatrix.argmax(new float[] {0.2f, 0.4f, 0.4f}));
    assertEquals(0, ConfusionMatrix.argmax(new float[] {0.25f, 0.25f, 0.25f, 0.25f}));
    assertEquals(2, ConfusionMatrix.argmax(new float[] {0.2f, 0.3f, 0.5f}));
  }

  @Test
  void predictedClassesAndConfidenceOfTheThreeClassExample() {
    Predictions p = Predictions.of(Examples.THREE_CLASS_LABELS, Examples.THREE_CLASS_PROBABILITIES, Examples.ABC);
    assertArrayEquals(new int[] {0, 0, 1, 1, 1, 2, 2, 0}, p.predictedClasses());
    assertEquals(0.45f, p.confidence(7));
  }

  @Test
  void copiesItsInputs() {
    int[] labels = {0, 1};
    float[][] probabilities = {{0.9f, 0.1f}, {0.2f, 0.8f}};
    Predictions p = Predictions.of(labels, probabilities, Examples.BINARY);
    labels[0] = 1;
    probabilities[1][1] = 0f;
    assertEquals(0, p.label(0));
    assertEquals(0.8f, p.probability(1, 1));
  }

  @Test
  void rejectsBadInputsNamingTheProblem() {
    float[][] two = {{0.5f, 0.5f}, {0.5f, 0.5f}};
    assertMessage("2 labels but 1 probability rows", () -> Predictions.of(new int[] {0, 1},
        new float[][] {{1f, 0f}}, Examples.BINARY));
    assertMessage("no samples", () -> Predictions.of(new int[0], new float[0][], Examples.BINARY));
    assertMessage("sample 1 has label 2", () -> Predictions.of(new int[] {0, 2}, two, Examples.BINARY));
    assertMessage("sample 1 has label -1", () -> Predictions.of(new int[] {0, -1}, two, Examples.BINARY));
    assertMessage("row of sample 0 has 3 values, expected 2", () -> Predictions.of(new int[] {0},
        new float[][] {{0.2f, 0.3f, 0.5f}}, Examples.BINARY));
    assertMessage("class 1 for sample 0 is NaN", () -> Predictions.of(new int[] {0},
        new float[][] {{1f, Float.NaN}}, Examples.BINARY));
    assertMessage("class 0 for sample 0 is -0.5", () -> Predictions.of(new int[] {0},
        new float[][] {{-0.5f, 1.5f}}, Examples.BINARY));
    assertMessage("sample 0 sum to 1.5", () -> Predictions.of(new int[] {0},
        new float[][] {{0.7f, 0.8f}}, Examples.BINARY));
    assertMessage("at least 2 class names", () -> Predictions.of(new int[] {0},
        new float[][] {{1f}}, List.of("only")));
    assertMessage("'A' appears twice", () -> Predictions.of(new int[] {0}, two, List.of("A", "A")));
    assertMessage("contain null", () -> Predictions.of(new int[] {0}, two, Arrays.asList("A", null)));
  }

  @Test
  void acceptsRowsWithinTheSumTolerance() {
    Predictions p = Predictions.of(new int[] {0}, new float[][] {{0.3333f, 0.3333f, 0.3333f}}, Examples.ABC);
    assertEquals(1, p.size());
  }

  private static void assertMessage(String expected, Runnable action) {
    MedvisionException e = assertThrows(MedvisionException.class, action::run);
    assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' lacks '" + expected + "'");
  }
}
