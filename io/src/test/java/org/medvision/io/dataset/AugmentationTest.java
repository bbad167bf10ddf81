package org.medvision.io.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

class AugmentationTest {
  private static Tensor random(int c, int h, int w, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[c * h * w];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextDouble();
    }
    return Tensor.of(Shape.of(c, h, w), v);
  }

  @Test
  void sameSeedEpochAndIndexGiveTheSameImage() {
    Tensor img = random(3, 17, 13, 1);
    Tensor a = new Augmentation(42).apply(img, 3, 7);
    Tensor b = new Augmentation(42).apply(img, 3, 7);
    assertTrue(a.contentEquals(b));
    assertFalse(a.contentEquals(new Augmentation(43).apply(img, 3, 7)));
    assertFalse(a.contentEquals(new Augmentation(42).apply(img, 4, 7)));
    assertFalse(a.contentEquals(new Augmentation(42).apply(img, 3, 8)));
  }

  @Test
  void parametersStayInTheirRangesAndFlipHalfTheTime() {
    Augmentation aug = new Augmentation(5);
    int flips = 0;
    double maxShift = 0;
    int n = 4000;
    for (int i = 0; i < n; i++) {
      Augmentation.Params p = aug.params(i % 7, i);
      assertTrue(Math.abs(p.degrees()) <= Augmentation.MAX_ROTATION_DEGREES);
      assertTrue(Math.abs(p.shiftX()) <= Augmentation.DEFAULT_MAX_SHIFT);
      assertTrue(Math.abs(p.shiftY()) <= Augmentation.DEFAULT_MAX_SHIFT);
      maxShift = Math.max(maxShift, Math.max(Math.abs(p.shiftX()), Math.abs(p.shiftY())));
      assertTrue(Math.abs(p.brightness() - 1) <= Augmentation.MAX_INTENSITY_CHANGE);
      assertTrue(Math.abs(p.contrast() - 1) <= Augmentation.MAX_INTENSITY_CHANGE);
      flips += p.flip() ? 1 : 0;
    }
    // Binomial(4000, 0.5): sd ≈ 31.6, so ±150 is almost five standard deviations.
    assertEquals(n / 2.0, flips, 150);
    // The shifts use their whole range: 8000 uniform draws all below 0.9 of it would have probability 0.9^8000.
    assertTrue(maxShift > 0.9 * Augmentation.DEFAULT_MAX_SHIFT, "largest shift " + maxShift);
  }

  @Test
  void identityLeavesTheImageUnchanged() {
    Tensor img = random(1, 9, 9, 2);
    assertTrue(img.contentEquals(Augmentation.apply(img, Augmentation.Params.IDENTITY)));
  }

  @Test
  void flipMirrorsEachRow() {
    Tensor img = Tensor.of(Shape.of(2, 2, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    Tensor f = Augmentation.apply(img, new Augmentation.Params(0, 0, 0, true, 1, 1));
    assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10}, f.toFloatArray());
  }

  @Test
  void quarterTurnIsAnExactCounterClockwiseRotation() {
    // On a square image a 90° turn about the centre maps pixels onto pixels, so bilinear sampling is exact:
    // counter-clockwise as displayed, out[y][x] = in[x][W−1−y].
    int n = 5;
    Tensor img = random(1, n, n, 3);
    float[] in = img.toFloatArray();
    float[] out = Augmentation.apply(img, new Augmentation.Params(90, 0, 0, false, 1, 1)).toFloatArray();
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        assertEquals(in[x * n + (n - 1 - y)], out[y * n + x], 1e-6, "pixel " + y + "," + x);
      }
    }
    // The top row's middle pixel moves to the left column's middle.
    assertEquals(in[2], out[2 * n], 1e-6);
  }

  @Test
  void smallRotationInterpolatesAndFillsOutsideWithZero() {
    // A constant image rotated by 10°: the centre keeps its value, a corner samples outside and becomes darker.
    float[] ones = new float[11 * 11];
    java.util.Arrays.fill(ones, 1f);
    float[] out = Augmentation.apply(Tensor.of(Shape.of(1, 11, 11), ones),
        new Augmentation.Params(10, 0, 0, false, 1, 1)).toFloatArray();
    assertEquals(1f, out[5 * 11 + 5], 1e-6);
    // Corner (0,0): offset (−5,−5) rotated back by 10° gives source x = 5 − 5cos + 5sin ≈ 0.9446, y = 5 − 5sin − 5cos
    // ≈ −0.7922: a quarter-row outside, so the value is (1 − 0.7922)·1 from the in-image row ≈ 0.2078.
    double c = Math.cos(Math.toRadians(10));
    double s = Math.sin(Math.toRadians(10));
    double sy = 5 + s * -5 + c * -5;
    assertEquals(1 + sy, out[0], 1e-5);
  }

  @Test
  void aShiftMovesTheContentByItsFractionOfEachSideAfterTheRotation() {
    // One bright pixel at (row 1, col 2) of a 5 x 10 image. A shift of 0.2 of the width and 0.4 of the height moves
    // it whole pixels (2 right, 2 down), so bilinear sampling is exact; what comes in from outside is 0.
    float[] in = new float[50];
    in[1 * 10 + 2] = 1;
    Tensor img = Tensor.of(Shape.of(1, 5, 10), in);
    float[] out = Augmentation.apply(img, new Augmentation.Params(0, 0.2, 0.4, false, 1, 1)).toFloatArray();
    for (int i = 0; i < 50; i++) {
      assertEquals(i == 3 * 10 + 4 ? 1f : 0f, out[i], 1e-6, "pixel " + i);
    }
    // With a quarter turn of a square image the shift comes after the turn: on 5 x 5, (row 0, col 2) turns
    // counter-clockwise to (row 2, col 0), then 0.2 of the width moves it one column right.
    float[] sq = new float[25];
    sq[2] = 1;
    float[] turned = Augmentation.apply(Tensor.of(Shape.of(1, 5, 5), sq), new Augmentation.Params(90, 0.2, 0, false,
        1, 1)).toFloatArray();
    for (int i = 0; i < 25; i++) {
      assertEquals(i == 2 * 5 + 1 ? 1f : 0f, turned[i], 1e-6, "pixel " + i);
    }
  }

  @Test
  void brightnessAndContrastFollowTheFormulas() {
    Tensor img = Tensor.of(Shape.of(1, 1, 4), 0.1f, 0.2f, 0.3f, 0.4f);
    // Brightness 1.1: 0.11 0.22 0.33 0.44, mean 0.275; contrast 0.9: 0.275 + 0.9·(x − 0.275).
    float[] out = Augmentation.apply(img, new Augmentation.Params(0, 0, 0, false, 1.1, 0.9)).toFloatArray();
    assertArrayEquals(new float[] {0.1265f, 0.2255f, 0.3245f, 0.4235f}, out, 1e-6f);
    // Values are clamped to [0, 1].
    float[] bright = Augmentation.apply(Tensor.of(Shape.of(1, 1, 2), 0.95f, 1f),
        new Augmentation.Params(0, 0, 0, false, 1.1, 1)).toFloatArray();
    assertArrayEquals(new float[] {1f, 1f}, bright, 0f);
  }

  @Test
  void masksMoveLikeTheirImageButStayBinaryAndKeepTheirIntensity() {
    // A 2 x 2 square near the top-left corner of a 7 x 7 mask.
    float[] m = new float[49];
    m[1 * 7 + 1] = m[1 * 7 + 2] = m[2 * 7 + 1] = m[2 * 7 + 2] = 1;
    Tensor mask = Tensor.of(Shape.of(1, 7, 7), m);
    // A quarter turn, a shift of one pixel up and a flip, with intensity changes that a mask must ignore.
    Augmentation.Params p = new Augmentation.Params(90, 0, -1.0 / 7, true, 1.1, 0.9);
    float[] moved = Augmentation.applyToMask(mask, p).toFloatArray();
    float[] image = Augmentation.apply(mask, new Augmentation.Params(90, 0, -1.0 / 7, true, 1, 1)).toFloatArray();
    assertArrayEquals(image, moved, 1e-6f);
    // Counter-clockwise turn takes the square to the bottom-left (rows 4-5), the shift one row up (rows 3-4), the
    // flip to the right: cols 4-5.
    for (int y = 0; y < 7; y++) {
      for (int x = 0; x < 7; x++) {
        assertEquals(y >= 3 && y <= 4 && x >= 4 && x <= 5 ? 1f : 0f, moved[y * 7 + x], "pixel " + y + "," + x);
      }
    }
    // A small rotation blurs the edges; the mask is thresholded at 0.5 back to 0 and 1.
    float[] small = Augmentation.applyToMask(mask, new Augmentation.Params(7, 0, 0, false, 1, 1)).toFloatArray();
    float[] soft = Augmentation.apply(mask, new Augmentation.Params(7, 0, 0, false, 1, 1)).toFloatArray();
    for (int i = 0; i < small.length; i++) {
      assertEquals(soft[i] >= 0.5f ? 1f : 0f, small[i], "pixel " + i);
    }
  }

  @Test
  void differentImagesGetDifferentDraws() {
    Augmentation aug = new Augmentation(9);
    assertNotEquals(aug.params(1, 0), aug.params(1, 1));
  }

  @Test
  void theLargestShiftIsASettingAndZeroMeansNone() {
    for (int i = 0; i < 200; i++) {
      Augmentation.Params none = new Augmentation(5, 0).params(i % 3, i);
      assertEquals(0, Math.abs(none.shiftX()));
      assertEquals(0, Math.abs(none.shiftY()));
      // The other draws do not depend on the shift.
      Augmentation.Params wide = new Augmentation(5, 0.2).params(i % 3, i);
      assertEquals(none.degrees(), wide.degrees());
      assertEquals(none.brightness(), wide.brightness());
      assertTrue(Math.abs(wide.shiftX()) <= 0.2 && Math.abs(wide.shiftY()) <= 0.2);
    }
    MedvisionException e = assertThrows(MedvisionException.class, () -> new Augmentation(5, 0.6));
    assertTrue(e.getMessage().contains("[0, 0.5], got 0.6"), e.getMessage());
  }

  @Test
  void rejectsNonImages() {
    assertThrows(MedvisionException.class, () -> new Augmentation(1).apply(Tensor.of(Shape.of(4), 1, 2, 3, 4), 0, 0));
  }
}
