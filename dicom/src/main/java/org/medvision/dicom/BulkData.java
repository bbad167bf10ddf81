package org.medvision.dicom;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a large value (Pixel Data, Float Pixel Data, Double Float Pixel Data) lies, so that reading metadata never
 * loads pixel bytes. A reader records the value's offset and length in the file; for encapsulated Pixel Data it
 * records the Basic Offset Table and each fragment's offset and length. The bytes are read later by re-opening the
 * file ({@link #readValue()}, {@link #readFragment(int)}) or through an {@link #open() open handle} when many reads
 * follow. No file stays open between calls.
 *
 * <p>Writers build in-memory bulk data with {@link #of(VR, byte[])} and {@link #encapsulated(List)}.
 * Values returned by the read methods are in little-endian order whatever the file's byte order.
 */
public final class BulkData {
  /**
   * One fragment of encapsulated pixel data.
   *
   * @param offset the absolute offset of the fragment's first byte in the source
   * @param length the fragment's length in bytes (even)
   */
  public record Fragment(long offset, int length) {}

  private final Path file;
  private final byte[] memory;
  private final String sourceName;
  private final VR vr;
  private final long offset;
  private final long length;
  private final boolean bigEndian;
  private final long[] basicOffsetTable;
  private final List<Fragment> fragments;

  private BulkData(Path file, byte[] memory, String sourceName, VR vr, long offset, long length, boolean bigEndian,
      long[] basicOffsetTable, List<Fragment> fragments) {
    this.file = file;
    this.memory = memory;
    this.sourceName = sourceName;
    this.vr = vr;
    this.offset = offset;
    this.length = length;
    this.bigEndian = bigEndian;
    this.basicOffsetTable = basicOffsetTable;
    this.fragments = fragments == null ? null : List.copyOf(fragments);
  }

  /** Native (not encapsulated) in-memory value in little-endian order, for writers. */
  public static BulkData of(VR vr, byte[] value) {
    return new BulkData(null, value.clone(), "memory", vr, 0, value.length, false, null, null);
  }

  /**
   * Encapsulated in-memory pixel data for writers: one fragment per frame, with an empty Basic Offset Table written
   * in front. Odd-length fragments are padded with a zero byte when written.
   */
  public static BulkData encapsulated(List<byte[]> frames) {
    int total = 0;
    for (byte[] frame : frames) {
      total = Math.addExact(total, frame.length + (frame.length & 1));
    }
    byte[] joined = new byte[total];
    List<Fragment> parts = new ArrayList<>();
    int at = 0;
    for (byte[] frame : frames) {
      System.arraycopy(frame, 0, joined, at, frame.length);
      int padded = frame.length + (frame.length & 1);
      parts.add(new Fragment(at, padded));
      at += padded;
    }
    return new BulkData(null, joined, "memory", VR.OB, 0, -1, false, new long[0], parts);
  }

  static BulkData inSource(ByteSource source, VR vr, long offset, long length, boolean bigEndian) {
    return create(source, vr, offset, length, bigEndian, null, null);
  }

  static BulkData encapsulatedInSource(ByteSource source, VR vr, long offset, long[] table, List<Fragment> parts) {
    return create(source, vr, offset, -1, false, table, parts);
  }

  private static BulkData create(ByteSource source, VR vr, long offset, long length, boolean bigEndian, long[] table,
      List<Fragment> parts) {
    if (source instanceof ByteSource.FileSource) {
      ByteSource.FileSource fileSource = (ByteSource.FileSource) source;
      return new BulkData(fileSource.file(), null, source.name(), vr, offset, length, bigEndian, table, parts);
    }
    byte[] bytes = ((ByteSource.MemorySource) source).bytes();
    return new BulkData(null, bytes, source.name(), vr, offset, length, bigEndian, table, parts);
  }

  /** The file the value lies in; empty for in-memory values (byte-array input, deflated files, writers). */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /** The VR of the element (OB or OW for Pixel Data, OF, OD). */
  public VR vr() {
    return vr;
  }

  /** The offset of the value's first byte in its source (for encapsulated data, of the Basic Offset Table item). */
  public long offset() {
    return offset;
  }

  /** The value length in bytes for native data; -1 for encapsulated data (undefined length). */
  public long length() {
    return length;
  }

  /** True when the source stores the value big-endian (the read methods still return little-endian bytes). */
  public boolean bigEndian() {
    return bigEndian;
  }

  /** True for encapsulated (compressed) pixel data. */
  public boolean isEncapsulated() {
    return fragments != null;
  }

  /** The Basic Offset Table entries (offsets of each frame's first fragment, relative to the first fragment). */
  public long[] basicOffsetTable() {
    return basicOffsetTable == null ? new long[0] : basicOffsetTable.clone();
  }

  /** The fragments of encapsulated data, in order; empty for native data. */
  public List<Fragment> fragments() {
    return fragments == null ? List.of() : fragments;
  }

  /**
   * Reads the whole native value into memory, little-endian.
   *
   * @throws DicomException when the value is encapsulated, larger than an array can hold, or the file cannot be read
   */
  public byte[] readValue() {
    if (isEncapsulated()) {
      throw new DicomException(sourceName + ": pixel data is encapsulated; read it fragment by fragment");
    }
    try (Handle handle = open()) {
      return handle.readValue();
    }
  }

  /** Reads one fragment of encapsulated data (see {@link #fragments()}). */
  public byte[] readFragment(int index) {
    try (Handle handle = open()) {
      return handle.readFragment(index);
    }
  }

  /** Opens the source for several reads; close the handle (try-with-resources) to release the file. */
  public Handle open() {
    try {
      return new Handle(file != null ? ByteSource.open(file) : ByteSource.of(memory, sourceName));
    } catch (IOException e) {
      throw new DicomException(sourceName + ": cannot open to read pixel data: " + e.getMessage(), e);
    }
  }

  /** An open source for reading a bulk value's bytes; not thread-safe. */
  public final class Handle implements AutoCloseable {
    private final ByteSource source;

    private Handle(ByteSource source) {
      this.source = source;
    }

    /** Reads {@code count} bytes starting {@code start} bytes into the native value, little-endian. */
    public byte[] read(long start, int count) {
      if (isEncapsulated() || start < 0 || count < 0 || start + count > length) {
        throw new DicomException(sourceName + ": read of " + count + " bytes at " + start + " is outside the "
            + length + "-byte pixel value at offset " + offset);
      }
      byte[] out = readRaw(offset + start, count);
      if (bigEndian) {
        // OW swaps as 16-bit words whatever Bits Allocated is (PS3.5 7.3): 32-bit pixels keep their low word first,
        // as dcmtk and gdcm read them; OF and OD swap as 4 and 8 bytes.
        ByteOrderSwap.swap(out, 0, out.length, vr.valueSize());
      }
      return out;
    }

    /** Reads the whole native value, little-endian. */
    public byte[] readValue() {
      if (length > Integer.MAX_VALUE - 8) {
        throw new DicomException(sourceName + ": pixel value of " + length + " bytes at offset " + offset
            + " is too large to read at once; read it in parts");
      }
      return read(0, (int) length);
    }

    /** Reads one fragment of encapsulated data. */
    public byte[] readFragment(int index) {
      if (!isEncapsulated() || index < 0 || index >= fragments.size()) {
        throw new DicomException(sourceName + ": no fragment " + index + " (pixel data has "
            + fragments().size() + " fragments)");
      }
      Fragment fragment = fragments.get(index);
      return readRaw(fragment.offset(), fragment.length());
    }

    private byte[] readRaw(long position, int count) {
      byte[] out = new byte[count];
      try {
        source.read(position, out, 0, count);
      } catch (IOException e) {
        throw new DicomException(sourceName + ": cannot read " + count + " bytes of pixel data at offset " + position
            + ": " + e.getMessage(), e);
      }
      return out;
    }

    /** Releases the file. */
    @Override
    public void close() {
      try {
        source.close();
      } catch (IOException e) {
        throw new DicomException(sourceName + ": cannot close: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public String toString() {
    return isEncapsulated() ? "encapsulated " + fragments.size() + " fragments at " + sourceName + "@" + offset
        : vr + " " + length + " bytes at " + sourceName + "@" + offset;
  }
}
