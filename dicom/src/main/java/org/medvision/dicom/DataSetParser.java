package org.medvision.dicom;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the elements of one encoded data set from a {@link ByteSource}: the recursive descent over elements,
 * sequences, items and encapsulated pixel data. Every length is checked against the bytes that remain in the
 * enclosing container before anything is read or allocated, so memory stays proportional to the input.
 */
final class DataSetParser {
  private static final long UNDEFINED = 0xFFFFFFFFL;
  private static final int WINDOW = 64 * 1024;

  private final ByteSource source;
  private final String name;
  private final long size;
  private final DicomReadOptions options;
  private final ReadWarnings warnings;
  private final DicomDictionary dictionary = DicomDictionary.standard();
  private final byte[] window = new byte[WINDOW];
  private long windowStart;
  private int windowLength;
  private long pos;
  private boolean explicit;
  private boolean bigEndian;

  DataSetParser(ByteSource source, DicomReadOptions options, ReadWarnings warnings) throws IOException {
    this.source = source;
    this.name = source.name();
    this.size = source.size();
    this.options = options;
    this.warnings = warnings;
  }

  long size() {
    return size;
  }

  long position() {
    return pos;
  }

  void seek(long position) {
    pos = position;
  }

  void encoding(boolean explicitVr, boolean bigEndianOrder) {
    this.explicit = explicitVr;
    this.bigEndian = bigEndianOrder;
  }

  /** Peeks at up to {@code n} bytes at {@code at} without moving; fewer when the source ends. */
  byte[] peek(long at, int n) throws IOException {
    int count = (int) Math.max(0, Math.min(n, size - at));
    byte[] out = new byte[count];
    source.read(at, out, 0, count);
    return out;
  }

  /**
   * Parses elements from the current position up to {@code end} into {@code target}, stopping early before the
   * first element whose group differs from {@code onlyGroup} when that is not -1 (used for the meta group).
   */
  void parseInto(DataSet target, long end, int onlyGroup) throws IOException {
    while (pos < end) {
      if (onlyGroup < 0 && end == size && zeroTail()) {
        // Some writers pad files with zero bytes after the data set; dcmtk skips them too.
        pos = end;
        return;
      }
      if (onlyGroup >= 0) {
        if (end - pos < 2 || readGroupPeek() != onlyGroup) {
          return;
        }
      }
      int tag = readElementInto(target, end, 0);
      if (tag == Tag.ITEM_DELIMITATION) {
        throw error(tag, pos - 8, "item delimiter outside any item");
      }
    }
  }

  /** True when the 8 bytes at {@code pos} and everything after them to the end of the source are zero. */
  private boolean zeroTail() throws IOException {
    if (size - pos < 8) {
      return false;
    }
    fill(8, -1);
    int i = (int) (pos - windowStart);
    for (int k = 0; k < 8; k++) {
      if (window[i + k] != 0) {
        return false;
      }
    }
    byte[] chunk = new byte[WINDOW];
    for (long at = pos; at < size; at += WINDOW) {
      int n = (int) Math.min(WINDOW, size - at);
      source.read(at, chunk, 0, n);
      for (int k = 0; k < n; k++) {
        if (chunk[k] != 0) {
          return false;
        }
      }
    }
    return true;
  }

  private int readGroupPeek() throws IOException {
    fill(2, -1);
    int i = (int) (pos - windowStart);
    return (window[i] & 0xFF) | (window[i + 1] & 0xFF) << 8;
  }

