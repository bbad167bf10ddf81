package org.medvision.api.tensor;

/** Conversions between float32 and the two 16-bit float formats (IEEE binary16 and bfloat16). */
public final class HalfFloats {
  private HalfFloats() {}

  /** IEEE 754 binary16 bits to float. */
  public static float halfToFloat(short bits) {
    int h = bits & 0xFFFF;
    int sign = (h >>> 15) << 31;
    int exp = (h >>> 10) & 0x1F;
    int mant = h & 0x3FF;
    if (exp == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
    }
    if (exp == 0) {
      if (mant == 0) {
        return Float.intBitsToFloat(sign);
      }
      // Subnormal half: value = mant * 2^-24, exact in float32.
      float v = mant * 0x1p-24f;
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
  }

  /** Float to IEEE 754 binary16 bits, rounding to nearest even; overflow gives infinity. */
  public static short floatToHalf(float value) {
    int f = Float.floatToRawIntBits(value);
    int sign = (f >>> 16) & 0x8000;
    int exp = (f >>> 23) & 0xFF;
    int mant = f & 0x7FFFFF;
    if (exp == 0xFF) {
      return (short) (sign | 0x7C00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
    }
    int e = exp - 127 + 15;
    if (e >= 0x1F) {
      return (short) (sign | 0x7C00);
    }
    if (e <= 0) {
      if (e < -10) {
        return (short) sign;
      }
      // Subnormal: shift the implicit-one mantissa right, round to nearest even.
      int m = mant | 0x800000;
      int shift = 14 - e;
      int half = m >>> shift;
      int rem = m & ((1 << shift) - 1);
      int mid = 1 << (shift - 1);
      if (rem > mid || (rem == mid && (half & 1) != 0)) {
        half++;
      }
      return (short) (sign | half);
    }
    int half = sign | (e << 10) | (mant >>> 13);
    int rem = mant & 0x1FFF;
    if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) {
      half++; // may carry into the exponent, which is the correct rounding
    }
    return (short) half;
  }

  /** bfloat16 bits to float (exact). */
  public static float bfloat16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xFFFF) << 16);
  }

  /** Float to bfloat16 bits, rounding to nearest even; NaN stays NaN. */
  public static short floatToBfloat16(float value) {
    int f = Float.floatToRawIntBits(value);
    if ((f & 0x7FFFFFFF) > 0x7F800000) {
      return (short) ((f >>> 16) | 0x40);
    }
    int rounding = 0x7FFF + ((f >>> 16) & 1);
    return (short) ((f + rounding) >>> 16);
  }
}
