package org.medvision.dicom.pixel;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One channel of a PALETTE COLOR lookup table (PS3.3 C.7.6.3.1.5-6): its descriptor and its entries.
 *
 * <p>Indices below {@code firstMapped} map to the first entry and indices past the end to the last, as the standard
 * requires.
 *
 * @param firstMapped the pixel value that maps to entry 0 (descriptor value 2)
 * @param bitsPerEntry 8 or 16 (descriptor value 3)
 * @param entries the table, one value per entry
 */
public record PaletteLut(int firstMapped, int bitsPerEntry, int[] entries) {
  /** Checks the descriptor and copies the entries. */
  public PaletteLut {
    if (bitsPerEntry != 8 && bitsPerEntry != 16) {
      throw new PixelDecodingException("palette LUT descriptor gives " + bitsPerEntry + " bits per entry; only 8 or 16"
          + " are allowed");
    }
    if (entries.length == 0) {
      throw new PixelDecodingException("palette LUT has no entries");
    }
    entries = entries.clone();
  }

  /**
   * Builds a channel from the raw descriptor (0028,110x) and data (0028,120x) values.
   *
   * <p>The entry count 0 means 65536. With 8-bit entries the data is one byte per entry, except in files that store
   * each 8-bit entry in a 16-bit word, which we recognise by the data length.
   *
   * @param channel "red", "green" or "blue", for messages
   * @param descriptor the three descriptor values (entries, first mapped value, bits)
   * @param data the LUT data bytes
   * @param order the byte order of the data
   */
  public static PaletteLut of(String channel, int[] descriptor, byte[] data, ByteOrder order) {
    if (descriptor.length != 3) {
      throw new PixelDecodingException(channel + " palette LUT descriptor has " + descriptor.length
          + " values; expected 3");
    }
    int count = descriptor[0] == 0 ? 65536 : descriptor[0];
    int bits = descriptor[2];
    int[] entries = new int[count];
    if (bits == 8 && data.length >= count && data.length < 2 * count) {
      for (int i = 0; i < count; i++) {
        entries[i] = data[i] & 0xFF;
      }
    } else if (data.length >= 2 * count) {
      boolean little = order == ByteOrder.LITTLE_ENDIAN;
      for (int i = 0; i < count; i++) {
        int lo = data[2 * i + (little ? 0 : 1)] & 0xFF;
        int hi = data[2 * i + (little ? 1 : 0)] & 0xFF;
        entries[i] = (hi << 8) | lo;
      }
    } else {
      throw new PixelDecodingException(channel + " palette LUT data has " + data.length + " bytes, too short for "
          + count + " entries of " + bits + " bits");
    }
    return new PaletteLut(descriptor[1], bits, entries);
  }

  /** The colour value for a stored pixel value. */
  public int lookup(int value) {
    int index = value - firstMapped;
    if (index < 0) {
      return entries[0];
    }
    return index >= entries.length ? entries[entries.length - 1] : entries[index];
  }

  /** A copy of the entries. */
  @Override
  public int[] entries() {
    return entries.clone();
  }

  /** Equal when the descriptor and every entry are equal (arrays compared by content). */
  @Override
  public boolean equals(Object other) {
    return other instanceof PaletteLut that && firstMapped == that.firstMapped && bitsPerEntry == that.bitsPerEntry
        && Arrays.equals(entries, that.entries);
  }

  /** A hash consistent with {@link #equals(Object)}. */
  @Override
  public int hashCode() {
    return 31 * (31 * firstMapped + bitsPerEntry) + Arrays.hashCode(entries);
  }

  /** The descriptor values and the entry count, without the entries. */
  @Override
  public String toString() {
    return "PaletteLut[firstMapped=" + firstMapped + ", bits=" + bitsPerEntry + ", entries=" + entries.length + "]";
  }
}
