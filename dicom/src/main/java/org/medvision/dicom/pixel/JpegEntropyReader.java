package org.medvision.dicom.pixel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads the entropy-coded segments of one lossless JPEG scan (ISO 10918-1 B.1.1.5, F.1.2.3) and decodes its
 * Huffman-coded differences (H.1.2.2).
 *
 * <p>Bits are kept left-aligned in a 64-bit cache refilled a byte at a time: 0xFF 0x00 is a stuffed 0xFF data byte,
 * and 0xFF followed by anything else is a marker, which ends the segment. Past a marker the reader supplies zero
 * bits, so the decoder never reads outside the array; {@link #overran()} then tells the caller that the segment was
 * shorter than its samples need, and a long overrun fails at once so that a truncated frame is not decoded to the
 * end in zeros.
 */
final class JpegEntropyReader {
  private static final VarHandle BIG_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  /**
   * Zero bits supplied past a marker before giving up. A valid scan never consumes them (the cache only reads up to
   * 64 bits ahead), so this only bounds the work spent on a truncated one.
   */
  private static final int MAX_PADDING_BITS = 4096;

  private final JpegSegmentCursor stream;
  private final byte[] data;
  private int position;
  private long cache;
  private int cacheBits;
  private int paddingBits;
  private boolean atMarker;

  /** Starts reading entropy-coded data at the stream's current position (just after the SOS segment). */
  JpegEntropyReader(JpegSegmentCursor stream) {
    this.stream = stream;
    this.data = stream.data;
    this.position = stream.position;
  }

  /** Tops the cache up to at least 57 bits, stopping at a marker or the end of the array. */
  private void fill() {
    if (!atMarker && position + 8 <= data.length) {
      // Most refills meet no 0xFF: load the whole bytes that fit with one big endian read.
      long word = (long) BIG_ENDIAN_LONG.get(data, position);
      long inverted = ~word;
      if (((inverted - 0x0101_0101_0101_0101L) & ~inverted & 0x8080_8080_8080_8080L) == 0) {
        int bytes = (64 - cacheBits) >>> 3;
        cache |= (word >>> (64 - 8 * bytes)) << (64 - cacheBits - 8 * bytes);
        cacheBits += 8 * bytes;
        position += bytes;
        return;
      }
    }
    while (cacheBits <= 56) {
      int b = 0;
      if (atMarker || position >= data.length) {
        atMarker = true;
        paddingBits += 8;
        if (paddingBits > MAX_PADDING_BITS) {
          throw stream.error("scan is truncated: its entropy-coded data ends at byte offset " + position
              + " before all samples were decoded");
        }
      } else {
        b = data[position] & 0xFF;
        if (b != 0xFF) {
          position++;
        } else if (position + 1 < data.length && data[position + 1] == 0) {
          position += 2;
        } else {
          atMarker = true;
          continue;
        }
      }
      cache |= (long) b << (56 - cacheBits);
      cacheBits += 8;
    }
  }

  /**
   * Decodes one difference with {@code table}: its Huffman-coded category and the extra bits. The result is only
   * meaningful modulo 2^16, as the reconstruction (H.1.2.1) is.
   */
  int decodeDifference(LosslessHuffmanTable table) {
    if (cacheBits < 32) {
      fill();
    }
    int entry = table.lookup[(int) (cache >>> (64 - LosslessHuffmanTable.LOOKUP_BITS))];
    if (entry < 0) {
      int length = (entry >>> 16) & 0xFF;
      cache <<= length;
      cacheBits -= length;
      return entry & 0xFFFF;
    }
    if (entry == 0) {
      return decodeLongCode(table);
    }
    int length = entry >>> 16;
    int category = entry & 0xFF;
    cache <<= length;
    int extra = (int) (cache >>> (64 - category));
    cache <<= category;
    cacheBits -= length + category;
    return LosslessHuffmanTable.extend(extra, category);
  }

  /** The rare code longer than the lookup, kept out of {@link #decodeDifference} so that it inlines. */
  private int decodeLongCode(LosslessHuffmanTable table) {
    int found = table.decodeLong((int) (cache >>> 48));
    if (found < 0) {
      throw stream.error(overran()
          ? "scan is truncated: its entropy-coded data ends at byte offset " + position
          : "corrupt entropy-coded data: no Huffman code matches the bits before byte offset " + position);
    }
    int length = found >>> 8;
    int category = found & 0xFF;
    cache <<= length;
    cacheBits -= length;
    if (category == 0 || category == 16) {
      return category == 0 ? 0 : 32768;
    }
    int extra = (int) (cache >>> (64 - category));
    cache <<= category;
    cacheBits -= category;
    return LosslessHuffmanTable.extend(extra, category);
  }

  /** True when the decoder consumed more bits than the segment holds. */
  boolean overran() {
    return paddingBits > 0 && cacheBits < paddingBits;
  }

  /** The byte offset of the next unread byte, for messages. */
  int position() {
    return position;
  }

  /**
   * Ends a restart interval (F.2.2.5): drops the padding bits of the last byte and reads marker RST{@code index}.
   *
   * @throws PixelDecodingException when the interval was truncated or the marker is not the expected one
   */
  void restart(int index) {
    if (overran()) {
      throw stream.error("restart interval is truncated: its entropy-coded data ends at byte offset " + position);
    }
    int marker = skipToMarker();
    if (marker != 0xD0 + index) {
      throw stream.error(String.format("expected restart marker RST%d (FF%02X) at byte offset %d, found %s", index,
          0xD0 + index, position, marker < 0 ? "the end of the stream" : String.format("FF%02X", marker)));
    }
    position += 2;
    cache = 0;
    cacheBits = 0;
    paddingBits = 0;
    atMarker = false;
  }

  /**
   * Ends the scan: moves the stream's position to the marker after the entropy-coded data.
   *
   * @throws PixelDecodingException when the scan was truncated
   */
  void finish() {
    if (overran()) {
      throw stream.error("scan is truncated: its entropy-coded data ends at byte offset " + position
          + " before all samples were decoded");
    }
    skipToMarker();
    stream.position = position;
  }

  /**
   * Moves past any data bytes the decoder did not need (libjpeg skips them too) to the next marker; returns its
   * code, or -1 at the end of the array.
   */
  private int skipToMarker() {
    while (position + 1 < data.length) {
      if ((data[position] & 0xFF) == 0xFF) {
        int next = data[position + 1] & 0xFF;
        if (next != 0 && next != 0xFF) {
          return next;
        }
        position += next == 0 ? 2 : 1;
      } else {
        position++;
      }
    }
    return -1;
  }
}
