package org.medvision.api.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Initializer;
import org.medvision.api.tensor.Shape;

/**
 * Statistical checks with seeded draws. With n = 200,000 samples the standard error of a mean is std / 447 and of a
 * standard deviation about std / 632; tolerances are about five standard errors, so a correct initialiser fails with
 * negligible probability while a wrong scale (e.g. fan_out for fan_in, or std for variance) fails by far.
 */
class InitializersTest {
  private static final int N = 200_000;

  private static float[] draw(Initializer init, Shape shape, long seed) {
    float[] out = new float[(int) shape.size()];
    init.fill(out, shape, new SplittableRandom(seed));
    return out;
  }

  private static double mean(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x;
    }
    return s / v.length;
  }

  private static double std(float[] v) {
    double m = mean(v);
    double s = 0;
    for (float x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / v.length);
  }

  private static double maxAbs(float[] v) {
    double m = 0;
    for (float x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }

  /** Std of N(0, sigma^2) restricted to [-2, 2], by Simpson's rule on the density: independent of the sampler. */
  private static double truncatedStd(double sigma) {
    int steps = 20_000;
    double h = 4.0 / steps;
    double mass = 0;
    double second = 0;
    for (int i = 0; i <= steps; i++) {
      double x = -2 + i * h;
      double w = (i == 0 || i == steps) ? 1 : (i % 2 == 1 ? 4 : 2);
      double density = Math.exp(-0.5 * (x / sigma) * (x / sigma));
      mass += w * density;
      second += w * x * x * density;
    }
    return Math.sqrt(second / mass);
  }

  @Test
  void constantsFillExactly() {
    Shape s = Shape.of(2, 3);
    assertArrayEquals(new float[6], draw(Initializers.zeros(), s, 1));
    float[] ones = new float[6];
    Arrays.fill(ones, 1f);
    assertArrayEquals(ones, draw(Initializers.ones(), s, 1));
    float[] sevens = new float[6];
    Arrays.fill(sevens, -0.75f);
    assertArrayEquals(sevens, draw(Initializers.constant(-0.75f), s, 1));
  }

  @Test
  void normalHasMeanZeroAndTheGivenStd() {
    float[] v = draw(Initializers.normal(0.5f), Shape.of(N), 11);
    assertEquals(0.0, mean(v), 0.006);
    assertEquals(0.5, std(v), 0.004);
    // Shape of the distribution, not just its moments: P(|X| < sigma) = 0.6827 for a normal.
    long inside = 0;
    for (float x : v) {
      if (Math.abs(x) < 0.5f) {
        inside++;
      }
    }
    assertEquals(0.6827, inside / (double) N, 0.006);
  }

  @Test
  void truncatedNormalWithSmallStdIsPlainNormalInsideBounds() {
    float[] v = draw(Initializers.truncatedNormal(0.02f), Shape.of(N), 3);
    assertTrue(maxAbs(v) <= 2.0);
    assertEquals(0.0, mean(v), 0.0003);
    assertEquals(0.02, std(v), 0.0002);
  }

  @Test
  void truncatedNormalTruncatesAtAbsoluteTwo() {
    // std 1 uses redrawn normals, std 5 the flat-proposal branch; both must give the truncated distribution.
    for (float sigma : new float[] {1f, 5f}) {
      float[] v = draw(Initializers.truncatedNormal(sigma), Shape.of(N), 5);
      assertTrue(maxAbs(v) <= 2.0, "a value beyond [-2, 2] for std " + sigma);
      assertTrue(maxAbs(v) > 1.99, "the tails next to the bounds are never drawn for std " + sigma);
      assertEquals(0.0, mean(v), 0.015);
      double expected = truncatedStd(sigma);
      assertEquals(expected, std(v), 0.006, "std " + sigma);
    }
    // Hand check of the reference for std 1: sqrt(1 - 4 phi(2) / (2 Phi(2) - 1)) = sqrt(1 - 0.215964 / 0.954500).
    assertEquals(0.879626, truncatedStd(1.0), 1e-5);
  }

  @Test
  void kaimingUniformUsesOneOverSqrtFanIn() {
    Shape conv = Shape.of(500, 32, 3, 3); // fan_in = 288
    float[] v = draw(Initializers.kaimingUniform(), conv, 7);
    double bound = 1.0 / Math.sqrt(288);
    assertTrue(maxAbs(v) <= bound);
    assertTrue(maxAbs(v) > 0.999 * bound);
    assertEquals(0.0, mean(v), 0.0005);
    // U(-b, b) has std b / sqrt(3).
    assertEquals(bound / Math.sqrt(3), std(v), 0.0002);
  }

  @Test
  void kaimingNormalFanOutUsesFanOut() {
    Shape conv = Shape.of(16, 1000, 3, 3); // fan_out = 144, fan_in = 9000
    float[] v = draw(Initializers.kaimingNormalFanOut(), conv, 9);
    assertEquals(0.0, mean(v), 0.002);
    assertEquals(Math.sqrt(2.0 / 144), std(v), 0.0008);
  }

  @Test
  void uniformStaysInsideItsBound() {
    float[] v = draw(Initializers.uniform(0.1f), Shape.of(N), 13);
    assertTrue(maxAbs(v) <= 0.1f);
    assertEquals(0.0, mean(v), 0.0007);
    assertEquals(0.1 / Math.sqrt(3), std(v), 0.0004);
  }

  @Test
  void fansFollowPyTorch() {
    assertEquals(20, Initializers.fanIn(Shape.of(10, 20)));
    assertEquals(10, Initializers.fanOut(Shape.of(10, 20)));
    assertEquals(4 * 5, Initializers.fanIn(Shape.of(8, 4, 5)));
    assertEquals(8 * 5, Initializers.fanOut(Shape.of(8, 4, 5)));
    assertEquals(3 * 27, Initializers.fanIn(Shape.of(64, 3, 3, 3, 3)));
    // Depthwise conv [C, 1, 7, 7]: fan_in is the 49 taps.
    assertEquals(49, Initializers.fanIn(Shape.of(96, 1, 7, 7)));
  }

  @Test
  void sameSeedSameValuesOtherSeedOtherValues() {
    Shape s = Shape.of(64, 3, 3, 3);
    for (Initializer init : new Initializer[] {Initializers.normal(1f), Initializers.truncatedNormal(0.02f),
        Initializers.truncatedNormal(4f), Initializers.kaimingUniform(), Initializers.kaimingNormalFanOut(),
        Initializers.uniform(2f)}) {
      assertArrayEquals(draw(init, s, 42), draw(init, s, 42));
      assertFalse(Arrays.equals(draw(init, s, 42), draw(init, s, 43)));
    }
  }

  @Test
  void badArgumentsAreRejected() {
    MedvisionException rank = assertThrows(MedvisionException.class,
        () -> draw(Initializers.kaimingUniform(), Shape.of(7), 1));
    assertTrue(rank.getMessage().contains("[7]"), rank.getMessage());
    assertThrows(MedvisionException.class, () -> draw(Initializers.kaimingNormalFanOut(), Shape.of(0, 3), 1));
    assertThrows(MedvisionException.class, () -> Initializers.normal(0f));
    assertThrows(MedvisionException.class, () -> Initializers.truncatedNormal(Float.NaN));
    assertThrows(MedvisionException.class, () -> Initializers.uniform(-1f));
    MedvisionException length = assertThrows(MedvisionException.class,
        () -> Initializers.ones().fill(new float[5], Shape.of(2, 3), new SplittableRandom(1)));
    assertTrue(length.getMessage().contains("[2, 3]"), length.getMessage());
  }
}