  /**
   * Reads one element at {@code pos} (which must lie before {@code end}) and adds it to {@code target}. Returns its
   * tag; for an item delimiter nothing is added and the caller ends the item.
   */
  private int readElementInto(DataSet target, long end, int depth) throws IOException {
    long start = pos;
    if (end - pos < 8) {
      throw error(-1, start, "truncated element header: " + (end - pos) + " bytes left of the "
          + (end == size ? "file" : "enclosing item"));
    }
    int tag = readTag();
    if (tag == Tag.ITEM_DELIMITATION || tag == Tag.SEQUENCE_DELIMITATION) {
      long length = u32();
      if (length != 0) {
        throw error(tag, start, "delimiter with non-zero length " + length);
      }
      if (tag == Tag.SEQUENCE_DELIMITATION) {
        throw error(tag, start, "sequence delimiter outside any sequence");
      }
      return tag;
    }
    if (tag == Tag.ITEM) {
      throw error(tag, start, "item outside any sequence");
    }
    VR vr;
    long length;
    if (explicit) {
      int c1 = u8();
      int c2 = u8();
      vr = VR.fromCode(c1, c2);
      if (vr == null) {
        throw error(tag, start, String.format("invalid VR bytes 0x%02X 0x%02X", c1, c2));
      }
      if (vr.isLongLength()) {
        if (end - pos < 6) {
          throw error(tag, start, "truncated element header");
        }
        pos += 2;
        length = u32();
      } else {
        length = u16();
      }
    } else {
      length = u32();
      vr = implicitVr(tag, target);
    }
    long valueStart = pos;
    if (length == UNDEFINED) {
      if (vr == VR.SQ || vr == VR.UN) {
        boolean wasExplicit = explicit;
        boolean wasBigEndian = bigEndian;
        if (vr == VR.UN && explicit) {
          // PS3.5 6.2.2: a UN element of undefined length holds an implicit VR little endian sequence.
          encoding(false, false);
        }
        try {
          target.put(DataElement.ofItems(tag, readItems(target, tag, end, UNDEFINED, depth + 1)));
        } finally {
          encoding(wasExplicit, wasBigEndian);
        }
        return tag;
      }
      if (isPixelData(tag) && (vr == VR.OB || vr == VR.OW)) {
        // Encapsulated data is a byte stream whatever VR the header claims, as dcmtk also reports it.
        target.put(DataElement.ofBulkData(tag, VR.OB, readEncapsulated(tag, end)));
        return tag;
      }
      throw error(tag, start, "undefined length is not allowed for VR " + vr);
    }
    if (length > end - valueStart) {
      throw error(tag, start, "value length " + length + " goes past the end of the "
          + (end == size ? "file" : "enclosing item") + " (" + (end - valueStart) + " bytes left)");
    }
    if (vr == VR.SQ) {
      target.put(DataElement.ofItems(tag, readItems(target, tag, valueStart + length, length, depth + 1)));
      pos = valueStart + length;
      return tag;
    }
    if (vr.valueSize() > 1 && length % vr.valueSize() != 0) {
      throw error(tag, start, "value length " + length + " is not a multiple of " + vr.valueSize()
          + " for VR " + vr);
    }
    if ((length & 1) != 0) {
      warnings.breakRule(name, tag, start, "odd value length " + length, "read the " + length + " bytes as given");
    }
    if (isPixelData(tag) && depth == 0) {
      target.put(DataElement.ofBulkData(tag, vr, BulkData.inSource(source, vr, valueStart, length, bigEndian)));
      pos = valueStart + length;
      return tag;
    }
    if (length > options.maxValueLength()) {
      throw error(tag, start, "value length " + length + " exceeds the limit of " + options.maxValueLength()
          + " bytes");
    }
    byte[] value = bytes((int) length);
    if (bigEndian) {
      ByteOrderSwap.swap(value, 0, value.length, vr.valueSize());
    }
    target.put(DataElement.ofBytes(tag, vr, value));
    return tag;
  }

  private VR implicitVr(int tag, DataSet target) {
    if (tag == Tags.PIXEL_DATA || Tag.group(tag) >= 0x6000 && Tag.group(tag) <= 0x601E
        && Tag.element(tag) == 0x3000) {
      return VR.OW;
    }
    DicomDictionary.Entry entry = dictionary.entry(tag).orElse(null);
    if (entry == null) {
      return dictionary.vrOf(tag);
    }
    List<VR> vrs = entry.vrs();
    if (vrs.size() > 1 && vrs.get(0) == VR.US && vrs.get(1) == VR.SS) {
      return target.getInt(Tags.PIXEL_REPRESENTATION, 0) == 1 ? VR.SS : VR.US;
    }
    if (vrs.size() > 1 && vrs.contains(VR.OW)) {
      return VR.OW;
    }
    return entry.vr();
  }

