package org.medvision.dicom.pixel;

import java.nio.ByteOrder;

/**
 * The value of a native (uncompressed) Pixel Data element.
 *
 * @param bytes all frames, back to back, possibly with a trailing pad byte
 * @param order {@link ByteOrder#BIG_ENDIAN} for OW data as stored in Explicit VR Big Endian: 16-bit words, each with
 *     its bytes swapped (PS3.5 7.3), so a 32-bit sample is two such words, low word first; {@link
 *     ByteOrder#LITTLE_ENDIAN} for everything else (little endian syntaxes, OB data, values our reader returned)
 */
public record NativePixelData(byte[] bytes, ByteOrder order) implements PixelData {
  /** Requires both values. */
  public NativePixelData {
    if (bytes == null || order == null) {
      throw new PixelDecodingException("native pixel data needs its bytes and byte order");
    }
  }
}
