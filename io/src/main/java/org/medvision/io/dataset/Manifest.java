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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a data-set manifest: a UTF-8 CSV file with a header naming its columns, the columns a task's data schema
 * declares (see {@link Columns#of}), plus the optional {@code patient_id} and {@code split}.
 *
 * <p>Column names are case-insensitive and may come in any order. Quoting follows RFC 4180 ({@code "a, b"},
 * {@code ""} for a quote). Every data row must have as many fields as the header. Paths are resolved against the
 * manifest's folder; a path column (a folder or a file, such as a bag of images) may also list several files separated
 * by {@code ;}, each resolved and checked on its own. Errors name the manifest and the 1-based line; every referenced
 * file is checked up front, so a
 * training run does not fail hours in on a missing file. A column the schema does not read is an error (a misspelt
 * column would otherwise be silently ignored).
 */
public final class Manifest {
  private static final int MAX_LISTED = 10;

  private Manifest() {}

  /**
   * The rows of {@code csv}, in file order, with the stratification label left unset.
   *
   * @throws DatasetException if the file is missing or not UTF-8, the header is missing or has an unknown, duplicate
   *     or missing required column, a row has the wrong number of fields, an empty required cell or an unknown
   *     split, there are no rows, or any referenced file is missing (up to ten are listed)
   */
  public static List<Sample> read(Path csv, List<Columns.Column> columns) {
    String text = readText(csv);
    List<CsvParser.Record> records = CsvParser.parse(text, csv.toString());
    String expected = columns.stream().map(c -> c.name() + (c.required() ? "" : " (optional)"))
        .collect(Collectors.joining(", "));
    if (records.isEmpty()) {
      throw new DatasetException("manifest " + csv + " is empty; it needs a header line naming its columns: "
          + expected);
    }
    CsvParser.Record header = records.get(0);
    Map<String, Integer> index = columns(header, csv, columns, expected);
    Path base = csv.toAbsolutePath().getParent();
    String idColumn = Columns.idColumn(columns);
    List<Sample> rows = new ArrayList<>();
    for (CsvParser.Record r : records.subList(1, records.size())) {
      rows.add(row(r, header.fields().size(), index, columns, idColumn, base, csv));
    }
    if (rows.isEmpty()) {
      throw new DatasetException("manifest " + csv + " has a header but no rows");
    }
    checkFiles(rows, columns, csv);
    return rows;
  }

  /**
   * Writes a manifest: a header of {@code columns} and one line per row (absent cells empty); paths under the
   * manifest's folder are written relative to it with {@code /} separators when {@code relativize} names their
   * column. Fields holding commas, quotes, line breaks or outer spaces are quoted.
   *
   * @throws DatasetException if the file cannot be written
   */
  public static void write(Path csv, List<String> columns, List<Map<String, String>> rows, List<String> relativize) {
    Path base = csv.toAbsolutePath().getParent();
    StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
    for (Map<String, String> row : rows) {
      List<String> cells = new ArrayList<>();
      for (String c : columns) {
        String v = row.getOrDefault(c, "");
        if (relativize.contains(c) && !v.isEmpty()) {
          Path p = Path.of(v).toAbsolutePath().normalize();
          v = p.startsWith(base) ? base.relativize(p).toString().replace('\\', '/') : p.toString();
        }
        cells.add(quote(v));
      }
      sb.append(String.join(",", cells)).append('\n');
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

  private static Map<String, Integer> columns(CsvParser.Record header, Path csv, List<Columns.Column> columns,
      String expected) {
    Map<String, Integer> index = new HashMap<>();
    List<String> fields = header.fields();
    for (int i = 0; i < fields.size(); i++) {
      String name = fields.get(i).trim().toLowerCase(Locale.ROOT);
      if (columns.stream().noneMatch(c -> c.name().equals(name))) {
        throw new DatasetException(csv + " line " + header.line() + ": unknown column '" + fields.get(i)
            + "'; expected columns: " + expected);
      }
      if (index.putIfAbsent(name, i) != null) {
        throw new DatasetException(csv + " line " + header.line() + ": column '" + name + "' appears twice");
      }
    }
    for (Columns.Column c : columns) {
      if (c.required() && !index.containsKey(c.name())) {
        throw new DatasetException(csv + " line " + header.line() + ": the header has no '" + c.name()
            + "' column; expected columns: " + expected);
      }
    }
    return index;
  }

  private static Sample row(CsvParser.Record r, int width, Map<String, Integer> index, List<Columns.Column> columns,
      String idColumn, Path base, Path csv) {
    String where = csv + " line " + r.line();
    List<String> f = r.fields();
    if (f.size() != width) {
      throw new DatasetException(where + ": " + f.size() + " fields, but the header has " + width);
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Columns.Column c : columns) {
      Integer i = index.get(c.name());
      String cell = i == null ? "" : f.get(i).trim();
      if (cell.isEmpty()) {
        if (c.required()) {
          throw new DatasetException(where + ": empty " + c.name());
        }
        continue;
      }
      if (c.kind() != Columns.Kind.VALUE) {
        try {
          cell = resolve(base, cell, c.kind());
        } catch (InvalidPathException e) {
          throw new DatasetException(where + ": invalid path '" + cell + "' in column " + c.name() + ": "
              + e.getReason(), e);
        }
      }
      values.put(c.name(), cell);
    }
    String patient = values.remove(Columns.PATIENT);
    String splitText = values.remove(Columns.SPLIT);
    Split split = splitText == null ? null : Split.parse(splitText, where);
    String id = values.get(idColumn);
    if (id == null) {
      throw new DatasetException(where + ": empty " + idColumn + "; it identifies the example");
    }
    return new Sample(id, values, null, patient, split, csv, r.line());
  }

  /** The cell's path resolved against {@code base}; each part of a {@code ;}-separated list in a path column. */
  private static String resolve(Path base, String cell, Columns.Kind kind) {
    if (kind != Columns.Kind.PATH || cell.indexOf(';') < 0) {
      return base.resolve(cell).normalize().toString();
    }
    List<String> parts = new ArrayList<>();
    for (String part : cell.split(";")) {
      if (!part.isBlank()) {
        parts.add(base.resolve(part.trim()).normalize().toString());
      }
    }
    return String.join(";", parts);
  }

  private static void checkFiles(List<Sample> rows, List<Columns.Column> columns, Path csv) {
    List<String> bad = new ArrayList<>();
    int count = 0;
    for (Sample s : rows) {
      for (Columns.Column c : columns) {
        String v = s.value(c.name());
        if (v == null || c.kind() == Columns.Kind.VALUE) {
          continue;
        }
        boolean list = c.kind() == Columns.Kind.PATH && v.indexOf(';') >= 0;
        for (String part : list ? v.split(";") : new String[] {v}) {
          Path p = Path.of(part);
          boolean ok = c.kind() == Columns.Kind.PATH && !list ? Files.exists(p) && Files.isReadable(p)
              : Files.isRegularFile(p) && Files.isReadable(p);
          if (!ok) {
            count++;
            if (bad.size() < MAX_LISTED) {
              bad.add("line " + s.line() + " " + c.name() + ": " + p);
            }
          }
        }
      }
    }
    if (count > 0) {
      throw new DatasetException("manifest " + csv + ": " + count + " referenced file(s) are missing or unreadable: "
          + String.join("; ", bad) + (count > bad.size() ? "; and " + (count - bad.size()) + " more" : ""));
    }
  }
}
