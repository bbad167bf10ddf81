package org.medvision.dicom.pixel;

/**
 * What the markers before the first scan of an ISO 10918 JPEG stream say about its colour space and process; read by
 * us because ImageIO hides it behind metadata trees.
 *
 * @param sofMarker the SOF marker's second byte (0xC0 baseline, 0xC1 extended, 0xC3 lossless, ...)
 * @param precision sample precision in bits
 * @param width samples per line
 * @param height lines
 * @param componentIds the component identifiers in frame order
 * @param jfif an APP0 JFIF segment is present
 * @param adobeTransform the APP14 Adobe transform flag, or -1 when there is no such segment
 */
record JpegHeader(int sofMarker, int precision, int width, int height, int[] componentIds, boolean jfif,
    int adobeTransform) {

  /**
   * Scans the stream up to its first SOS.
   *
   * @throws PixelDecodingException when the stream does not start with SOI or has no frame header
   */
  static JpegHeader scan(byte[] data, String what) {
    if (data.length < 4 || (data[0] & 0xFF) != 0xFF || (data[1] & 0xFF) != 0xD8) {
      throw new PixelDecodingException("JPEG " + what + ": does not start with SOI (FFD8)");
    }
    int p = 2;
    boolean jfif = false;
    int adobe = -1;
    while (p + 4 <= data.length) {
      if ((data[p] & 0xFF) != 0xFF) {
        throw new PixelDecodingException(String.format("JPEG %s: expected a marker at byte offset %d, found 0x%02X",
            what, p, data[p] & 0xFF));
      }
      int marker = data[p + 1] & 0xFF;
      if (marker == 0xFF) {
        p++;
        continue;
      }
      int length = ((data[p + 2] & 0xFF) << 8) | (data[p + 3] & 0xFF);
      int body = p + 4;
      if (body + length - 2 > data.length) {
        break;
      }
      if (marker == 0xE0 && length >= 7 && data[body] == 'J' && data[body + 1] == 'F' && data[body + 2] == 'I'
          && data[body + 3] == 'F') {
        jfif = true;
      } else if (marker == 0xEE && length >= 14 && data[body] == 'A' && data[body + 1] == 'd'
          && data[body + 2] == 'o' && data[body + 3] == 'b' && data[body + 4] == 'e') {
        adobe = data[body + 11] & 0xFF;
      } else if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
        if (length < 8) { // shorter than precision, size and component count (a fuzzing finding)
          throw new PixelDecodingException(String.format("JPEG %s: the SOF segment at byte offset %d has length %d,"
              + " too short for a frame header", what, p, length));
        }
        int count = data[body + 5] & 0xFF;
        int[] ids = new int[count];
        for (int i = 0; i < count && body + 6 + 3 * i < data.length; i++) {
          ids[i] = data[body + 6 + 3 * i] & 0xFF;
        }
        int height = ((data[body + 1] & 0xFF) << 8) | (data[body + 2] & 0xFF);
        int width = ((data[body + 3] & 0xFF) << 8) | (data[body + 4] & 0xFF);
        return new JpegHeader(marker, data[body] & 0xFF, width, height, ids, jfif, adobe);
      } else if (marker == 0xDA || marker == 0xD9) {
        break;
      }
      p = body + length - 2;
    }
    throw new PixelDecodingException("JPEG " + what + ": no frame header (SOF) before the first scan");
  }

  /** True for the lossless processes (SOF3, SOF7, SOF11, SOF15). */
  boolean lossless() {
    return sofMarker == 0xC3 || sofMarker == 0xC7 || sofMarker == 0xCB || sofMarker == 0xCF;
  }

  /**
   * Whether the stream itself says its three components hold YCbCr: the Adobe transform flag when present, else a
   * JFIF segment (which implies YCbCr); with neither it says nothing and we answer false.
   */
  boolean colourTransformed() {
    if (componentIds.length != 3) {
      return false;
    }
    if (adobeTransform >= 0) {
      return adobeTransform != 0;
    }
    if (jfif) {
      return true;
    }
    // Without a marker the stream makes no statement (libjpeg would guess from the component identifiers), so the
    // DICOM Photometric Interpretation decides; gdcm and dcmtk do the same.
    return false;
  }
}
