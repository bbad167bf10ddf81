package org.medvision.dicom.pixel;

/**
 * One Huffman table of a lossless JPEG scan (ISO 10918-1 Annex C, as used by H.1.2.2): each code stands for a
 * difference category SSSS in 0..16.
 *
 * <p>Codes of up to {@link #LOOKUP_BITS} bits, which in medical images are nearly all of them, are found with one
 * array access indexed by the next {@code LOOKUP_BITS} bits of the stream; longer ones walk the canonical code by
 * length. When the code and its SSSS extra bits fit in the lookup width together, the entry holds the finished
 * difference as well, so the common sample costs one lookup and one shift.
 */
final class LosslessHuffmanTable {
  /** Width of the lookup index; 2^12 entries of 4 bytes stay in the first-level cache. */
  static final int LOOKUP_BITS = 12;

  /**
   * Per lookup index: 0 when the code is longer than {@link #LOOKUP_BITS}; else bit 31 set when the entry is
   * complete, bits 16..23 the number of bits to consume, and bits 0..15 the difference (complete) or bits 0..7 the
   * category SSSS (code only, its extra bits still to read).
   */
  final int[] lookup = new int[1 << LOOKUP_BITS];
  private final int[] maxCode = new int[17];
  private final int[] valueOffset = new int[17];
  private final int[] values;

  /**
   * Builds the table from a DHT segment's code counts by length and its symbols.
   *
   * @param counts {@code counts[length]} for lengths 1..16 (index 0 unused)
   * @param values the symbols in code order
   * @throws IllegalArgumentException when a symbol is not a difference category or the code lengths overflow
   */
  LosslessHuffmanTable(int[] counts, int[] values) {
    this.values = values;
    for (int value : values) {
      if (value > 16) {
        throw new IllegalArgumentException("symbol " + value + " is not a difference category (0..16)");
      }
    }
    int code = 0;
    int index = 0;
    for (int length = 1; length <= 16; length++) {
      valueOffset[length] = index - code;
      if (code + counts[length] > 1 << length) {
        throw new IllegalArgumentException("more codes of " + length + " bits or fewer than such lengths allow");
      }
      for (int i = 0; i < counts[length]; i++, code++, index++) {
        if (length <= LOOKUP_BITS) {
          fillLookup(code, length, values[index]);
        }
      }
      maxCode[length] = code - 1;
      code <<= 1;
    }
  }

  private void fillLookup(int code, int length, int category) {
    int free = LOOKUP_BITS - length;
    int first = code << free;
    for (int tail = 0; tail < 1 << free; tail++) {
      int entry;
      if (category == 0) {
        entry = 0x8000_0000 | length << 16;
      } else if (category == 16) {
        // T.81 H.1.2.2: category 16 has no extra bits and stands for the difference 32768.
        entry = 0x8000_0000 | length << 16 | 32768;
      } else if (length + category <= LOOKUP_BITS) {
        int extra = tail >>> (free - category);
        entry = 0x8000_0000 | (length + category) << 16 | (extend(extra, category) & 0xFFFF);
      } else {
        entry = length << 16 | category;
      }
      lookup[first + tail] = entry;
    }
  }

  /** T.81 F.2.2.1 EXTEND: the SSSS extra bits as a signed difference. */
  static int extend(int bits, int category) {
    return bits < 1 << (category - 1) ? bits - (1 << category) + 1 : bits;
  }

  /**
   * Finds a code longer than {@link #LOOKUP_BITS}: returns {@code length << 8 | category}, or -1 when no code
   * matches.
   *
   * @param next16 the next 16 bits of the stream, most significant first
   */
  int decodeLong(int next16) {
    for (int length = LOOKUP_BITS + 1; length <= 16; length++) {
      int code = next16 >>> (16 - length);
      if (code <= maxCode[length]) {
        int index = code + valueOffset[length];
        return index >= 0 && index < values.length ? length << 8 | values[index] : -1;
      }
    }
    return -1;
  }
}
