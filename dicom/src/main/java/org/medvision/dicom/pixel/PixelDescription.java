package org.medvision.dicom.pixel;

/**
 * The Image Pixel module values a decoder needs (PS3.3 C.7.6.3), plus the modality rescale; independent of how the
 * data set was read.
 *
 * <p>Decoded frames are {@code int[]} of {@code rows * columns * samplesPerPixel} samples, pixel by pixel and within
 * a pixel sample by sample (colour-by-pixel), whatever the planar configuration of the encoded data.
 *
 * @param rows Rows (0028,0010)
 * @param columns Columns (0028,0011)
 * @param samplesPerPixel Samples per Pixel (0028,0002), 1 or 3
 * @param bitsAllocated Bits Allocated (0028,0100): 1, 8, 16 or 32
 * @param bitsStored Bits Stored (0028,0101)
 * @param highBit High Bit (0028,0102)
 * @param signed Pixel Representation (0028,0103) is 1 (two's complement)
 * @param photometric Photometric Interpretation (0028,0004)
 * @param planarConfiguration Planar Configuration (0028,0006): 0 colour-by-pixel, 1 colour-by-plane
 * @param frames Number of Frames (0028,0008), 1 when absent
 * @param palette the palette for PALETTE COLOR, else null
 * @param rescaleSlope Rescale Slope (0028,1053), 1 when absent
 * @param rescaleIntercept Rescale Intercept (0028,1052), 0 when absent
 * @param rescaleType Rescale Type (0028,1054), or null ("HU" is implied for CT)
 */
