package org.medvision.dicom.pixel;

/**
 * Steps after decoding that change what the values mean: colour to RGB, MONOCHROME1 inversion for display and the
 * modality rescale. Each returns a new array and leaves its input alone.
 */
public final class PixelTransforms {
  private PixelTransforms() {}

  /**
   * A decoded colour or palette frame as RGB, colour-by-pixel.
   *
   * <p>RGB is copied; YBR_FULL and YBR_FULL_422 (already expanded to one Cb/Cr per pixel by the decoder) go through
   * the PS3.3 C.7.6.3.1.2 equations, rounded and clamped to Bits Stored; YBR_ICT and YBR_RCT are RGB already because
   * the JPEG 2000 decoder undoes those transforms; PALETTE COLOR indexes the three lookup tables, whose entries keep
   * their own bit depth (8 or 16).
   *
   * @throws PixelDecodingException for a grey-scale frame
   */
  public static int[] toRgb(PixelDescription description, int[] frame) {
    checkLength(description, frame);
    switch (description.photometric()) {
      case RGB, YBR_ICT, YBR_RCT -> {
        return frame.clone();
      }
      case YBR_FULL, YBR_FULL_422 -> {
        return YcbcrToRgb.dicom(frame, description.bitsStored());
      }
      case PALETTE_COLOR -> {
        Palette palette = description.palette();
        int[] out = new int[frame.length * 3];
        for (int i = 0; i < frame.length; i++) {
          out[3 * i] = palette.red().lookup(frame[i]);
          out[3 * i + 1] = palette.green().lookup(frame[i]);
          out[3 * i + 2] = palette.blue().lookup(frame[i]);
        }
        return out;
      }
      default -> throw new PixelDecodingException("cannot convert a " + description.photometric().code()
          + " frame to RGB: it is grey scale");
    }
  }

  /**
   * A MONOCHROME1 frame flipped so that larger values are brighter, over the range Bits Stored and Pixel
   * Representation allow ({@code min + max - value}); other interpretations come back unchanged (copied).
   */
  public static int[] invertMonochrome1(PixelDescription description, int[] frame) {
    checkLength(description, frame);
    if (description.photometric() != PhotometricInterpretation.MONOCHROME1) {
      return frame.clone();
    }
    long sum = description.minStoredValue() + description.maxStoredValue();
    int[] out = new int[frame.length];
    for (int i = 0; i < frame.length; i++) {
      out[i] = (int) (sum - frame[i]);
    }
    return out;
  }

  /**
   * Stored values through Rescale Slope and Intercept ({@code slope * value + intercept}): Hounsfield units for CT.
   * Unsigned 32-bit stored values above {@code Integer.MAX_VALUE} are read as unsigned.
   */
  public static float[] rescale(PixelDescription description, int[] frame) {
    checkLength(description, frame);
    double slope = description.rescaleSlope();
    double intercept = description.rescaleIntercept();
    boolean unsigned32 = !description.signed() && description.bitsStored() == 32;
    float[] out = new float[frame.length];
    for (int i = 0; i < frame.length; i++) {
      double value = unsigned32 ? Integer.toUnsignedLong(frame[i]) : frame[i];
      out[i] = (float) (slope * value + intercept);
    }
    return out;
  }

  private static void checkLength(PixelDescription description, int[] frame) {
    if (frame.length != description.samplesPerFrame()) {
      throw new PixelDecodingException("frame has " + frame.length + " samples but " + description.rows() + " x "
          + description.columns() + " x " + description.samplesPerPixel() + " were described");
    }
  }
}
