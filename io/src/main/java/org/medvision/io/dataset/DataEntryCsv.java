package org.medvision.io.dataset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads ChestX-ray14's {@code Data_Entry_2017.csv}: one row per image with its findings, patient and acquisition
 * facts.
 *
 * <p>The published header ends in a comma, and its bracketed names are cut apart by the commas inside them
 * ({@code OriginalImage[Width}, {@code Height]}), so a header is its named columns plus any number of empty trailing
 * names, and a row may carry as many trailing empty fields. Column names are matched case-insensitively; columns
 * other than the published ones are kept as they are. {@value ChestXray14#IMAGE_INDEX}, {@value
 * ChestXray14#FINDING_LABELS} and {@value ChestXray14#PATIENT_ID} are required in every row; the patient and the
 * follow-up number must be whole numbers, and an image may appear once.
 */
final class DataEntryCsv {
  /**
   * One row.
   *
   * @param line the 1-based line it starts on
   * @param imageIndex the image file name
   * @param patientId the patient number without leading zeros
   * @param cells every named column's cell, by the header's name, in header order
   */
  record Entry(int line, String imageIndex, String patientId, Map<String, String> cells) {}

  private DataEntryCsv() {}

  /**
   * The rows of {@code csv}, in file order.
   *
   * @throws DatasetException naming the file (and line) when it cannot be read, is not UTF-8, has no header, lacks a
   *     required column, names a column twice or leaves a name empty before the last named one, or a row has the
   *     wrong number of fields, an empty required cell, a patient or follow-up that is no whole number, or an image
   *     that appears twice
   */
  static List<Entry> read(Path csv) {
    List<CsvParser.Record> records = CsvParser.parse(text(csv), csv.toString());
    if (records.isEmpty()) {
      throw new DatasetException(csv + " is empty; it needs the header " + ChestXray14.HEADER);
    }
    List<String> names = header(records.get(0), csv);
    List<Entry> out = new ArrayList<>(records.size() - 1);
    Map<String, Integer> seen = new HashMap<>();
    for (CsvParser.Record r : records.subList(1, records.size())) {
      Entry e = entry(r, names, csv);
      Integer first = seen.putIfAbsent(e.imageIndex(), e.line());
      if (first != null) {
        throw new DatasetException(csv + " line " + e.line() + ": image " + e.imageIndex() + " is already listed on "
            + "line " + first);
      }
      out.add(e);
    }
    if (out.isEmpty()) {
      throw new DatasetException(csv + " has a header but no rows");
    }
    return out;
  }

  private static String text(Path csv) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(csv);
    } catch (NoSuchFileException e) {
      throw new DatasetException(csv + " not found", e);
    } catch (IOException e) {
      throw new DatasetException("cannot read " + csv + ": " + e.getMessage(), e);
    }
    try {
      String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (CharacterCodingException e) {
      throw new DatasetException(csv + " is not UTF-8 text", e);
    }
  }

  /** The named columns with their published spelling where they match one, else as written. */
  private static List<String> header(CsvParser.Record header, Path csv) {
    List<String> fields = new ArrayList<>(header.fields());
    while (!fields.isEmpty() && fields.get(fields.size() - 1).isBlank()) {
      fields.remove(fields.size() - 1);
    }
    String where = csv + " line " + header.line();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      String name = fields.get(i).trim();
      if (name.isEmpty()) {
        throw new DatasetException(where + ": column " + (i + 1) + " of the header has no name; expected "
            + ChestXray14.HEADER);
      }
      String published = ChestXray14.COLUMNS.stream().filter(c -> c.equalsIgnoreCase(name)).findFirst()
          .orElse(name);
      if (names.stream().anyMatch(n -> n.equalsIgnoreCase(published))) {
        throw new DatasetException(where + ": column '" + name + "' appears twice");
      }
      names.add(published);
    }
    for (String required : List.of(ChestXray14.IMAGE_INDEX, ChestXray14.FINDING_LABELS, ChestXray14.PATIENT_ID)) {
      if (!names.contains(required)) {
        throw new DatasetException(where + ": the header has no '" + required + "' column; expected "
            + ChestXray14.HEADER);
      }
    }
    return names;
  }

  private static Entry entry(CsvParser.Record r, List<String> names, Path csv) {
    String where = csv + " line " + r.line();
    List<String> f = r.fields();
    boolean extraEmpty = f.subList(Math.min(f.size(), names.size()), f.size()).stream().allMatch(String::isBlank);
    if (f.size() < names.size() || !extraEmpty) {
      throw new DatasetException(where + ": " + f.size() + " fields, but the header names " + names.size()
          + " columns (" + String.join(",", names) + ")");
    }
    Map<String, String> cells = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      cells.put(names.get(i), f.get(i).trim());
    }
    for (String required : List.of(ChestXray14.IMAGE_INDEX, ChestXray14.FINDING_LABELS, ChestXray14.PATIENT_ID)) {
      if (cells.get(required).isEmpty()) {
        throw new DatasetException(where + ": empty " + required
            + (required.equals(ChestXray14.FINDING_LABELS) ? "; an image without findings says No Finding" : ""));
      }
    }
    String patient = wholeNumber(cells.get(ChestXray14.PATIENT_ID), ChestXray14.PATIENT_ID, where);
    String followUp = cells.get(ChestXray14.FOLLOW_UP);
    if (followUp != null && !followUp.isEmpty()) {
      wholeNumber(followUp, ChestXray14.FOLLOW_UP, where);
    }
    return new Entry(r.line(), cells.get(ChestXray14.IMAGE_INDEX), patient, cells);
  }

  private static String wholeNumber(String cell, String column, String where) {
    if (!cell.matches("[0-9]{1,18}")) {
      throw new DatasetException(where + ": " + column + " '" + cell + "' is not a whole number");
    }
    return Long.toString(Long.parseLong(cell));
  }
}
