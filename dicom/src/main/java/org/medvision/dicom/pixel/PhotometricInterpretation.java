package org.medvision.dicom.pixel;

import java.util.Locale;

/** The Photometric Interpretation (0028,0004) values this package understands (PS3.3 C.7.6.3.1.2). */
public enum PhotometricInterpretation {
  /** Grey scale, minimum sample value displayed white. */
  MONOCHROME1(1),
  /** Grey scale, minimum sample value displayed black. */
  MONOCHROME2(1),
  /** Indices into the red, green and blue palette lookup tables. */
  PALETTE_COLOR(1),
  /** Red, green, blue. */
  RGB(3),
  /** Full-range luminance and chrominance. */
  YBR_FULL(3),
  /** YBR_FULL with chrominance halved horizontally; native data holds Y1 Y2 Cb Cr per pixel pair. */
  YBR_FULL_422(3),
  /** Irreversible colour transform of JPEG 2000; the codec has already undone it when it decodes. */
  YBR_ICT(3),
  /** Reversible colour transform of JPEG 2000; the codec has already undone it when it decodes. */
  YBR_RCT(3);

  private final int samplesPerPixel;

  PhotometricInterpretation(int samplesPerPixel) {
    this.samplesPerPixel = samplesPerPixel;
  }

  /** Samples per pixel this interpretation requires (1 or 3). */
  public int samplesPerPixel() {
    return samplesPerPixel;
  }

  /** True for the two grey-scale interpretations. */
  public boolean isMonochrome() {
    return this == MONOCHROME1 || this == MONOCHROME2;
  }

  /** The DICOM code string, e.g. {@code "PALETTE COLOR"}. */
  public String code() {
    return name().replace('_', ' ').replace("YBR ", "YBR_").replace("FULL 422", "FULL_422");
  }

  /**
   * Parses a code string; trailing padding and case are ignored.
   *
   * @throws PixelDecodingException naming the value when it is not a known interpretation
   */
  public static PhotometricInterpretation parse(String code) {
    if (code == null) {
      throw new PixelDecodingException("Photometric Interpretation (0028,0004) is missing");
    }
    String normalized = code.trim().toUpperCase(Locale.ROOT);
    for (PhotometricInterpretation value : values()) {
      if (value.code().equals(normalized)) {
        return value;
      }
    }
    throw new PixelDecodingException("Photometric Interpretation (0028,0004) '" + code.trim()
        + "' is not supported; expected MONOCHROME1, MONOCHROME2, PALETTE COLOR, RGB, YBR_FULL, YBR_FULL_422,"
        + " YBR_ICT or YBR_RCT");
  }
}
