package org.medvision.io.dataset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a data-set manifest: a UTF-8 CSV file with a header naming its columns.
 *
 * <p>Columns: {@code path} (required; relative paths are resolved against the manifest's folder), {@code label}
 * (required, non-empty), {@code patient_id} (optional; empty means unknown), {@code split} (optional; {@code train},
 * {@code val}, {@code test}, or empty for "assign later"). Column names are case-insensitive and may come in any
 * order. Quoting follows RFC 4180 ({@code "a, b"}, {@code ""} for a quote). Every data row must have as many fields
 * as the header. Errors name the manifest and the 1-based line; every referenced image is checked up front, so a
 * training run does not fail hours in on a missing file.
 */
public final class Manifest {
  /** The columns a manifest may have, in the order a writer should use. */
  public static final List<String> COLUMNS = List.of("path", "label", "patient_id", "split");

  private static final int MAX_LISTED = 10;

  private Manifest() {}

  /**
   * The rows of {@code csv}, in file order.
   *
   * @throws DatasetException if the file is missing or not UTF-8, the header is missing or has an unknown, duplicate
   *     or missing required column, a row has the wrong number of fields, an empty path or label or an unknown
   *     split, there are no rows, or any referenced image is missing or unreadable (up to ten are listed)
   */
  public static List<Sample> read(Path csv) {
    String text = readText(csv);
    List<CsvParser.Record> records = CsvParser.parse(text, csv.toString());
    if (records.isEmpty()) {
      throw new DatasetException("manifest " + csv + " is empty; it needs a header line such as "
          + String.join(",", COLUMNS));
    }
    CsvParser.Record header = records.get(0);
    Map<String, Integer> column = columns(header, csv);
    Path base = csv.toAbsolutePath().getParent();
    List<Sample> rows = new ArrayList<>();
    for (CsvParser.Record r : records.subList(1, records.size())) {
      rows.add(row(r, header.fields().size(), column, base, csv));
    }
    if (rows.isEmpty()) {
      throw new DatasetException("manifest " + csv + " has a header but no rows");
    }
    checkFiles(rows, csv);
    return rows;
  }

  /**
   * Writes {@code rows} as a manifest with all four {@link #COLUMNS}: paths relative to the manifest's folder when
   * they lie under it (with {@code /} separators), absolute otherwise; fields holding commas, quotes or line breaks
   * are quoted. Source and line of the rows are not written.
   *
   * @throws DatasetException if the file cannot be written
   */
  public static void write(Path csv, List<Sample> rows) {
    Path base = csv.toAbsolutePath().getParent();
    StringBuilder sb = new StringBuilder(String.join(",", COLUMNS)).append('\n');
    for (Sample s : rows) {
      Path p = s.path().toAbsolutePath().normalize();
      String path = p.startsWith(base) ? base.relativize(p).toString().replace('\\', '/') : p.toString();
      sb.append(quote(path)).append(',').append(quote(s.label())).append(',')
          .append(quote(s.patientId() == null ? "" : s.patientId())).append(',')
          .append(s.split() == null ? "" : s.split().id()).append('\n');
    }
    try {
      Files.writeString(csv, sb.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DatasetException("cannot write manifest " + csv + ": " + e.getMessage(), e);
    }
  }

  private static String quote(String field) {
    // Unquoted fields are trimmed on reading, so fields with outer spaces are quoted to survive the round trip.
    boolean plain = field.strip().equals(field)
        && field.chars().noneMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r');
    return plain ? field : '"' + field.replace("\"", "\"\"") + '"';
  }

  private static String readText(Path csv) {
    if (Files.isDirectory(csv)) {
      throw new DatasetException("manifest " + csv + " is a directory; give the CSV file");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(csv);
    } catch (NoSuchFileException e) {
      throw new DatasetException("manifest not found: " + csv, e);
    } catch (IOException e) {
      throw new DatasetException("cannot read manifest " + csv + ": " + e.getMessage(), e);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new DatasetException("manifest " + csv + " is not UTF-8 text", e);
    }
    // Spreadsheet programs often start UTF-8 CSV files with a byte-order mark.
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  private static Map<String, Integer> columns(CsvParser.Record header, Path csv) {
    Map<String, Integer> index = new HashMap<>();
    List<String> fields = header.fields();
    for (int i = 0; i < fields.size(); i++) {
      String name = fields.get(i).trim().toLowerCase(Locale.ROOT);
      if (!COLUMNS.contains(name)) {
        throw new DatasetException(csv + " line " + header.line() + ": unknown column '" + fields.get(i)
            + "'; expected columns: " + String.join(", ", COLUMNS) + " (path and label are required)");
      }
      if (index.putIfAbsent(name, i) != null) {
        throw new DatasetException(csv + " line " + header.line() + ": column '" + name + "' appears twice");
      }
    }
    for (String required : List.of("path", "label")) {
      if (!index.containsKey(required)) {
        throw new DatasetException(csv + " line " + header.line() + ": the header has no '" + required
            + "' column; expected columns: " + String.join(", ", COLUMNS) + " (path and label are required)");
      }
    }
    return index;
  }

  private static Sample row(CsvParser.Record r, int width, Map<String, Integer> column, Path base, Path csv) {
    String where = csv + " line " + r.line();
    List<String> f = r.fields();
    if (f.size() != width) {
      throw new DatasetException(where + ": " + f.size() + " fields, but the header has " + width);
    }
    String pathText = f.get(column.get("path"));
    if (pathText.isEmpty()) {
      throw new DatasetException(where + ": empty path");
    }
    Path path;
    try {
      path = base.resolve(pathText).normalize();
    } catch (InvalidPathException e) {
      throw new DatasetException(where + ": invalid path '" + pathText + "': " + e.getReason(), e);
    }
    String label = f.get(column.get("label"));
    if (label.isEmpty()) {
      throw new DatasetException(where + ": empty label");
    }
    String patient = optional(f, column.get("patient_id"));
    String splitText = optional(f, column.get("split"));
    Split split = splitText == null ? null : Split.parse(splitText, where);
    return new Sample(path, label, patient, split, csv, r.line());
  }

  private static String optional(List<String> fields, Integer index) {
    if (index == null) {
      return null;
    }
    String v = fields.get(index).trim();
    return v.isEmpty() ? null : v;
  }

  private static void checkFiles(List<Sample> rows, Path csv) {
    List<String> bad = new ArrayList<>();
    int count = 0;
    for (Sample s : rows) {
      if (!Files.isRegularFile(s.path()) || !Files.isReadable(s.path())) {
        count++;
        if (bad.size() < MAX_LISTED) {
          bad.add("line " + s.line() + ": " + s.path());
        }
      }
    }
    if (count > 0) {
      throw new DatasetException("manifest " + csv + ": " + count + " of " + rows.size()
          + " rows point at missing or unreadable files: " + String.join("; ", bad)
          + (count > bad.size() ? "; and " + (count - bad.size()) + " more" : ""));
    }
  }
}
