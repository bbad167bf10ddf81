package org.medvision.io.dataset;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits CSV text into records, RFC 4180 style: comma-separated fields; a field that starts with a double quote runs
 * to the matching closing quote and may hold commas, line breaks and doubled quotes ({@code ""} for one quote);
 * line breaks are LF, CRLF or CR. Unquoted fields are trimmed. Lines holding nothing but spaces are skipped.
 */
public final class CsvParser {
  /**
   * One record.
   *
   * @param line the 1-based line it starts on
   * @param fields its fields, unquoted
   */
  public record Record(int line, List<String> fields) {}

  private final String text;
  private final String name;
  private int pos;
  private int line = 1;

  private CsvParser(String text, String name) {
    this.text = text;
    this.name = name;
  }

  /**
   * The records of {@code text}.
   *
   * @param name the file name, for error messages
   * @throws DatasetException for a quote that is never closed or text after a closing quote
   */
  public static List<Record> parse(String text, String name) {
    return new CsvParser(text, name).records();
  }

  private List<Record> records() {
    List<Record> out = new ArrayList<>();
    while (pos < text.length()) {
      int start = line;
      List<String> fields = new ArrayList<>();
      boolean quotedAny = false;
      while (true) {
        if (pos < text.length() && text.charAt(pos) == '"') {
          quotedAny = true;
          fields.add(quoted());
        } else {
          fields.add(unquoted());
        }
        if (pos >= text.length()) {
          break;
        }
        char c = text.charAt(pos);
        if (c == ',') {
          pos++;
          continue;
        }
        endOfLine();
        break;
      }
      if (!quotedAny && fields.size() == 1 && fields.get(0).isEmpty()) {
        continue;
      }
      out.add(new Record(start, fields));
    }
    return out;
  }

  private String unquoted() {
    int from = pos;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == ',' || c == '\n' || c == '\r') {
        break;
      }
      pos++;
    }
    return text.substring(from, pos).trim();
  }

  private String quoted() {
    int opened = line;
    pos++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw new DatasetException(name + " line " + opened + ": quoted field is never closed");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        if (pos < text.length() && text.charAt(pos) == '"') {
          sb.append('"');
          pos++;
          continue;
        }
        break;
      }
      if (c == '\n' || (c == '\r' && (pos >= text.length() || text.charAt(pos) != '\n'))) {
        line++;
      }
      sb.append(c);
    }
    while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
      pos++;
    }
    if (pos < text.length() && ",\r\n".indexOf(text.charAt(pos)) < 0) {
      throw new DatasetException(name + " line " + line + ": unexpected '" + text.charAt(pos)
          + "' after a closing quote; write a quote inside a quoted field as \"\"");
    }
    return sb.toString();
  }

  private void endOfLine() {
    char c = text.charAt(pos++);
    if (c == '\r' && pos < text.length() && text.charAt(pos) == '\n') {
      pos++;
    }
    line++;
  }
}
