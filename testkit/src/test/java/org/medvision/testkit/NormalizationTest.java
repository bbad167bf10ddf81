package org.medvision.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.medvision.testkit.OneNodeGraphs.run;
import static org.medvision.testkit.OneNodeGraphs.t;

import org.junit.jupiter.api.Test;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Op;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.testkit.fixtures.RandomTensors;

/** Softmax, LayerNormalization and BatchNormalization against hand values and defining properties. */
class NormalizationTest {
  @Test
  void softmaxOfOneTwoThree() {
    Tensor y = run(Op.SOFTMAX, t(new float[] {1, 2, 3}, 1, 3));
    assertArrayEquals(new float[] {0.09003057317038046f, 0.24472847105479767f, 0.6652409557748219f},
        y.toFloatArray());
  }

  @Test
  void softmaxAlongAMiddleAxisSumsToOneAndMatchesExpOverSum() {
    Tensor x = new RandomTensors(5).uniform(Shape.of(2, 4, 3), -10f, 10f);
    float[] y = run(Op.SOFTMAX, Attributes.builder().set("axis", -2L).build(), x).toFloatArray();
    float[] v = x.toFloatArray();
    for (int b = 0; b < 2; b++) {
      for (int k = 0; k < 3; k++) {
        double sum = 0;
        double expSum = 0;
        for (int i = 0; i < 4; i++) {
          expSum += Math.exp(v[b * 12 + i * 3 + k]);
        }
        for (int i = 0; i < 4; i++) {
          int at = b * 12 + i * 3 + k;
          sum += y[at];
          assertEquals(Math.exp(v[at]) / expSum, y[at], 1e-7);
        }
        assertEquals(1.0, sum, 1e-6);
      }
    }
  }

  @Test
  void softmaxIsStableForLargeLogits() {
    float[] y = run(Op.SOFTMAX, t(new float[] {1000, 1000, -1000}, 3)).toFloatArray();
    assertArrayEquals(new float[] {0.5f, 0.5f, 0}, y);
  }

  @Test
  void layerNormByHand() {
    // mean 2.5, biased variance 1.25, epsilon 0: (x - 2.5)/√1.25, then scale (1,2,1,1) and bias (0,0,1,0).
    double s = Math.sqrt(1.25);
    Tensor y = run(Op.LAYER_NORM, Attributes.builder().set("epsilon", 0f).build(), t(new float[] {1, 2, 3, 4}, 1, 4),
        t(new float[] {1, 2, 1, 1}, 4), t(new float[] {0, 0, 1, 0}, 4));
    assertArrayEquals(new float[] {(float) (-1.5 / s), (float) (-1.0 / s), (float) (0.5 / s + 1), (float) (1.5 / s)},
        y.toFloatArray());
  }

  @Test
  void layerNormOverTwoAxesGivesMeanZeroAndUnitVariance() {
    Tensor x = new RandomTensors(6).uniform(Shape.of(3, 4, 5), 2f, 7f);
    float[] ones = new float[20];
    java.util.Arrays.fill(ones, 1f);
    float[] y = run(Op.LAYER_NORM, Attributes.builder().set("axis", -2L).set("epsilon", 0f).build(), x,
        t(ones, 4, 5)).toFloatArray();
    for (int b = 0; b < 3; b++) {
      double sum = 0;
      double squares = 0;
      for (int i = 0; i < 20; i++) {
        sum += y[b * 20 + i];
        squares += (double) y[b * 20 + i] * y[b * 20 + i];
      }
      assertEquals(0.0, sum / 20, 1e-6, "mean of group " + b);
      assertEquals(1.0, squares / 20, 1e-6, "variance of group " + b);
    }
  }

  @Test
  void batchNormByHand() {
    // channel 0: (x - 2)/√4 · 2 + 0; channel 1: (x - 3)/√1 · 1 + 1.
    Tensor y = run(Op.BATCH_NORM, Attributes.builder().set("epsilon", 0f).build(),
        t(new float[] {1, 3, 2, 4}, 1, 2, 1, 2),
        t(new float[] {2, 1}, 2), t(new float[] {0, 1}, 2), t(new float[] {2, 3}, 2), t(new float[] {4, 1}, 2));
    assertArrayEquals(new float[] {-1, 1, 0, 2}, y.toFloatArray());
  }

  @Test
  void batchNormEpsilonIsAddedToTheVariance() {
    // var 0.75 + epsilon 0.25 = 1, so the output is x - mean.
    Tensor y = run(Op.BATCH_NORM, Attributes.builder().set("epsilon", 0.25f).build(), t(new float[] {5, 7}, 2, 1),
        t(new float[] {1}, 1), t(new float[] {0}, 1), t(new float[] {1}, 1), t(new float[] {0.75f}, 1));
    assertArrayEquals(new float[] {4, 6}, y.toFloatArray());
  }
}
