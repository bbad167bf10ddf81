package org.medvision.io.dataset;

import java.util.ArrayList;
import java.util.List;
import org.medvision.api.data.LabelField;

/**
 * Counts of rows per split and class, with a text table for logs. Rows without a split count as unassigned. For
 * multi-label data a row counts once under each label it has, so the classes need not add up to the rows.
 */
public final class ClassBalance {
  private static final String UNASSIGNED = "(none)";

  private final List<String> classes;
  private final int[][] counts; // [split ordinal, or 3 for unassigned][class]
  private final int[] rows; // [split ordinal, or 3 for unassigned]

  private ClassBalance(List<String> classes, int[][] counts, int[] rows) {
    this.classes = classes;
    this.counts = counts;
    this.rows = rows;
  }

  /**
   * Counts {@code rows} by split and by class.
   *
   * @throws DatasetException if a row's label is not one of {@code classes}
   */
  public static ClassBalance of(List<Sample> rows, List<String> classes) {
    int[][] counts = new int[Split.values().length + 1][classes.size()];
    int[] perSplit = new int[Split.values().length + 1];
    for (Sample s : rows) {
      int c = classes.indexOf(s.label());
      if (c < 0) {
        throw new DatasetException(s.where() + ": label '" + s.label() + "' is not one of " + classes);
      }
      counts[slot(s)][c]++;
      perSplit[slot(s)]++;
    }
    return new ClassBalance(List.copyOf(classes), counts, perSplit);
  }

  /**
   * Counts {@code rows} by split and by each label of the multi-label {@code field} they have.
   *
   * @throws DatasetException for a row naming an unknown label
   */
  public static ClassBalance ofLabels(List<Sample> rows, LabelField field) {
    int[][] counts = new int[Split.values().length + 1][field.classes().size()];
    int[] perSplit = new int[Split.values().length + 1];
    for (Sample s : rows) {
      boolean[] present = MultiLabels.positives(s, field, field.column());
      for (int c = 0; c < present.length; c++) {
        counts[slot(s)][c] += present[c] ? 1 : 0;
      }
      perSplit[slot(s)]++;
    }
    return new ClassBalance(field.classes(), counts, perSplit);
  }

  private static int slot(Sample s) {
    return s.split() == null ? Split.values().length : s.split().ordinal();
  }

  /** Rows of {@code label} in {@code split}; a null split counts rows not yet assigned. */
  public int count(Split split, String label) {
    int c = classes.indexOf(label);
    return c < 0 ? 0 : counts[split == null ? Split.values().length : split.ordinal()][c];
  }

  /** Rows in {@code split} (null: unassigned). */
  public int total(Split split) {
    return rows[split == null ? Split.values().length : split.ordinal()];
  }

  /**
   * A table with one row per split (plus {@code (none)} when rows are unassigned, and {@code total}) and one column
   * per class plus {@code total}, right-aligned.
   */
  public String toTable() {
    List<String[]> lines = new ArrayList<>();
    String[] head = new String[classes.size() + 2];
    head[0] = "split";
    for (int c = 0; c < classes.size(); c++) {
      head[c + 1] = classes.get(c);
    }
    head[head.length - 1] = "total";
    lines.add(head);
    int[] columnTotals = new int[classes.size() + 1];
    for (int s = 0; s < counts.length; s++) {
      boolean unassigned = s == Split.values().length;
      int rowTotal = rows[s];
      if (unassigned && rowTotal == 0) {
        continue;
      }
      String[] line = new String[head.length];
      line[0] = unassigned ? UNASSIGNED : Split.values()[s].id();
      for (int c = 0; c < classes.size(); c++) {
        line[c + 1] = Integer.toString(counts[s][c]);
        columnTotals[c] += counts[s][c];
      }
      line[head.length - 1] = Integer.toString(rowTotal);
      columnTotals[classes.size()] += rowTotal;
      lines.add(line);
    }
    String[] total = new String[head.length];
    total[0] = "total";
    for (int c = 0; c <= classes.size(); c++) {
      total[c + 1] = Integer.toString(columnTotals[c]);
    }
    lines.add(total);
    int[] width = new int[head.length];
    for (String[] l : lines) {
      for (int i = 0; i < l.length; i++) {
        width[i] = Math.max(width[i], l[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] l : lines) {
      sb.append(l[0]).append(" ".repeat(width[0] - l[0].length()));
      for (int i = 1; i < l.length; i++) {
        sb.append("  ").append(" ".repeat(width[i] - l[i].length())).append(l[i]);
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
