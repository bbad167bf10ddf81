package org.medvision.api.metrics;

import java.util.List;

/**
 * A table for a report: a title, a header row and data rows of display strings, and a note under it.
 *
 * @param title the table's heading
 * @param header column names
 * @param rows data rows, each as long as the header
 * @param note a sentence saying how the numbers were computed, or empty
 */
public record ReportTable(String title, List<String> header, List<List<String>> rows, String note) {
  /** Checks row widths and copies. */
  public ReportTable {
    header = List.copyOf(header);
    rows = rows.stream().map(List::copyOf).toList();
    for (List<String> r : rows) {
      if (r.size() != header.size()) {
        throw new IllegalArgumentException("table '" + title + "': row " + r + " has " + r.size() + " cells for "
            + header.size() + " columns");
      }
    }
    note = note == null ? "" : note;
  }
}
