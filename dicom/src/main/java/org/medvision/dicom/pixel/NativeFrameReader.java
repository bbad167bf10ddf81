package org.medvision.dicom.pixel;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Reads frames of native (uncompressed) pixel data (PS3.5 8.1, 8.2): any Bits Allocated of 1, 8, 16 and 32, little
 * endian or big endian OW, both planar configurations and YBR_FULL_422's shared chrominance.
 */
final class NativeFrameReader {
  private NativeFrameReader() {}

  /** The number of whole frames the data holds. */
  static long framesAvailable(PixelDescription description, byte[] bytes) {
    return (bytes.length * 8L) / description.nativeFrameBits();
  }

  /**
   * Decodes frame {@code frame} (0-based) to stored values, colour-by-pixel.
   *
   * @throws PixelDecodingException when the data is too short for the frame
   */
  static int[] read(PixelDescription description, NativePixelData pixels, int frame) {
    byte[] bytes = pixels.bytes();
    long frameBits = description.nativeFrameBits();
    long startBit = frameBits * frame;
    if (startBit + frameBits > bytes.length * 8L) {
      throw new PixelDecodingException("native Pixel Data has " + bytes.length + " bytes but frame " + (frame + 1)
          + " of " + description.frames() + " needs bytes up to offset " + ((startBit + frameBits + 7) / 8)
          + " (" + description.rows() + " x " + description.columns() + " x " + description.samplesPerPixel()
          + " samples of " + description.bitsAllocated() + " bits)");
    }
    if (pixels.order() == ByteOrder.BIG_ENDIAN) {
      int from = (int) (startBit / 8) & ~1;
      int to = (int) Math.min(bytes.length, ((startBit + frameBits + 7) / 8 + 1) & ~1L);
      bytes = littleEndianWords(bytes, from, to);
      startBit -= from * 8L;
    }
    int[] raw = readContainers(description, bytes, startBit, frameBits);
    StoredValues.forNative(description).applyInPlace(raw);
    if (description.photometric() == PhotometricInterpretation.YBR_FULL_422) {
      return expand422(description, raw);
    }
    if (description.samplesPerPixel() > 1 && description.planarConfiguration() == 1) {
      return interleave(raw, description.pixelsPerFrame(), description.samplesPerPixel());
    }
    return raw;
  }

  /**
   * The bytes {@code [from, to)} of big endian OW data in little endian order. OW is a stream of 16-bit words whose
   * bytes swap with the byte order (PS3.5 7.3), whatever Bits Allocated is: a 32-bit value spans two words, low word
   * first in either order, and 8-bit samples in OW trade places within each word. dcmtk and gdcm read it so.
   */
  private static byte[] littleEndianWords(byte[] bytes, int from, int to) {
    byte[] out = Arrays.copyOfRange(bytes, from, to);
    for (int i = 0; i + 1 < out.length; i += 2) {
      byte t = out[i];
      out[i] = out[i + 1];
      out[i + 1] = t;
    }
    return out;
  }

  private static int[] readContainers(PixelDescription description, byte[] bytes, long startBit, long frameBits) {
    int bits = description.bitsAllocated();
    int count = (int) (frameBits / bits);
    int[] out = new int[count];
    if (bits == 1) {
      for (int i = 0; i < count; i++) {
        long bit = startBit + i;
        // Bit-packed data fills each byte from its least significant bit (PS3.5 8.1.1).
        out[i] = (bytes[(int) (bit >>> 3)] >>> (int) (bit & 7)) & 1;
      }
      return out;
    }
    int offset = (int) (startBit / 8);
    switch (bits) {
      case 8 -> {
        for (int i = 0; i < count; i++) {
          out[i] = bytes[offset + i] & 0xFF;
        }
      }
      case 16 -> {
        for (int i = 0, p = offset; i < count; i++, p += 2) {
          int b0 = bytes[p] & 0xFF;
          int b1 = bytes[p + 1] & 0xFF;
          out[i] = (b1 << 8) | b0;
        }
      }
      default -> {
        for (int i = 0, p = offset; i < count; i++, p += 4) {
          int b0 = bytes[p] & 0xFF;
          int b1 = bytes[p + 1] & 0xFF;
          int b2 = bytes[p + 2] & 0xFF;
          int b3 = bytes[p + 3] & 0xFF;
          out[i] = (b3 << 24) | (b2 << 16) | (b1 << 8) | b0;
        }
      }
    }
    return out;
  }

  /** Planes (all first samples, then all second samples, ...) to colour-by-pixel. */
  static int[] interleave(int[] planes, int pixels, int samplesPerPixel) {
    int[] out = new int[planes.length];
    for (int s = 0; s < samplesPerPixel; s++) {
      int base = s * pixels;
      for (int p = 0; p < pixels; p++) {
        out[p * samplesPerPixel + s] = planes[base + p];
      }
    }
    return out;
  }

  /** Y1 Y2 Cb Cr per horizontal pixel pair (PS3.3 C.7.6.3.1.2) to Y Cb Cr per pixel. */
  private static int[] expand422(PixelDescription description, int[] raw) {
    int rows = description.rows();
    int columns = description.columns();
    if (columns % 2 != 0) {
      throw new PixelDecodingException("native YBR_FULL_422 data needs an even number of Columns, not " + columns);
    }
    int[] out = new int[rows * columns * 3];
    int in = 0;
    for (int p = 0; p < rows * columns; p += 2) {
      int y1 = raw[in];
      int y2 = raw[in + 1];
      int cb = raw[in + 2];
      int cr = raw[in + 3];
      in += 4;
      out[3 * p] = y1;
      out[3 * p + 1] = cb;
      out[3 * p + 2] = cr;
      out[3 * p + 3] = y2;
      out[3 * p + 4] = cb;
      out[3 * p + 5] = cr;
    }
    return out;
  }
}
