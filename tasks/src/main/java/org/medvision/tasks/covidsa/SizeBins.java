package org.medvision.tasks.covidsa;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.ExampleTable;

/**
 * The training rows grouped into (class, size bin) cells for the size-balanced sampler: within each class, the
 * rows with a known attribute value r (the infection ratio) fall into K quantile bins of r; rows without one are kept
 * apart.
 *
 * <p>Bin edges are the class's quantiles at 1/K, ..., (K−1)/K, each by linear interpolation between order statistics
 * (numpy's default {@code percentile}); bin b holds the r with e_b &lt; r ≤ e_{b+1} (e_0 = −∞, e_K = +∞). With K or
 * more distinct values a bin can only be empty when values repeat, which is reported with the largest K that would
 * work. A class with no rows at all has no cells (there is nothing of it to balance).
 *
 * @param attribute the binned attribute
 * @param bins K
 * @param classes class names of the table
 * @param cells row indices of each cell, cell {@code class · K + bin}; null for classes absent from the table
 * @param edges the K − 1 inner edges of each class (null for absent classes)
 * @param unknown rows whose value is NaN or infinite, or whose class is unknown
 */
record SizeBins(String attribute, int bins, List<String> classes, int[][] cells, double[][] edges, int[] unknown) {
  /**
   * Bins {@code rows} by {@code attribute} into {@code bins} quantile bins per class.
   *
   * @throws MedvisionException naming the class (and bin) when a class that has rows has fewer than K distinct known
   *     values, or when a bin holds no row, and suggesting a smaller {@code size_bins}
   */
  static SizeBins of(ExampleTable rows, String attribute, int bins) {
    if (bins < 1) {
      throw new MedvisionException("size_bins must be at least 1, got " + bins);
    }
    List<String> classes = rows.classes();
    List<List<Integer>> known = new ArrayList<>();
    int[] classRows = new int[classes.size()];
    for (int c = 0; c < classes.size(); c++) {
      known.add(new ArrayList<>());
    }
    List<Integer> unknown = new ArrayList<>();
    double[] values = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      int c = rows.label(i);
      values[i] = rows.attribute(i, attribute);
      if (c >= 0 && c < classes.size()) {
        classRows[c]++;
      }
      if (c < 0 || c >= classes.size() || !Double.isFinite(values[i])) {
        unknown.add(i);
      } else {
        known.get(c).add(i);
      }
    }
    int[][] cells = new int[classes.size() * bins][];
    double[][] edges = new double[classes.size()][];
    for (int c = 0; c < classes.size(); c++) {
      if (classRows[c] == 0) {
        continue;
      }
      double[] sorted = known.get(c).stream().mapToDouble(i -> values[i]).sorted().toArray();
      long distinct = Arrays.stream(sorted).distinct().count();
      if (distinct < bins) {
        throw new MedvisionException(String.format(Locale.ROOT, "size-balanced sampling: class '%s' has %d distinct"
            + " %s value(s) among its %d training scans (%d without one), fewer than size_bins = %d; set a smaller"
            + " size_bins%s", classes.get(c), distinct, attribute, classRows[c], classRows[c] - sorted.length, bins,
            distinct > 0 ? " (at most " + distinct + ")" : ", and give the class's scans an infection mask or an "
                + attribute + " column"));
      }
      edges[c] = edges(sorted, bins);
      List<List<Integer>> byBin = new ArrayList<>();
      for (int b = 0; b < bins; b++) {
        byBin.add(new ArrayList<>());
      }
      for (int i : known.get(c)) {
        byBin.get(bin(values[i], edges[c])).add(i);
      }
      for (int b = 0; b < bins; b++) {
        if (byBin.get(b).isEmpty()) {
          throw emptyBin(classes.get(c), b, bins, edges[c], attribute, rows, known);
        }
        cells[c * bins + b] = byBin.get(b).stream().mapToInt(Integer::intValue).toArray();
      }
    }
    return new SizeBins(attribute, bins, List.copyOf(classes), cells, edges,
        unknown.stream().mapToInt(Integer::intValue).toArray());
  }

  /** The non-empty cells' row lists, in (class, bin) order. */
  List<int[]> occupiedCells() {
    List<int[]> out = new ArrayList<>();
    for (int[] cell : cells) {
      if (cell != null) {
        out.add(cell);
      }
    }
    return out;
  }

  /** The cell index (class · K + bin) of row {@code row}, or −1 when it is among the unknown rows. */
  int cellOf(ExampleTable rows, int row) {
    int c = rows.label(row);
    double v = rows.attribute(row, attribute);
    if (c < 0 || c >= classes.size() || !Double.isFinite(v) || edges[c] == null) {
      return -1;
    }
    return c * bins + bin(v, edges[c]);
  }

  /** One line per class: the bins' row counts and edges, for the training notes. */
  List<String> describe() {
    List<String> lines = new ArrayList<>();
    for (int c = 0; c < classes.size(); c++) {
      if (edges[c] == null) {
        continue;
      }
      int[] counts = new int[bins];
      for (int b = 0; b < bins; b++) {
        counts[b] = cells[c * bins + b].length;
      }
      List<String> e = new ArrayList<>();
      for (double x : edges[c]) {
        e.add(String.format(Locale.ROOT, "%.4g", x));
      }
      lines.add("size bins of " + classes.get(c) + ": scans per bin " + Arrays.toString(counts) + ", " + attribute
          + " edges " + e);
    }
    return lines;
  }

  /** The K − 1 inner quantile edges of ascending {@code sorted}. */
  private static double[] edges(double[] sorted, int bins) {
    double[] e = new double[bins - 1];
    for (int j = 1; j < bins; j++) {
      double h = (sorted.length - 1) * (double) j / bins;
      int lo = (int) Math.floor(h);
      int hi = Math.min(lo + 1, sorted.length - 1);
      e[j - 1] = sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
    return e;
  }

  /** The number of edges strictly below {@code v}. */
  private static int bin(double v, double[] edges) {
    int b = 0;
    while (b < edges.length && v > edges[b]) {
      b++;
    }
    return b;
  }

  private static MedvisionException emptyBin(String className, int bin, int bins, double[] edges, String attribute,
      ExampleTable rows, List<List<Integer>> known) {
    String lo = bin == 0 ? "-inf" : String.format(Locale.ROOT, "%.4g", edges[bin - 1]);
    String hi = bin == bins - 1 ? "+inf" : String.format(Locale.ROOT, "%.4g", edges[bin]);
    int fits = largestWorkingBins(rows, attribute, bins, known);
    return new MedvisionException(String.format(Locale.ROOT, "size-balanced sampling: class '%s', size bin %d of %d "
        + "(%s in (%s, %s]) has no training scan, because several scans share the same %s; set a smaller size_bins"
        + "%s", className, bin + 1, bins, attribute, lo, hi, attribute,
        fits > 0 ? " (size_bins = " + fits + " gives every bin a scan)" : ""));
  }

  /** The largest K' below {@code bins} for which no class has an empty bin, or 0. */
  private static int largestWorkingBins(ExampleTable rows, String attribute, int bins,
      List<List<Integer>> known) {
    for (int k = bins - 1; k >= 1; k--) {
      boolean ok = true;
      for (List<Integer> classRows : known) {
        if (classRows.isEmpty()) {
          continue;
        }
        double[] sorted = classRows.stream().mapToDouble(i -> rows.attribute(i, attribute)).sorted().toArray();
        double[] e = edges(sorted, k);
        boolean[] filled = new boolean[k];
        for (double v : sorted) {
          filled[bin(v, e)] = true;
        }
        for (boolean f : filled) {
          ok &= f;
        }
      }
      if (ok) {
        return k;
      }
    }
    return 0;
  }
}
