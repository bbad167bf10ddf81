package org.medvision.dicom.pixel;

/** Full-range YCbCr to RGB (PS3.3 C.7.6.3.1.2, the JFIF equations). */
final class YcbcrToRgb {
  private static final int SCALE_BITS = 16;
  private static final int HALF = 1 << (SCALE_BITS - 1);

  private YcbcrToRgb() {}

  private static int fix(double x) {
    return (int) (x * (1 << SCALE_BITS) + 0.5);
  }

  /**
   * Converts in place with the fixed-point arithmetic of the IJG JPEG library, so a frame matches what a JPEG
   * decoder that converts colour (such as dcmtk's) produces, bit for bit.
   */
  static void jpegInPlace(int[] samples, int precision) {
    int centre = 1 << (precision - 1);
    int max = (1 << precision) - 1;
    for (int i = 0; i + 2 < samples.length; i += 3) {
      int y = samples[i];
      int cb = samples[i + 1] - centre;
      int cr = samples[i + 2] - centre;
      int r = y + ((fix(1.40200) * cr + HALF) >> SCALE_BITS);
      int g = y + ((-fix(0.34414) * cb - fix(0.71414) * cr + HALF) >> SCALE_BITS);
      int b = y + ((fix(1.77200) * cb + HALF) >> SCALE_BITS);
      samples[i] = clamp(r, max);
      samples[i + 1] = clamp(g, max);
      samples[i + 2] = clamp(b, max);
    }
  }

  /** Converts with the PS3.3 equations in double precision, rounding to nearest; {@code bits} is Bits Stored. */
  static int[] dicom(int[] samples, int bits) {
    double centre = 1 << (bits - 1);
    int max = (1 << bits) - 1;
    int[] out = new int[samples.length];
    for (int i = 0; i + 2 < samples.length; i += 3) {
      double y = samples[i];
      double cb = samples[i + 1] - centre;
      double cr = samples[i + 2] - centre;
      out[i] = clamp((int) Math.round(y + 1.402 * cr), max);
      out[i + 1] = clamp((int) Math.round(y - 0.3441 * cb - 0.7141 * cr), max);
      out[i + 2] = clamp((int) Math.round(y + 1.772 * cb), max);
    }
    return out;
  }

  private static int clamp(int v, int max) {
    return v < 0 ? 0 : Math.min(v, max);
  }
}
