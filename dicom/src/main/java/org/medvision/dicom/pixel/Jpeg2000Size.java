package org.medvision.dicom.pixel;

/**
 * The image and tile grid a JPEG 2000 codestream's SIZ marker segment (ISO 15444-1 A.5.1) declares, read before the
 * stream reaches jai-imageio: its header parser builds per-tile state for the whole grid, so a corrupt SIZ (millions
 * of tiles, a gigapixel image) kept it busy for minutes (a fuzzing finding).
 */
final class Jpeg2000Size {
  private static final int SIZ_FIELDS = 2 + 2 + 8 * 4 + 2;

  private Jpeg2000Size() {}

  /**
   * Checks the first SIZ segment (raw codestream or the one inside a JP2 file) against the number of samples the
   * frame's attributes describe; a stream without SIZ is left to the codec to reject.
   *
   * @throws PixelDecodingException when the image has more pixels than {@code maxSamples}, or the tile grid has
   *     more tiles than the image could need
   */
  static void check(byte[] frame, long maxSamples, String what) {
    int at = indexOfSocSiz(frame);
    if (at < 0 || at + 4 + SIZ_FIELDS > frame.length) {
      return;
    }
    int p = at + 4 + 2 + 2; // after SOC, SIZ marker, Lsiz and Rsiz
    long xSiz = u32(frame, p);
    long ySiz = u32(frame, p + 4);
    long xOffset = u32(frame, p + 8);
    long yOffset = u32(frame, p + 12);
    long xTile = u32(frame, p + 16);
    long yTile = u32(frame, p + 20);
    long xTileOffset = u32(frame, p + 24);
    long yTileOffset = u32(frame, p + 28);
    long width = xSiz - xOffset;
    long height = ySiz - yOffset;
    if (width <= 0 || height <= 0 || xTile == 0 || yTile == 0 || xTileOffset > xOffset || yTileOffset > yOffset) {
      throw new PixelDecodingException(what + ": the SIZ segment declares an invalid image or tile grid (" + xSiz
          + " x " + ySiz + " from offset " + xOffset + ", " + yOffset + "; tiles " + xTile + " x " + yTile + ")");
    }
    if (width * height > maxSamples) {
      throw new PixelDecodingException(what + ": the codestream is " + width + " x " + height + ", more than the "
          + maxSamples + " samples of Columns x Rows x Samples per Pixel");
    }
    long tiles = ceilDiv(xSiz - xTileOffset, xTile) * ceilDiv(ySiz - yTileOffset, yTile);
    if (tiles > (width + 1) * (height + 1)) {
      throw new PixelDecodingException(what + ": the SIZ segment declares " + tiles + " tiles for a " + width + " x "
          + height + " image");
    }
  }

  private static int indexOfSocSiz(byte[] data) {
    for (int i = 0; i + 3 < data.length; i++) {
      if ((data[i] & 0xFF) == 0xFF && (data[i + 1] & 0xFF) == 0x4F && (data[i + 2] & 0xFF) == 0xFF
          && (data[i + 3] & 0xFF) == 0x51) {
        return i;
      }
    }
    return -1;
  }

  private static long u32(byte[] data, int at) {
    return ((data[at] & 0xFFL) << 24) | ((data[at + 1] & 0xFFL) << 16) | ((data[at + 2] & 0xFFL) << 8)
        | (data[at + 3] & 0xFFL);
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
