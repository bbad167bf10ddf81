package org.medvision.dicom;

/** In-place byte swapping of fixed-size binary values between big- and little-endian order. */
final class ByteOrderSwap {
  private ByteOrderSwap() {}

  /** Reverses each {@code unit}-byte group in {@code bytes[offset, offset+length)}; units of 0 or 1 do nothing. */
  static void swap(byte[] bytes, int offset, int length, int unit) {
    if (unit <= 1) {
      return;
    }
    int end = offset + length - length % unit;
    for (int i = offset; i < end; i += unit) {
      for (int a = i, b = i + unit - 1; a < b; a++, b--) {
        byte t = bytes[a];
        bytes[a] = bytes[b];
        bytes[b] = t;
      }
    }
  }
}
