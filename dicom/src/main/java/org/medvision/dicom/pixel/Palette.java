package org.medvision.dicom.pixel;

/**
 * The three channels of a PALETTE COLOR image.
 *
 * @param red the red channel
 * @param green the green channel
 * @param blue the blue channel
 */
public record Palette(PaletteLut red, PaletteLut green, PaletteLut blue) {
  /** Requires all three channels. */
  public Palette {
    if (red == null || green == null || blue == null) {
      throw new PixelDecodingException("PALETTE COLOR needs red, green and blue lookup tables");
    }
  }
}
