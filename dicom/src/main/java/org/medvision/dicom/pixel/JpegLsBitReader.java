package org.medvision.dicom.pixel;

/**
 * Reads the entropy-coded bits of one JPEG-LS scan (T.87 A.1): after a 0xFF byte the next byte carries only seven
 * bits, and 0xFF followed by a byte with its top bit set is a marker that ends the scan.
 *
 * <p>Past the end of the scan the reader supplies zero bits, so a decoder never reads outside the array; {@link
 * #overran()} then tells the caller that the scan was truncated.
 */
final class JpegLsBitReader {
  private static final int MAX_PADDING_BITS = 4096;

  private final byte[] data;
  private final int end;
  private int position;
  private long cache;
  private int cacheBits;
  private boolean afterFf;
  private boolean atMarker;
  private int paddingBits;

  JpegLsBitReader(byte[] data, int start, int end) {
    this.data = data;
    this.position = start;
    this.end = end;
  }

  private void fill() {
    while (cacheBits <= 56) {
      if (atMarker || position >= end) {
        atMarker = true;
        cacheBits += 8;
        paddingBits += 8;
        if (paddingBits > MAX_PADDING_BITS) {
          throw new PixelDecodingException("JPEG-LS scan is truncated: the entropy-coded data ended at byte offset "
              + position + " before all samples were decoded");
        }
        continue;
      }
      int b = data[position] & 0xFF;
      if (b == 0xFF && (position + 1 >= end || (data[position + 1] & 0x80) != 0)) {
        // 0xFF then a byte with the top bit set is a marker: the scan's bits have ended.
        atMarker = true;
        continue;
      }
      if (afterFf) {
        cache |= ((long) b) << (57 - cacheBits);
        cacheBits += 7;
      } else {
        cache |= ((long) b) << (56 - cacheBits);
        cacheBits += 8;
      }
      afterFf = b == 0xFF;
      position++;
    }
  }

  int readBit() {
    if (cacheBits == 0) {
      fill();
    }
    int bit = (int) (cache >>> 63);
    cache <<= 1;
    cacheBits--;
    return bit;
  }

  int readBits(int count) {
    if (count == 0) {
      return 0;
    }
    if (cacheBits < count) {
      fill();
    }
    int value = (int) (cache >>> (64 - count));
    cache <<= count;
    cacheBits -= count;
    return value;
  }

  /** Counts zero bits up to the next one bit and consumes both; stops counting at {@code max} + 1 zeros. */
  int readUnary(int max) {
    int zeros = 0;
    while (true) {
      if (cacheBits == 0) {
        fill();
      }
      if (cache == 0) {
        zeros += cacheBits;
        cacheBits = 0;
        if (zeros > max) {
          return zeros;
        }
        continue;
      }
      int leading = Long.numberOfLeadingZeros(cache);
      if (leading >= cacheBits) {
        zeros += cacheBits;
        cache = 0;
        cacheBits = 0;
        if (zeros > max) {
          return zeros;
        }
        continue;
      }
      zeros += leading;
      cache <<= leading + 1;
      cacheBits -= leading + 1;
      return zeros;
    }
  }

  /** True when the decoder consumed more bits than the scan holds. */
  boolean overran() {
    return paddingBits > 0 && cacheBits < paddingBits;
  }
}