  private static boolean isPixelData(int tag) {
    return tag == Tags.PIXEL_DATA || tag == Tags.FLOAT_PIXEL_DATA || tag == Tags.DOUBLE_FLOAT_PIXEL_DATA;
  }

  /** Reads the items of a sequence whose value starts at {@code pos}; {@code length} may be undefined. */
  private List<DataSet> readItems(DataSet parent, int sequenceTag, long end, long length, int depth)
      throws IOException {
    if (depth > options.maxNestingDepth()) {
      throw error(sequenceTag, pos, "sequences nested deeper than the limit of " + options.maxNestingDepth());
    }
    List<DataSet> items = new ArrayList<>();
    boolean undefined = length == UNDEFINED;
    while (true) {
      if (!undefined && pos >= end) {
        return items;
      }
      long start = pos;
      if (end - pos < 8) {
        throw error(sequenceTag, start, undefined ? "sequence of undefined length has no sequence delimiter before "
            + "the end of the " + (end == size ? "file" : "enclosing item") : "truncated item header");
      }
      int tag = readTag();
      long itemLength = u32();
      if (tag == Tag.SEQUENCE_DELIMITATION) {
        if (!undefined) {
          throw error(sequenceTag, start, "sequence delimiter inside a sequence of defined length");
        }
        return items;
      }
      if (tag != Tag.ITEM) {
        throw error(sequenceTag, start, "expected an item (FFFE,E000) in the sequence, found " + Tag.toString(tag));
      }
      DataSet item = new DataSet();
      item.setParent(parent);
      if (itemLength == UNDEFINED) {
        while (true) {
          if (end - pos < 8) {
            throw error(sequenceTag, pos, "item of undefined length has no item delimiter before the end of the "
                + (end == size ? "file" : "enclosing item"));
          }
          if (readElementInto(item, end, depth) == Tag.ITEM_DELIMITATION) {
            break;
          }
        }
      } else {
        if (itemLength > end - pos) {
          String container = end == size ? "file" : "sequence";
          warnings.breakRule(name, sequenceTag, start, "item length " + itemLength + " goes past the end of the "
              + container + " (" + (end - pos) + " bytes left)", "read the item's elements up to the end of the "
              + container);
          itemLength = end - pos;
        }
        long itemEnd = pos + itemLength;
        while (pos < itemEnd) {
          if (readElementInto(item, itemEnd, depth) == Tag.ITEM_DELIMITATION) {
            throw error(sequenceTag, pos - 8, "item delimiter inside an item of defined length");
          }
        }
      }
      items.add(item);
    }
  }

  /** Reads encapsulated pixel data: the Basic Offset Table item, then fragments up to the sequence delimiter. */
  private BulkData readEncapsulated(int tag, long end) throws IOException {
    long start = pos;
    List<BulkData.Fragment> fragments = new ArrayList<>();
    long[] table = null;
    while (true) {
      long itemStart = pos;
      if (end - pos < 8) {
        throw error(tag, itemStart, "encapsulated pixel data has no sequence delimiter before the end of the file");
      }
      int itemTag = readTag();
      long length = u32();
      if (itemTag == Tag.SEQUENCE_DELIMITATION) {
        break;
      }
      if (itemTag != Tag.ITEM) {
        throw error(tag, itemStart, "expected a fragment item (FFFE,E000), found " + Tag.toString(itemTag));
      }
      if (length == UNDEFINED || length > end - pos) {
        throw error(tag, itemStart, "fragment length " + length + " goes past the end of the file ("
            + (end - pos) + " bytes left)");
      }
      if (table == null) {
        table = readOffsetTable(tag, itemStart, length);
      } else {
        if (fragments.size() >= options.maxFragments()) {
          throw error(tag, itemStart, "more than " + options.maxFragments() + " fragments");
        }
        fragments.add(new BulkData.Fragment(pos, (int) length));
        pos += length;
      }
    }
    if (table == null) {
      throw error(tag, start, "encapsulated pixel data has no Basic Offset Table item");
    }
    String lie = offsetTableProblem(table, fragments);
    if (lie != null) {
      warnings.breakRule(name, tag, start, lie, "ignored the Basic Offset Table; frames are found by fragments or "
          + "codestream markers");
      table = new long[0];
    }
    return BulkData.encapsulatedInSource(source, VR.OB, start, table, fragments);
  }