public record PixelDescription(int rows, int columns, int samplesPerPixel, int bitsAllocated, int bitsStored,
    int highBit, boolean signed, PhotometricInterpretation photometric, int planarConfiguration, int frames,
    Palette palette, double rescaleSlope, double rescaleIntercept, String rescaleType) {

  /** The largest frame we accept, in samples; bigger descriptions are certainly corrupt. */
  public static final long MAX_FRAME_SAMPLES = 1L << 30;

  /**
   * Checks the values against each other.
   *
   * @throws PixelDecodingException naming the attribute that is out of range or inconsistent
   */
  public PixelDescription {
    if (rows < 1 || rows > 65535 || columns < 1 || columns > 65535) {
      throw new PixelDecodingException("Rows x Columns " + rows + " x " + columns + " is outside 1..65535");
    }
    if (samplesPerPixel != 1 && samplesPerPixel != 3) {
      throw new PixelDecodingException("Samples per Pixel (0028,0002) is " + samplesPerPixel + "; expected 1 or 3");
    }
    if (photometric == null) {
      throw new PixelDecodingException("Photometric Interpretation (0028,0004) is missing");
    }
    if (photometric.samplesPerPixel() != samplesPerPixel) {
      throw new PixelDecodingException("Photometric Interpretation " + photometric.code() + " needs "
          + photometric.samplesPerPixel() + " samples per pixel but Samples per Pixel is " + samplesPerPixel);
    }
    if (bitsAllocated != 1 && bitsAllocated != 8 && bitsAllocated != 16 && bitsAllocated != 32) {
      throw new PixelDecodingException("Bits Allocated (0028,0100) is " + bitsAllocated + "; expected 1, 8, 16 or 32");
    }
    if (bitsStored < 1 || bitsStored > bitsAllocated) {
      throw new PixelDecodingException("Bits Stored (0028,0101) is " + bitsStored + " with Bits Allocated "
          + bitsAllocated);
    }
    if (highBit < bitsStored - 1 || highBit >= bitsAllocated) {
      throw new PixelDecodingException("High Bit (0028,0102) is " + highBit + " with Bits Stored " + bitsStored
          + " and Bits Allocated " + bitsAllocated);
    }
    if (planarConfiguration != 0 && planarConfiguration != 1) {
      throw new PixelDecodingException("Planar Configuration (0028,0006) is " + planarConfiguration
          + "; expected 0 or 1");
    }
    if (frames < 1) {
      throw new PixelDecodingException("Number of Frames (0028,0008) is " + frames);
    }
    if ((long) rows * columns * samplesPerPixel > MAX_FRAME_SAMPLES) {
      throw new PixelDecodingException("a frame of " + rows + " x " + columns + " x " + samplesPerPixel
          + " samples is larger than the limit of " + MAX_FRAME_SAMPLES);
    }
    if (photometric == PhotometricInterpretation.PALETTE_COLOR && palette == null) {
      throw new PixelDecodingException("PALETTE COLOR image without red, green and blue palette lookup tables");
    }
    if (Double.isNaN(rescaleSlope) || Double.isNaN(rescaleIntercept) || rescaleSlope == 0) {
      throw new PixelDecodingException("Rescale Slope/Intercept " + rescaleSlope + "/" + rescaleIntercept
          + " is not usable");
    }
  }

  /** Starts a builder for a grey-scale 16-bit unsigned single frame; set what differs. */
  public static Builder builder(int rows, int columns) {
    return new Builder(rows, columns);
  }

  /**
   * A copy with another Number of Frames (e.g. 1, to read one frame of encapsulated uncompressed data on its own).
   *
   * @throws PixelDecodingException when {@code count} is below 1
   */
  public PixelDescription withFrames(int count) {
    return new PixelDescription(rows, columns, samplesPerPixel, bitsAllocated, bitsStored, highBit, signed,
        photometric, planarConfiguration, count, palette, rescaleSlope, rescaleIntercept, rescaleType);
  }

  /**
   * A copy with another modality rescale, for a frame whose functional groups state their own.
   *
   * @throws PixelDecodingException when the slope is 0 or either value is NaN
   */
  public PixelDescription withRescale(double slope, double intercept, String type) {
    return new PixelDescription(rows, columns, samplesPerPixel, bitsAllocated, bitsStored, highBit, signed,
        photometric, planarConfiguration, frames, palette, slope, intercept, type);
  }

  /** Samples in one decoded frame. */
  public int samplesPerFrame() {
    return rows * columns * samplesPerPixel;
  }

  /** Pixels in one frame. */
  public int pixelsPerFrame() {
    return rows * columns;
  }

  /**
   * Bytes one native frame occupies: for Bits Allocated 1 frames are bit-packed and may start mid-byte, so this is
   * the bit count rounded up; YBR_FULL_422 native frames hold two samples per pixel.
   */
  public long nativeFrameBits() {
    long samples = photometric == PhotometricInterpretation.YBR_FULL_422 ? 2L * rows * columns
        : (long) rows * columns * samplesPerPixel;
    return samples * bitsAllocated;
  }

  /** The smallest stored value Bits Stored and Pixel Representation allow. */
  public int minStoredValue() {
    return signed ? -(1 << (bitsStored - 1)) : 0;
  }

  /** The largest stored value Bits Stored and Pixel Representation allow. */
  public long maxStoredValue() {
    return signed ? (1L << (bitsStored - 1)) - 1 : (1L << bitsStored) - 1;
  }

  /** Fluent construction with DICOM defaults for absent attributes. */
  public static final class Builder {
    private final int rows;
    private final int columns;
    private int samplesPerPixel = 1;
    private int bitsAllocated = 16;
    private int bitsStored = 16;
    private int highBit = 15;
    private boolean signed;
    private PhotometricInterpretation photometric = PhotometricInterpretation.MONOCHROME2;
    private int planarConfiguration;
    private int frames = 1;
    private Palette palette;
    private double rescaleSlope = 1;
    private double rescaleIntercept;
    private String rescaleType;

    private Builder(int rows, int columns) {
      this.rows = rows;
      this.columns = columns;
    }

    /** Sets Bits Allocated, Bits Stored and High Bit (= stored - 1). */
    public Builder bits(int allocated, int stored) {
      return bits(allocated, stored, stored - 1);
    }

    /** Sets Bits Allocated, Bits Stored and High Bit. */
    public Builder bits(int allocated, int stored, int high) {
      this.bitsAllocated = allocated;
      this.bitsStored = stored;
      this.highBit = high;
      return this;
    }

    /** Sets Pixel Representation (true = 1, signed). */
    public Builder signed(boolean value) {
      this.signed = value;
      return this;
    }

    /** Sets the photometric interpretation and the matching Samples per Pixel. */
    public Builder photometric(PhotometricInterpretation value) {
      this.photometric = value;
      this.samplesPerPixel = value.samplesPerPixel();
      return this;
    }

    /** Sets Samples per Pixel explicitly (for checking inconsistent input). */
    public Builder samplesPerPixel(int value) {
      this.samplesPerPixel = value;
      return this;
    }

    /** Sets Planar Configuration. */
    public Builder planarConfiguration(int value) {
      this.planarConfiguration = value;
      return this;
    }

    /** Sets Number of Frames. */
    public Builder frames(int value) {
      this.frames = value;
      return this;
    }

    /** Sets the palette for PALETTE COLOR. */
    public Builder palette(Palette value) {
      this.palette = value;
      return this;
    }

    /** Sets Rescale Slope, Intercept and Type. */
    public Builder rescale(double slope, double intercept, String type) {
      this.rescaleSlope = slope;
      this.rescaleIntercept = intercept;
      this.rescaleType = type;
      return this;
    }

    /** Builds and checks the description. */
    public PixelDescription build() {
      return new PixelDescription(rows, columns, samplesPerPixel, bitsAllocated, bitsStored, highBit, signed,
          photometric, planarConfiguration, frames, palette, rescaleSlope, rescaleIntercept, rescaleType);
    }
  }
}
