package org.medvision.dicom;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One element of a {@link DataSet}: a tag, a VR and exactly one of a value (bytes), a list of items (SQ) or a
 * reference to bulk data left in the file ({@link BulkData}).
 *
 * <p>Byte values are stored as read, including any trailing padding, with binary values in little-endian order;
 * strings are the encoded bytes, decoded by {@link DataSet} with the Specific Character Set in force. Elements are
 * immutable except that a sequence's item list is changed through {@link DataSet#addItem(int)}.
 */
public final class DataElement {
  private final int tag;
  private final VR vr;
  private final byte[] value;
  private final List<DataSet> items;
  private final BulkData bulk;

  private DataElement(int tag, VR vr, byte[] value, List<DataSet> items, BulkData bulk) {
    this.tag = tag;
    this.vr = Objects.requireNonNull(vr, "vr");
    this.value = value;
    this.items = items;
    this.bulk = bulk;
  }

  /** An element with a byte value (not copied: the caller hands over the array). */
  static DataElement ofBytes(int tag, VR vr, byte[] value) {
    return new DataElement(tag, vr, value, null, null);
  }

  /** A sequence element owning the given (mutable) item list. */
  static DataElement ofItems(int tag, List<DataSet> items) {
    return new DataElement(tag, VR.SQ, null, items, null);
  }

  /** An element whose value is bulk data. */
  static DataElement ofBulkData(int tag, VR vr, BulkData bulk) {
    return new DataElement(tag, vr, null, null, Objects.requireNonNull(bulk, "bulk"));
  }

  /** The tag. */
  public int tag() {
    return tag;
  }

  /** The VR (as encoded in the file for explicit VR, from the dictionary for implicit VR). */
  public VR vr() {
    return vr;
  }

  /** True for SQ elements. */
  public boolean isSequence() {
    return items != null;
  }

  /** True when the value is left in the source and described by {@link #bulkData()}. */
  public boolean isBulkData() {
    return bulk != null;
  }

  /** A copy of the value bytes (little-endian for binary VRs); empty for sequences and bulk data. */
  public byte[] bytes() {
    return value == null ? new byte[0] : value.clone();
  }

  /** The value bytes without copying, for the codec; callers must not change them. */
  byte[] rawBytes() {
    return value == null ? new byte[0] : value;
  }

  /** The value length in bytes as stored (not counting writer padding); bulk length, or -1 if encapsulated. */
  public long length() {
    if (bulk != null) {
      return bulk.length();
    }
    return value == null ? 0 : value.length;
  }

  /** The items of a sequence (read-only view); empty for other elements. */
  public List<DataSet> items() {
    return items == null ? List.of() : Collections.unmodifiableList(items);
  }

  List<DataSet> mutableItems() {
    return items;
  }

  /** The bulk data reference, or null when the value is in memory. */
  public BulkData bulkData() {
    return bulk;
  }

  /** A deep copy whose items have {@code parent} as their enclosing data set. */
  DataElement copy(DataSet parent) {
    if (items == null) {
      return this;
    }
    List<DataSet> copies = new ArrayList<>(items.size());
    for (DataSet item : items) {
      copies.add(item.copyWithParent(parent));
    }
    return ofItems(tag, copies);
  }

  /**
   * Equal when tag, VR and content are equal; bulk data compares by description (VR, length, fragment lengths), not
   * by reading the bytes.
   */
  @Override
  public boolean equals(Object other) {
    if (!(other instanceof DataElement)) {
      return false;
    }
    DataElement that = (DataElement) other;
    return tag == that.tag && vr == that.vr && Arrays.equals(value, that.value) && Objects.equals(items, that.items)
        && bulkDescription(bulk).equals(bulkDescription(that.bulk));
  }

  @Override
  public int hashCode() {
    return Objects.hash(tag, vr, Arrays.hashCode(value), items);
  }

  private static String bulkDescription(BulkData bulk) {
    if (bulk == null) {
      return "";
    }
    StringBuilder out = new StringBuilder().append(bulk.vr()).append(' ').append(bulk.length());
    for (BulkData.Fragment fragment : bulk.fragments()) {
      out.append(' ').append(fragment.length());
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return Tag.toString(tag) + " " + vr + (items != null ? " " + items.size() + " items"
        : bulk != null ? " " + bulk : " " + value.length + " bytes");
  }
}
