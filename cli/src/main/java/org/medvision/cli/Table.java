package org.medvision.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table with a header row; numeric-looking cells are right-aligned. */
final class Table {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  Table(String... header) {
    this.header = List.of(header);
  }

  Table row(Object... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException("row has " + cells.length + " cells, header has " + header.size());
    }
    List<String> r = new ArrayList<>();
    for (Object c : cells) {
      r.add(String.valueOf(c));
    }
    rows.add(r);
    return this;
  }

  void print(PrintStream out) {
    int[] width = new int[header.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = header.get(i).length();
      for (List<String> r : rows) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    out.println(line(header, width, false));
    for (List<String> r : rows) {
      out.println(line(r, width, true));
    }
  }

  private static String line(List<String> cells, int[] width, boolean align) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      String pad = " ".repeat(width[i] - c.length());
      if (i > 0) {
        sb.append("  ");
      }
      sb.append(align && numeric(c) ? pad + c : c + (i == cells.size() - 1 ? "" : pad));
    }
    return sb.toString().stripTrailing();
  }

  private static boolean numeric(String s) {
    return !s.isEmpty() && s.matches("[-+0-9.,%]+( ?[a-zA-Z/%]{0,3})?");
  }
}
