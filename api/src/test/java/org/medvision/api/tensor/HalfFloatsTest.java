package org.medvision.api.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HalfFloatsTest {
  // Bit patterns from the IEEE 754 binary16 definition: sign 1, exponent 5 (bias 15), mantissa 10.
  @Test
  void knownHalfBitPatterns() {
    assertEquals(1.0f, HalfFloats.halfToFloat((short) 0x3C00));
    assertEquals(-2.0f, HalfFloats.halfToFloat((short) 0xC000));
    assertEquals(65504f, HalfFloats.halfToFloat((short) 0x7BFF)); // largest finite half
    assertEquals(0x1p-24f, HalfFloats.halfToFloat((short) 0x0001)); // smallest subnormal
    assertEquals(0x1p-14f, HalfFloats.halfToFloat((short) 0x0400)); // smallest normal
    assertEquals(Float.POSITIVE_INFINITY, HalfFloats.halfToFloat((short) 0x7C00));
    assertTrue(Float.isNaN(HalfFloats.halfToFloat((short) 0x7E00)));
    assertEquals((short) 0x3C00, HalfFloats.floatToHalf(1.0f));
    assertEquals((short) 0x3555, HalfFloats.floatToHalf(1f / 3f)); // 0.333251953125, nearest half
    assertEquals((short) 0x7C00, HalfFloats.floatToHalf(70000f)); // overflow to infinity
    assertEquals((short) 0x0001, HalfFloats.floatToHalf(0x1p-24f));
  }

  @Test
  void halfRoundTripIsExactForEveryHalfValue() {
    for (int bits = 0; bits < 0x10000; bits++) {
      float f = HalfFloats.halfToFloat((short) bits);
      if (!Float.isNaN(f)) {
        assertEquals((short) bits, HalfFloats.floatToHalf(f), "bits 0x" + Integer.toHexString(bits));
      }
    }
  }

  @Test
  void floatToHalfRoundsToNearest() {
    SplittableRandom r = new SplittableRandom(11);
    for (int i = 0; i < 100_000; i++) {
      float x = (float) ((r.nextDouble() - 0.5) * 2 * Math.pow(2, r.nextInt(-20, 15)));
      float back = HalfFloats.halfToFloat(HalfFloats.floatToHalf(x));
      // Half has 11 significant bits: relative error of round-to-nearest is at most 2^-11 for normal values.
      if (Math.abs(x) >= 0x1p-14f) {
        assertTrue(Math.abs(back - x) <= Math.abs(x) * 0x1p-11f, x + " -> " + back);
      } else {
        assertTrue(Math.abs(back - x) <= 0x1p-25f, x + " -> " + back);
      }
    }
  }

  @Test
  void bfloat16KeepsTheTopSixteenBitsRoundedToNearestEven() {
    assertEquals(1.0f, HalfFloats.bfloat16ToFloat((short) 0x3F80));
    assertEquals((short) 0x3F80, HalfFloats.floatToBfloat16(1.0f));
    // 1 + 2^-8 is exactly halfway between bf16 1.0 and 1.0078125: ties go to the even mantissa (1.0).
    assertEquals((short) 0x3F80, HalfFloats.floatToBfloat16(1f + 0x1p-8f));
    // 1 + 3*2^-8 is halfway between 1.0078125 (odd) and 1.015625 (even): rounds up.
    assertEquals((short) 0x3F82, HalfFloats.floatToBfloat16(1f + 3 * 0x1p-8f));
    assertTrue(Float.isNaN(HalfFloats.bfloat16ToFloat(HalfFloats.floatToBfloat16(Float.NaN))));
  }
}
