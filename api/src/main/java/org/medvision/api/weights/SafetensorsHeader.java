package org.medvision.api.weights;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.medvision.api.MedvisionException;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;

/**
 * The parsed JSON header of a safetensors file: one entry per tensor plus the {@code __metadata__} strings.
 *
 * <p>Parsing is strict JSON read token by token, so a duplicated tensor name is seen (a tree parser would keep only
 * the last one). Every entry is checked on its own ({@link #parse}) and then the entries together against the size
 * of the data region ({@link #checkLayout}): the format requires the tensors to tile the data region exactly.
 */
final class SafetensorsHeader {
  /** The reserved key for free-form string metadata. */
  static final String METADATA_KEY = "__metadata__";

  private static final Pattern NON_NEGATIVE_INTEGER = Pattern.compile("0|[1-9][0-9]*");

  /**
   * One tensor's header entry.
   *
   * @param name tensor name
   * @param dtype element type
   * @param shape dimensions
   * @param begin first byte, relative to the data region
   * @param end one past the last byte, relative to the data region
   */
  record Entry(String name, DType dtype, Shape shape, long begin, long end) {
    long byteLength() {
      return end - begin;
    }
  }

  private final List<Entry> entries;
  private final Map<String, String> metadata;

  private SafetensorsHeader(List<Entry> entries, Map<String, String> metadata) {
    this.entries = entries;
    this.metadata = metadata;
  }

  /** Entries in header order. */
  List<Entry> entries() {
    return entries;
  }

  /** The {@code __metadata__} strings, empty when the header has none. */
  Map<String, String> metadata() {
    return metadata;
  }

  /** Entries ordered by where their data starts, the order the file stores them in. */
  List<Entry> entriesInDataOrder() {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    return sorted;
  }

  /**
   * Parses and checks a header.
   *
   * @param json the header text
   * @param source the file, for messages
   * @throws WeightsFormatException naming the file and the tensor for any malformed entry or duplicate name
   */
  static SafetensorsHeader parse(String json, String source) {
    List<Entry> entries = new ArrayList<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    Map<String, Boolean> seen = new LinkedHashMap<>();
    String current = null;
    try (JsonReader reader = new JsonReader(new StringReader(json))) {
      reader.setStrictness(Strictness.STRICT);
      if (reader.peek() != JsonToken.BEGIN_OBJECT) {
        throw new WeightsFormatException(source, null, "header is not a JSON object (starts with " + reader.peek()
            + ")");
      }
      reader.beginObject();
      while (reader.hasNext()) {
        current = reader.nextName();
        if (seen.put(current, Boolean.TRUE) != null) {
          throw new WeightsFormatException(source, current, "the name appears more than once in the header");
        }
        if (METADATA_KEY.equals(current)) {
          readMetadata(reader, source, metadata);
        } else {
          entries.add(readEntry(reader, source, current));
        }
        current = null;
      }
      reader.endObject();
      checkNothingFollows(reader, source);
    } catch (IOException | IllegalStateException | NumberFormatException e) {
      // Gson reports malformed JSON as MalformedJsonException (an IOException) or IllegalStateException.
      throw new WeightsFormatException(source, current, "header is not valid JSON: " + e.getMessage(), e);
    }
    return new SafetensorsHeader(List.copyOf(entries), metadata);
  }

  private static void checkNothingFollows(JsonReader reader, String source) {
    boolean clean;
    try {
      clean = reader.peek() == JsonToken.END_DOCUMENT;
    } catch (IOException e) {
      // Strict mode refuses a second top-level value outright; either way something follows the object.
      clean = false;
    }
    if (!clean) {
      throw new WeightsFormatException(source, null, "header has data after its closing brace");
    }
  }

  private static void readMetadata(JsonReader reader, String source, Map<String, String> metadata)
      throws IOException {
    if (reader.peek() != JsonToken.BEGIN_OBJECT) {
      throw new WeightsFormatException(source, null, METADATA_KEY + " must be an object of strings, got "
          + reader.peek());
    }
    reader.beginObject();
    while (reader.hasNext()) {
      String key = reader.nextName();
      if (reader.peek() != JsonToken.STRING) {
        throw new WeightsFormatException(source, null, METADATA_KEY + " value for '" + key
            + "' must be a string, got " + reader.peek());
      }
      if (metadata.put(key, reader.nextString()) != null) {
        throw new WeightsFormatException(source, null, METADATA_KEY + " key '" + key + "' appears more than once");
      }
    }
    reader.endObject();
  }

