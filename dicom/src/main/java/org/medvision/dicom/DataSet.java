package org.medvision.dicom;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * An ordered DICOM data set: elements sorted by tag (unsigned), each with its VR and value. It is what the reader
 * returns, what the writer writes and what builders of new objects fill in.
 *
 * <h2>Reading values</h2>
 * For each kind of value there is a required form that throws a {@link DicomException} naming the tag when the
 * element is absent or empty, a form with a fallback, an {@code Optional} form and a multi-valued form:
 * <ul>
 *   <li>strings: {@link #getString(int)}, {@link #getString(int, String)}, {@link #string(int)},
 *       {@link #strings(int)}; decoded with the Specific Character Set in force (this data set's (0008,0005), else
 *       that of the enclosing data set), split on backslash except for the text VRs (LT, ST, UT, UR), and with
 *       insignificant padding removed;</li>
 *   <li>integers from IS, US, SS, UL, SL, SV, UV, OL, OW, AT: {@link #getInt(int)}, {@link #getInt(int, int)},
 *       {@link #optionalInt(int)}, {@link #ints(int)}, {@link #longs(int)};</li>
 *   <li>floating point from DS, IS, FL, FD, OF, OD and the integer VRs: {@link #getDouble(int)},
 *       {@link #getDouble(int, double)}, {@link #optionalDouble(int)}, {@link #doubles(int)};</li>
 *   <li>raw bytes: {@link #bytes(int)}; sequences: {@link #sequence(int)}, {@link #item(int, int)}; pixel data left
 *       in the file: {@link #bulkData(int)}.</li>
 * </ul>
 *
 * <h2>Building</h2>
 * Setters replace any existing element. Those without a VR take it from {@link DicomDictionary}. Strings are encoded
 * with this data set's Specific Character Set, so set {@link Tags#SPECIFIC_CHARACTER_SET} (e.g. {@code ISO_IR 192})
 * before values outside ASCII. Numbers are formatted per VR (DS within 16 characters, IS as integers, binary VRs in
 * little-endian). Sequences are built with {@link #addItem(int)} or {@link #setSequence(int, List)}. String values
 * are padded to even length with the VR's padding byte as they are set, exactly as they will be written.
 *
 * <p>Not thread-safe for writing. A data set that no thread modifies any more (as a reader returns it) may be read
 * from many threads at once.
 */
public final class DataSet implements Iterable<DataElement> {
  private final TreeMap<Integer, DataElement> elements = new TreeMap<>(Integer::compareUnsigned);
  private DataSet parent;
  // Volatile: readers on several threads may each fill this cache; the value they compute is the same.
  private volatile SpecificCharacterSet charset;

  /** An empty data set. */
  public DataSet() {}

  // ---------------------------------------------------------------- structure

  /** Number of elements at this level. */
  public int size() {
    return elements.size();
  }

  /** True when there are no elements. */
  public boolean isEmpty() {
    return elements.isEmpty();
  }

  /** True when the tag is present (even with an empty value). */
  public boolean contains(int tag) {
    return elements.containsKey(tag);
  }

  /** The element with this tag, if present. */
  public Optional<DataElement> element(int tag) {
    return Optional.ofNullable(elements.get(tag));
  }

  /** The elements in tag order (read-only). */
  public Collection<DataElement> elements() {
    return Collections.unmodifiableCollection(elements.values());
  }

  /** Iterates over the elements in tag order. */
  @Override
  public Iterator<DataElement> iterator() {
    return elements().iterator();
  }

  /** The data set enclosing this item, or null at the top level. */
  public DataSet parent() {
    return parent;
  }

  /** The VR of a present element. */
  public Optional<VR> vr(int tag) {
    DataElement element = elements.get(tag);
    return element == null ? Optional.empty() : Optional.of(element.vr());
  }

  /**
   * The Specific Character Set in force: this data set's (0008,0005) if present, else the enclosing data set's, else
   * the default repertoire.
   */
  public SpecificCharacterSet specificCharacterSet() {
    if (charset == null) {
      DataElement element = elements.get(Tags.SPECIFIC_CHARACTER_SET);
      if (element != null) {
        charset = SpecificCharacterSet.of(splitValues(new String(element.rawBytes(),
            java.nio.charset.StandardCharsets.ISO_8859_1), VR.CS));
      } else {
        charset = parent != null ? parent.specificCharacterSet() : SpecificCharacterSet.DEFAULT;
      }
    }
    return charset;
  }

  // ---------------------------------------------------------------- strings

  /** The first string value, if the element is present and non-empty. */
  public Optional<String> string(int tag) {
    List<String> values = strings(tag);
    return values.isEmpty() || values.get(0).isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /**
   * The first string value.
   *
   * @throws DicomException naming the tag when absent or empty
   */
  public String getString(int tag) {
    return string(tag).orElseThrow(() -> missing(tag));
  }

  /** The first string value, or {@code fallback} when absent or empty. */
  public String getString(int tag, String fallback) {
    return string(tag).orElse(fallback);
  }

  /**
   * All values of a string element, decoded and trimmed; empty when absent. Binary elements are rendered as their
   * numbers (AT as {@code (GGGG,EEEE)}), so every element can be listed as text.
   */
  public List<String> strings(int tag) {
    DataElement element = elements.get(tag);
    if (element == null || element.isSequence() || element.isBulkData()) {
      return List.of();
    }
    VR vr = element.vr();
    if (!vr.isString()) {
      return binaryAsStrings(element);
    }
    byte[] raw = element.rawBytes();
    String text = specificCharacterSet().decode(raw, 0, raw.length, vr);
    return splitValues(text, vr);
  }

  /** The whole value as one decoded string (backslashes kept, trailing padding removed); empty when absent. */
  public Optional<String> text(int tag) {
    DataElement element = elements.get(tag);
    if (element == null || element.isSequence() || element.isBulkData()) {
      return Optional.empty();
    }
    if (!element.vr().isString()) {
      return Optional.of(String.join("\\", binaryAsStrings(element)));
    }
    byte[] raw = element.rawBytes();
    return Optional.of(trimTrailing(specificCharacterSet().decode(raw, 0, raw.length, element.vr())));
  }

  // ---------------------------------------------------------------- numbers

  /** The first value as an int, if present and non-empty. */
  public OptionalInt optionalInt(int tag) {
    long[] values = longs(tag);
    return values.length == 0 ? OptionalInt.empty() : OptionalInt.of(toInt(tag, values[0]));
  }

  /**
   * The first value as an int.
   *
   * @throws DicomException naming the tag when absent, empty, not a number or out of int range
   */
  public int getInt(int tag) {
    OptionalInt value = optionalInt(tag);
    if (value.isEmpty()) {
      throw missing(tag);
    }
    return value.getAsInt();
  }

  /** The first value as an int, or {@code fallback} when absent or empty. */
  public int getInt(int tag, int fallback) {
    return optionalInt(tag).orElse(fallback);
  }

  /** All values as ints; empty when absent. */
  public int[] ints(int tag) {
    long[] values = longs(tag);
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = toInt(tag, values[i]);
    }
    return out;
  }

  /**
   * All values as longs, from IS (text), US, SS, UL, SL, SV, UV, OW, OL, OV or AT (group in the high half); empty
   * values of IS are skipped.
   *
   * @throws DicomException naming the tag when the VR is not an integer VR or a value is not an integer
   */
  public long[] longs(int tag) {
    DataElement element = elements.get(tag);
    if (element == null || element.isSequence() || element.isBulkData()) {
      return new long[0];
    }
    VR vr = element.vr();
    byte[] raw = element.rawBytes();
    ByteBuffer buffer = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    int size = vr == VR.AT ? 4 : vr.valueSize();
    switch (vr) {
      case IS:
      case DS: {
        List<String> texts = strings(tag);
        long[] out = new long[texts.size()];
        int n = 0;
        for (String text : texts) {
          if (text.isEmpty()) {
            continue;
          }
          out[n++] = parseInteger(tag, text);
        }
        return Arrays.copyOf(out, n);
      }
      case US:
      case OW:
      case SS:
      case UL:
      case OL:
      case SL:
      case SV:
      case UV:
      case OV:
      case AT: {
        int count = raw.length / size;
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
          out[i] = binaryLong(buffer, i * size, vr, tag);
        }
        return out;
      }
      default:
        throw new DicomException(Tag.toString(tag) + " " + keyword(tag) + " has VR " + vr
            + ", which holds no integers");
    }
  }

  /** The first value as a double, if present and non-empty. */
  public OptionalDouble optionalDouble(int tag) {
    double[] values = doubles(tag);
    return values.length == 0 || Double.isNaN(values[0]) ? OptionalDouble.empty() : OptionalDouble.of(values[0]);
  }

  /**
   * The first value as a double.
   *
   * @throws DicomException naming the tag when absent, empty or not a number
   */
  public double getDouble(int tag) {
    OptionalDouble value = optionalDouble(tag);
    if (value.isEmpty()) {
      throw missing(tag);
    }
    return value.getAsDouble();
  }

  /** The first value as a double, or {@code fallback} when absent or empty. */
  public double getDouble(int tag, double fallback) {
    return optionalDouble(tag).orElse(fallback);
  }

  /**
   * All values as doubles, from DS or IS (text; an empty value gives NaN), FL, FD, OF, OD or the integer VRs; empty
   * when absent.
   *
   * @throws DicomException naming the tag and the text when a DS or IS value is not a number
   */
  public double[] doubles(int tag) {
    DataElement element = elements.get(tag);
    if (element == null || element.isSequence() || element.isBulkData()) {
      return new double[0];
    }
    VR vr = element.vr();
    byte[] raw = element.rawBytes();
    ByteBuffer buffer = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    switch (vr) {
      case DS:
      case IS: {
        List<String> texts = strings(tag);
        double[] out = new double[texts.size()];
        for (int i = 0; i < out.length; i++) {
          out[i] = texts.get(i).isEmpty() ? Double.NaN : parseDecimal(tag, texts.get(i));
        }
        return out;
      }
      case FL:
      case OF: {
        double[] out = new double[raw.length / 4];
        for (int i = 0; i < out.length; i++) {
          out[i] = buffer.getFloat(i * 4);
        }
        return out;
      }
      case FD:
      case OD: {
        double[] out = new double[raw.length / 8];
        for (int i = 0; i < out.length; i++) {
          out[i] = buffer.getDouble(i * 8);
        }
        return out;
      }
      default: {
        long[] values = longs(tag);
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
          out[i] = values[i];
        }
        return out;
      }
    }
  }

  // ---------------------------------------------------------------- bytes, sequences, bulk data

  /** A copy of the value bytes (binary values little-endian); empty when absent. */
  public byte[] bytes(int tag) {
    DataElement element = elements.get(tag);
    return element == null ? new byte[0] : element.bytes();
  }

  /** The items of a sequence (read-only); empty when absent or not a sequence. */
  public List<DataSet> sequence(int tag) {
    DataElement element = elements.get(tag);
    return element == null ? List.of() : element.items();
  }

  /** Item {@code index} of a sequence, if present. */
  public Optional<DataSet> item(int tag, int index) {
    List<DataSet> items = sequence(tag);
    return index >= 0 && index < items.size() ? Optional.of(items.get(index)) : Optional.empty();
  }

  /** The bulk data reference of an element left in the file (Pixel Data and the float pixel data elements). */
  public Optional<BulkData> bulkData(int tag) {
    DataElement element = elements.get(tag);
    return element == null ? Optional.empty() : Optional.ofNullable(element.bulkData());
  }

  // ---------------------------------------------------------------- building

  /** Adds or replaces an element; for sequences, the items become children of this data set. */
  public DataSet set(DataElement element) {
    DataElement owned = element.isSequence() ? element.copy(this) : element;
    elements.put(owned.tag(), owned);
    if (owned.tag() == Tags.SPECIFIC_CHARACTER_SET) {
      invalidateCharset();
    }
    return this;
  }

  /** Removes an element; returns whether it was present. */
  public boolean remove(int tag) {
    boolean removed = elements.remove(tag) != null;
    if (tag == Tags.SPECIFIC_CHARACTER_SET) {
      invalidateCharset();
    }
    return removed;
  }

  /** Sets string values with the dictionary VR of the tag (see {@link #setString(int, VR, String...)}). */
  public DataSet setString(int tag, String... values) {
    return setString(tag, dictionaryVr(tag), values);
  }

  /**
   * Sets string values, joined with backslashes; no values gives an empty (zero-length) element.
   *
   * @throws DicomException when the VR is not a string VR, a text VR gets several values, a value contains a
   *     backslash where that separates values, or the characters cannot be encoded
   */
  public DataSet setString(int tag, VR vr, String... values) {
    if (!vr.isString()) {
      throw new DicomException("cannot set strings on " + Tag.toString(tag) + " " + keyword(tag) + " with VR " + vr);
    }
    if (vr.isText() && values.length > 1) {
      throw new DicomException(Tag.toString(tag) + " " + keyword(tag) + " has VR " + vr
          + ", which is single-valued; got " + values.length + " values");
    }
    if (!vr.isText()) {
      for (String value : values) {
        if (value.indexOf('\\') >= 0) {
          throw new DicomException("value '" + value + "' for " + Tag.toString(tag) + " " + keyword(tag)
              + " contains a backslash, which separates values of VR " + vr);
        }
      }
    }
    String joined = String.join("\\", values);
    SpecificCharacterSet encoding = tag == Tags.SPECIFIC_CHARACTER_SET ? SpecificCharacterSet.DEFAULT
        : specificCharacterSet();
    byte[] encoded = encoding.encode(joined, vr);
    if ((encoded.length & 1) != 0) {
      // Pad now, as the writer would, so a built data set equals what reading its file gives back.
      encoded = Arrays.copyOf(encoded, encoded.length + 1);
      encoded[encoded.length - 1] = vr.paddingByte();
    }
    put(DataElement.ofBytes(tag, vr, encoded));
    return this;
  }

  /** Sets integer values with the dictionary VR of the tag. */
  public DataSet setInt(int tag, int... values) {
    return setInt(tag, dictionaryVr(tag), values);
  }

  /** Sets integer values as IS, US, SS, UL, SL, SV, UV, OW, OL, OV or AT. */
  public DataSet setInt(int tag, VR vr, int... values) {
    long[] longs = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      longs[i] = values[i];
    }
    return setLong(tag, vr, longs);
  }

  /**
   * Sets integer values as IS, US, SS, UL, SL, SV, UV, OW, OL, OV or AT (or DS).
   *
   * @throws DicomException when a value is out of the VR's range or the VR holds no integers
   */
  public DataSet setLong(int tag, VR vr, long... values) {
    if (vr == VR.IS || vr == VR.DS) {
      String[] texts = new String[values.length];
      for (int i = 0; i < values.length; i++) {
        if (vr == VR.IS && (values[i] < -2147483648L || values[i] > 2147483647L)) {
          throw outOfRange(tag, vr, values[i]);
        }
        texts[i] = Long.toString(values[i]);
      }
      return setString(tag, vr, texts);
    }
    int size = vr.valueSize();
    if (!vr.isBinary() || vr == VR.OB || vr == VR.UN || vr == VR.FL || vr == VR.FD || vr == VR.OF || vr == VR.OD) {
      throw new DicomException("cannot set integers on " + Tag.toString(tag) + " " + keyword(tag) + " with VR " + vr);
    }
    int width = vr == VR.AT ? 4 : size;
    ByteBuffer buffer = ByteBuffer.allocate(values.length * width).order(ByteOrder.LITTLE_ENDIAN);
    for (long value : values) {
      checkRange(tag, vr, value);
      switch (width) {
        case 2:
          buffer.putShort((short) value);
          break;
        case 4:
          if (vr == VR.AT) {
            buffer.putShort((short) (value >>> 16)).putShort((short) value);
          } else {
            buffer.putInt((int) value);
          }
          break;
        default:
          buffer.putLong(value);
      }
    }
    put(DataElement.ofBytes(tag, vr, buffer.array()));
    return this;
  }

  /** Sets floating-point values with the dictionary VR of the tag. */
  public DataSet setDouble(int tag, double... values) {
    return setDouble(tag, dictionaryVr(tag), values);
  }

  /**
   * Sets floating-point values as DS (shortest text within 16 characters), FL, FD, OF or OD.
   *
   * @throws DicomException for NaN or infinite DS values, or a VR that holds no floating-point numbers
   */
  public DataSet setDouble(int tag, VR vr, double... values) {
    switch (vr) {
      case DS: {
        String[] texts = new String[values.length];
        for (int i = 0; i < values.length; i++) {
          texts[i] = formatDecimal(tag, values[i]);
        }
        return setString(tag, vr, texts);
      }
      case FL:
      case OF: {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (double value : values) {
          buffer.putFloat((float) value);
        }
        put(DataElement.ofBytes(tag, vr, buffer.array()));
        return this;
      }
      case FD:
      case OD: {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double value : values) {
          buffer.putDouble(value);
        }
        put(DataElement.ofBytes(tag, vr, buffer.array()));
        return this;
      }
      default:
        throw new DicomException("cannot set floating-point values on " + Tag.toString(tag) + " " + keyword(tag)
            + " with VR " + vr);
    }
  }

  /**
   * Sets a raw value (copied). Binary values must be little-endian; string values must already be encoded.
   *
   * @throws DicomException for SQ, or a length that is not a multiple of the VR's value size
   */
  public DataSet setBytes(int tag, VR vr, byte[] value) {
    if (vr == VR.SQ) {
      throw new DicomException("use setSequence for " + Tag.toString(tag) + " " + keyword(tag));
    }
    if (vr.valueSize() > 1 && value.length % vr.valueSize() != 0) {
      throw new DicomException(Tag.toString(tag) + " " + keyword(tag) + ": " + value.length
          + " bytes is not a multiple of the " + vr.valueSize() + "-byte values of VR " + vr);
    }
    put(DataElement.ofBytes(tag, vr, value.clone()));
    return this;
  }

  /** Sets a bulk value (Pixel Data built in memory, or a reference copied from another data set). */
  public DataSet setBulkData(int tag, BulkData bulk) {
    put(DataElement.ofBulkData(tag, bulk.vr(), bulk));
    return this;
  }

  /** Sets a sequence to copies of the given items (an empty list gives an empty sequence). */
  public DataSet setSequence(int tag, List<DataSet> items) {
    List<DataSet> owned = new ArrayList<>(items.size());
    for (DataSet item : items) {
      owned.add(item.copyWithParent(this));
    }
    put(DataElement.ofItems(tag, owned));
    return this;
  }

  /**
   * Appends a new empty item to a sequence, creating the sequence when absent, and returns the item to fill in.
   *
   * @throws DicomException when the tag holds a non-sequence element
   */
  public DataSet addItem(int tag) {
    DataElement element = elements.get(tag);
    if (element == null) {
      element = DataElement.ofItems(tag, new ArrayList<>());
      elements.put(tag, element);
    } else if (!element.isSequence()) {
      throw new DicomException(Tag.toString(tag) + " " + keyword(tag) + " is " + element.vr() + ", not a sequence");
    }
    DataSet item = new DataSet();
    item.parent = this;
    element.mutableItems().add(item);
    return item;
  }

  /** Appends a copy of {@code item} to a sequence (created when absent) and returns the copy. */
  public DataSet addItem(int tag, DataSet item) {
    DataSet added = addItem(tag);
    for (DataElement element : item) {
      added.set(element);
    }
    return added;
  }

  /** A deep copy with no parent (bulk data references are shared: they are immutable). */
  public DataSet copy() {
    return copyWithParent(null);
  }

  DataSet copyWithParent(DataSet newParent) {
    DataSet copy = new DataSet();
    copy.parent = newParent;
    for (DataElement element : elements.values()) {
      copy.elements.put(element.tag(), element.copy(copy));
    }
    return copy;
  }

  /** Adds an element as read, without copying (the reader builds item trees itself). */
  void put(DataElement element) {
    elements.put(element.tag(), element);
    if (element.tag() == Tags.SPECIFIC_CHARACTER_SET) {
      invalidateCharset();
    }
  }

  void setParent(DataSet parent) {
    this.parent = parent;
    invalidateCharset();
  }

  private void invalidateCharset() {
    charset = null;
    for (DataElement element : elements.values()) {
      for (DataSet item : element.items()) {
        item.invalidateCharset();
      }
    }
  }

  /** Equal when both hold equal elements in the same order (see {@link DataElement#equals}). */
  @Override
  public boolean equals(Object other) {
    return other instanceof DataSet && elements.equals(((DataSet) other).elements);
  }

  @Override
  public int hashCode() {
    return elements.hashCode();
  }

  @Override
  public String toString() {
    return "DataSet(" + elements.size() + " elements)";
  }

  // ---------------------------------------------------------------- helpers

  private static VR dictionaryVr(int tag) {
    VR vr = DicomDictionary.standard().vrOf(tag);
    if (vr == VR.UN) {
      throw new DicomException("the dictionary has no VR for " + Tag.toString(tag)
          + "; use the setter that takes a VR");
    }
    return vr;
  }

  static String keyword(int tag) {
    return DicomDictionary.standard().keyword(tag);
  }

  private static DicomException missing(int tag) {
    return new DicomException("required element " + Tag.toString(tag) + " " + keyword(tag)
        + " is missing or empty");
  }

  static List<String> splitValues(String text, VR vr) {
    if (vr.isText()) {
      return List.of(trimTrailing(text));
    }
    String trimmed = trimTrailing(text);
    if (trimmed.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    int start = 0;
    while (true) {
      int end = trimmed.indexOf('\\', start);
      String value = end < 0 ? trimmed.substring(start) : trimmed.substring(start, end);
      out.add(trimValue(value, vr));
      if (end < 0) {
        return out;
      }
      start = end + 1;
    }
  }

  private static String trimValue(String value, VR vr) {
    String out = trimTrailing(value);
    if (vr.trimsLeadingSpaces()) {
      int i = 0;
      while (i < out.length() && out.charAt(i) == ' ') {
        i++;
      }
      out = out.substring(i);
    }
    return out;
  }

  private static String trimTrailing(String text) {
    int end = text.length();
    while (end > 0 && (text.charAt(end - 1) == ' ' || text.charAt(end - 1) == '\0')) {
      end--;
    }
    return text.substring(0, end);
  }

  private List<String> binaryAsStrings(DataElement element) {
    VR vr = element.vr();
    if (vr == VR.OB || vr == VR.UN) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    if (vr == VR.FL || vr == VR.FD || vr == VR.OF || vr == VR.OD) {
      for (double value : doubles(element.tag())) {
        out.add(vr == VR.FL || vr == VR.OF ? Float.toString((float) value) : Double.toString(value));
      }
    } else if (vr == VR.AT) {
      for (long value : longs(element.tag())) {
        out.add(Tag.toString((int) value));
      }
    } else {
      for (long value : longs(element.tag())) {
        out.add(vr == VR.UV && value < 0 ? Long.toUnsignedString(value) : Long.toString(value));
      }
    }
    return out;
  }

  private static long binaryLong(ByteBuffer buffer, int at, VR vr, int tag) {
    switch (vr) {
      case US:
      case OW:
        return buffer.getShort(at) & 0xFFFFL;
      case SS:
        return buffer.getShort(at);
      case UL:
      case OL:
        return buffer.getInt(at) & 0xFFFFFFFFL;
      case SL:
        return buffer.getInt(at);
      case AT:
        return ((buffer.getShort(at) & 0xFFFFL) << 16) | (buffer.getShort(at + 2) & 0xFFFFL);
      default:
        return buffer.getLong(at);
    }
  }

  private static int toInt(int tag, long value) {
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new DicomException(Tag.toString(tag) + " " + keyword(tag) + " value " + value + " does not fit an int");
    }
    return (int) value;
  }

  private static long parseInteger(int tag, String text) {
    try {
      String t = text.startsWith("+") ? text.substring(1) : text;
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      double value = parseDecimal(tag, text);
      if (value == Math.rint(value) && Math.abs(value) < 9.0e15) {
        return (long) value;
      }
      throw new DicomException(Tag.toString(tag) + " " + keyword(tag) + " value '" + text + "' is not an integer", e);
    }
  }

  private static double parseDecimal(int tag, String text) {
    try {
      double value = Double.parseDouble(text);
      if (Double.isNaN(value) || Double.isInfinite(value) || text.indexOf('x') >= 0 || text.endsWith("d")
          || text.endsWith("f") || text.endsWith("D") || text.endsWith("F")) {
        throw new NumberFormatException(text);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new DicomException(Tag.toString(tag) + " " + keyword(tag) + " value '" + text + "' is not a number", e);
    }
  }

  private static void checkRange(int tag, VR vr, long value) {
    long min;
    long max;
    switch (vr) {
      case US:
      case OW:
        min = 0;
        max = 0xFFFF;
        break;
      case SS:
        min = Short.MIN_VALUE;
        max = Short.MAX_VALUE;
        break;
      case UL:
      case OL:
      case AT:
        min = 0;
        max = 0xFFFFFFFFL;
        break;
      case SL:
        min = Integer.MIN_VALUE;
        max = Integer.MAX_VALUE;
        break;
      case UV:
      case OV:
        min = 0;
        max = Long.MAX_VALUE;
        break;
      default:
        min = Long.MIN_VALUE;
        max = Long.MAX_VALUE;
    }
    if (value < min || value > max) {
      throw outOfRange(tag, vr, value);
    }
  }

  private static DicomException outOfRange(int tag, VR vr, long value) {
    return new DicomException("value " + value + " is out of range for " + Tag.toString(tag) + " " + keyword(tag)
        + " with VR " + vr);
  }

  /** Formats a DS value in at most 16 characters, keeping as many significant digits as fit. */
  static String formatDecimal(int tag, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new DicomException("cannot write " + value + " as DS for " + Tag.toString(tag) + " " + keyword(tag));
    }
    if (value == 0) {
      return "0";
    }
    String plain = new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    if (plain.length() <= 16) {
      return plain;
    }
    for (int digits = 16; digits >= 1; digits--) {
      String candidate = new BigDecimal(value).round(new java.math.MathContext(digits)).stripTrailingZeros()
          .toPlainString();
      if (candidate.length() <= 16) {
        return candidate;
      }
      String scientific = String.format(Locale.ROOT, "%." + (digits - 1) + "E", value);
      if (scientific.length() <= 16) {
        return scientific;
      }
    }
    throw new DicomException("cannot fit " + value + " into 16 characters of DS for " + Tag.toString(tag));
  }
}
