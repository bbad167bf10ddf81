package org.medvision.dicom.pixel;

import java.nio.ByteOrder;

/**
 * The value of a native (uncompressed) Pixel Data element.
 *
 * @param bytes all frames, back to back, possibly with a trailing pad byte
 * @param order the byte order of the transfer syntax (OW data in explicit VR big endian is big endian)
 */
public record NativePixelData(byte[] bytes, ByteOrder order) implements PixelData {
  /** Requires both values. */
  public NativePixelData {
    if (bytes == null || order == null) {
      throw new PixelDecodingException("native pixel data needs its bytes and byte order");
    }
  }
}
