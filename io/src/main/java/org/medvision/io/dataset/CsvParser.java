package org.medvision.io.dataset;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

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
    CsvParser parser = new CsvParser(text, name);
    List<Record> out = new ArrayList<>();
    for (Record r = parser.nextRecord(); r != null; r = parser.nextRecord()) {
      out.add(r);
    }
    return out;
  }

  /**
   * The records of {@code text}, parsed as they are asked for, so that a file of millions of rows is held as its text
   * only; a syntax error is thrown when the iteration reaches it.
   *
   * @param name the file name, for error messages
   */
  public static Iterator<Record> iterate(String text, String name) {
    CsvParser parser = new CsvParser(text, name);
    return new Iterator<>() {
      private Record next = parser.nextRecord();

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Record next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        Record r = next;
        next = parser.nextRecord();
        return r;
      }
    };
  }

  /** The next record, or null at the end of the text. */
  private Record nextRecord() {
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
      return new Record(start, fields);
    }
    return null;
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