  private long[] readOffsetTable(int tag, long itemStart, long length) throws IOException {
    if (length % 4 != 0) {
      throw error(tag, itemStart, "Basic Offset Table length " + length + " is not a multiple of 4");
    }
    long[] table = new long[(int) (length / 4)];
    for (int i = 0; i < table.length; i++) {
      table[i] = u32();
    }
    return table;
  }

  /**
   * Why the table does not fit the fragments (an entry that does not increase or is not the start of a fragment
   * item), or null when it fits or is empty.
   */
  private static String offsetTableProblem(long[] table, List<BulkData.Fragment> fragments) {
    if (table.length == 0) {
      return null;
    }
    if (fragments.isEmpty()) {
      return "Basic Offset Table has " + table.length + " entries but there are no fragments";
    }
    long first = fragments.get(0).offset() - 8;
    int next = 0;
    long previous = -1;
    for (int i = 0; i < table.length; i++) {
      long offset = table[i];
      if (offset <= previous) {
        return "Basic Offset Table entry " + i + " (" + offset + ") does not increase";
      }
      previous = offset;
      while (next < fragments.size() && fragments.get(next).offset() - 8 - first < offset) {
        next++;
      }
      if (next >= fragments.size() || fragments.get(next).offset() - 8 - first != offset) {
        return "Basic Offset Table entry " + i + " (" + offset + ") does not point at the start of a fragment";
      }
    }
    return null;
  }

  // ------------------------------------------------------------ primitive reads through the window

  private void fill(int n, int tag) throws IOException {
    if (pos >= windowStart && pos + n <= windowStart + windowLength) {
      return;
    }
    if (pos + n > size) {
      throw error(tag, pos, "unexpected end of data: needed " + n + " bytes, " + Math.max(0, size - pos) + " left");
    }
    windowStart = pos;
    windowLength = (int) Math.min(WINDOW, size - pos);
    source.read(windowStart, window, 0, windowLength);
  }

  private int readTag() throws IOException {
    int group = u16();
    int element = u16();
    return group << 16 | element;
  }

  private int u8() throws IOException {
    fill(1, -1);
    return window[(int) (pos++ - windowStart)] & 0xFF;
  }

  private int u16() throws IOException {
    fill(2, -1);
    int i = (int) (pos - windowStart);
    pos += 2;
    int a = window[i] & 0xFF;
    int b = window[i + 1] & 0xFF;
    return bigEndian ? a << 8 | b : b << 8 | a;
  }

  private long u32() throws IOException {
    fill(4, -1);
    int i = (int) (pos - windowStart);
    pos += 4;
    long a = window[i] & 0xFF;
    long b = window[i + 1] & 0xFF;
    long c = window[i + 2] & 0xFF;
    long d = window[i + 3] & 0xFF;
    return bigEndian ? a << 24 | b << 16 | c << 8 | d : d << 24 | c << 16 | b << 8 | a;
  }

  private byte[] bytes(int n) throws IOException {
    byte[] out = new byte[n];
    if (n <= WINDOW) {
      fill(n, -1);
      System.arraycopy(window, (int) (pos - windowStart), out, 0, n);
    } else {
      source.read(pos, out, 0, n);
    }
    pos += n;
    return out;
  }

  DicomParseException error(int tag, long offset, String problem) {
    return new DicomParseException(name, tag, offset, problem);
  }
}