  private static Entry readEntry(JsonReader reader, String source, String name) throws IOException {
    if (reader.peek() != JsonToken.BEGIN_OBJECT) {
      throw new WeightsFormatException(source, name, "header entry must be an object, got " + reader.peek());
    }
    String dtypeCode = null;
    long[] dims = null;
    long[] offsets = null;
    reader.beginObject();
    while (reader.hasNext()) {
      String field = reader.nextName();
      switch (field) {
        case "dtype":
          if (dtypeCode != null || reader.peek() != JsonToken.STRING) {
            throw new WeightsFormatException(source, name, "'dtype' must appear once, as a string");
          }
          dtypeCode = reader.nextString();
          break;
        case "shape":
          if (dims != null) {
            throw new WeightsFormatException(source, name, "'shape' appears more than once");
          }
          dims = readNonNegativeInts(reader, source, name, "shape");
          break;
        case "data_offsets":
          if (offsets != null) {
            throw new WeightsFormatException(source, name, "'data_offsets' appears more than once");
          }
          offsets = readNonNegativeInts(reader, source, name, "data_offsets");
          break;
        default:
          // Fields we do not know carry nothing we need; skipping them keeps newer writers readable.
          reader.skipValue();
          break;
      }
    }
    reader.endObject();
    if (dtypeCode == null || dims == null || offsets == null) {
      throw new WeightsFormatException(source, name, "header entry needs 'dtype', 'shape' and 'data_offsets'");
    }
    DType dtype;
    try {
      dtype = DType.fromSafetensorsCode(dtypeCode);
    } catch (MedvisionException e) {
      throw new WeightsFormatException(source, name, e.getMessage(), e);
    }
    if (offsets.length != 2 || offsets[0] > offsets[1]) {
      throw new WeightsFormatException(source, name, "data_offsets must be [begin, end] with begin <= end, got "
          + java.util.Arrays.toString(offsets));
    }
    Shape shape = Shape.of(dims);
    long expected;
    try {
      expected = Math.multiplyExact(shape.size(), (long) dtype.byteSize());
    } catch (ArithmeticException e) {
      throw new WeightsFormatException(source, name, "shape " + shape + " has too many elements", e);
    }
    long actual = offsets[1] - offsets[0];
    if (actual != expected) {
      throw new WeightsFormatException(source, name, "data_offsets [" + offsets[0] + ", " + offsets[1] + "] hold "
          + actual + " bytes but " + dtype.safetensorsCode() + " " + shape + " needs " + expected);
    }
    return new Entry(name, dtype, shape, offsets[0], offsets[1]);
  }

  private static long[] readNonNegativeInts(JsonReader reader, String source, String name, String field)
      throws IOException {
    if (reader.peek() != JsonToken.BEGIN_ARRAY) {
      throw new WeightsFormatException(source, name, "'" + field + "' must be a list of non-negative integers, got "
          + reader.peek());
    }
    List<Long> values = new ArrayList<>();
    reader.beginArray();
    while (reader.hasNext()) {
      if (reader.peek() != JsonToken.NUMBER) {
        throw new WeightsFormatException(source, name, "'" + field
            + "' must be a list of non-negative integers, found " + reader.peek());
      }
      String token = reader.nextString();
      if (!NON_NEGATIVE_INTEGER.matcher(token).matches()) {
        throw new WeightsFormatException(source, name, "'" + field
            + "' must be a list of non-negative integers, found " + token);
      }
      try {
        values.add(Long.parseLong(token));
      } catch (NumberFormatException e) {
        throw new WeightsFormatException(source, name, "'" + field + "' value " + token + " is too large", e);
      }
    }
    reader.endArray();
    return values.stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * Checks that the entries tile the data region {@code [0, dataLength)} exactly: no tensor runs past its end, none
   * overlap, and no byte is left over.
   *
   * @throws WeightsFormatException naming the file and the tensor(s) at fault
   */
  void checkLayout(long dataLength, String source) {
    for (Entry e : entries) {
      if (e.end() > dataLength) {
        throw new WeightsFormatException(source, e.name(), "data_offsets [" + e.begin() + ", " + e.end()
            + "] run past the end of the data region (" + dataLength + " bytes); the file is truncated or the"
            + " offsets are wrong");
      }
    }
    long covered = 0;
    Entry previous = null;
    for (Entry e : entriesInDataOrder()) {
      if (e.begin() < covered) {
        throw new WeightsFormatException(source, e.name(), "data_offsets [" + e.begin() + ", " + e.end()
            + "] overlap tensor '" + previous.name() + "' [" + previous.begin() + ", " + previous.end() + "]");
      }
      if (e.begin() > covered) {
        throw new WeightsFormatException(source, e.name(), "bytes [" + covered + ", " + e.begin()
            + ") of the data region before this tensor belong to no tensor; the format allows no gaps");
      }
      covered = e.end();
      previous = e;
    }
    if (covered != dataLength) {
      throw new WeightsFormatException(source, previous == null ? null : previous.name(), "the data region has "
          + dataLength + " bytes but the tensors cover only " + covered + "; the format allows no trailing bytes");
    }
  }
}
