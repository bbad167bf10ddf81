package org.medvision.dicom.pixel;

/** Byte arrays written as unsigned hex numbers, for hand-made streams. */
final class Bytes {
  private Bytes() {}

  static byte[] of(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }

  /** An RLE header declaring the given segment offsets. */
  static byte[] rleHeader(int... offsets) {
    byte[] header = new byte[64];
    putLe(header, 0, offsets.length);
    for (int i = 0; i < offsets.length; i++) {
      putLe(header, 4 + 4 * i, offsets[i]);
    }
    return header;
  }

  private static void putLe(byte[] b, int at, int value) {
    b[at] = (byte) value;
    b[at + 1] = (byte) (value >>> 8);
    b[at + 2] = (byte) (value >>> 16);
    b[at + 3] = (byte) (value >>> 24);
  }
}
