package org.medvision.dicom.pixel;

import java.util.List;

/**
 * The value of an encapsulated Pixel Data element (PS3.5 A.4): the fragments after the Basic Offset Table item and
 * the tables that locate frames in them.
 *
 * @param fragments the fragment items' values, in order (the offset table item excluded)
 * @param basicOffsets the Basic Offset Table: per frame, the byte offset of its first fragment item measured from
 *     the first byte of the first fragment item's tag; empty when the table item was empty
 * @param extendedOffsets Extended Offset Table (7FE0,0001) values, or an empty array
 * @param extendedLengths Extended Offset Table Lengths (7FE0,0002) values, or an empty array
 */
public record EncapsulatedPixelData(List<byte[]> fragments, long[] basicOffsets, long[] extendedOffsets,
    long[] extendedLengths) implements PixelData {
  /** Copies the list and the tables (the arrays are never shared) and turns absent tables into empty arrays. */
  public EncapsulatedPixelData {
    fragments = List.copyOf(fragments);
    basicOffsets = basicOffsets == null ? new long[0] : basicOffsets.clone();
    extendedOffsets = extendedOffsets == null ? new long[0] : extendedOffsets.clone();
    extendedLengths = extendedLengths == null ? new long[0] : extendedLengths.clone();
  }

  /** Fragments with an empty Basic Offset Table and no extended table. */
  public static EncapsulatedPixelData of(List<byte[]> fragments) {
    return new EncapsulatedPixelData(fragments, null, null, null);
  }

  /** A copy of the Basic Offset Table; empty when the table item was empty. */
  @Override
  public long[] basicOffsets() {
    return basicOffsets.clone();
  }

  /** A copy of the Extended Offset Table; empty when absent. */
  @Override
  public long[] extendedOffsets() {
    return extendedOffsets.clone();
  }

  /** A copy of the Extended Offset Table Lengths; empty when absent. */
  @Override
  public long[] extendedLengths() {
    return extendedLengths.clone();
  }
}
