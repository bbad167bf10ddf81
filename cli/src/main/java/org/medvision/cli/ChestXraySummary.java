package org.medvision.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.medvision.io.dataset.ChestXray14;
import org.medvision.io.synth.cxr.ChestXrayDataset;
import org.medvision.io.synth.cxr.CxrFinding;

/**
 * The lines {@code synth --kind chest-xray} prints about the set it wrote: images per finding, findings per image, the
 * most frequent pairs of findings, the split by patient, time, and where things are.
 */
final class ChestXraySummary {
  /** How many of the most frequent pairs are listed. */
  static final int PAIRS = 8;

  private final ChestXrayDataset.Result result;
  private final String layout;

  ChestXraySummary(ChestXrayDataset.Result result, String layout) {
    this.result = result;
    this.layout = layout;
  }

  void print(PrintStream out) {
    int count = result.cases().size();
    out.println(String.format(Locale.ROOT, "wrote %d chest radiographs (PNG) of %dx%d, %d patients, to %s in %.1f s "
        + "(seed %d)", count, result.size(), result.size(), result.patients(null), result.out(),
        result.elapsedNanos() / 1e9, result.seed()));
    out.println("  images per finding:");
    int[] per = result.perFinding();
    for (CxrFinding f : CxrFinding.values()) {
      out.println(row(f.label(), per[f.ordinal()], count));
    }
    int[] buckets = result.findingsPerImage(4);
    out.println(row(ChestXray14.NO_FINDING, buckets[0], count));
    out.println(String.format(Locale.ROOT, "  findings per image: 1: %d, 2: %d, 3 or more: %d", buckets[1],
        buckets[2], buckets[3]));
    out.println("  most frequent pairs: " + String.join(", ", pairs(result.cooccurrence())));
    long test = result.testImages();
    out.println(String.format(Locale.ROOT, "  split by patient: %s %d images (%d patients), %s %d images (%d "
        + "patients)", ChestXray14.TRAIN_VAL_LIST, count - test, result.patients(false), ChestXray14.TEST_LIST, test,
        result.patients(true)));
    out.println("data entry: " + result.out().resolve(ChestXray14.DATA_ENTRY));
    out.println("images: " + result.out().resolve(layout.equals("flat") ? "images" : "images_0NN/images") + "/");
  }

  private static String row(String label, int n, int count) {
    return String.format(Locale.ROOT, "    %-18s %6d  %5.1f%%", label, n, 100.0 * n / count);
  }

  /** The {@link #PAIRS} most frequent pairs as {@code A+B n}, most frequent first, ties in finding order. */
  private static List<String> pairs(int[][] co) {
    CxrFinding[] all = CxrFinding.values();
    List<int[]> pairs = new ArrayList<>();
    for (int a = 0; a < all.length; a++) {
      for (int b = a + 1; b < all.length; b++) {
        if (co[a][b] > 0) {
          pairs.add(new int[] {a, b, co[a][b]});
        }
      }
    }
    pairs.sort(Comparator.<int[]>comparingInt(p -> -p[2]).thenComparingInt(p -> p[0]).thenComparingInt(p -> p[1]));
    List<String> out = new ArrayList<>();
    for (int[] p : pairs.subList(0, Math.min(PAIRS, pairs.size()))) {
      out.add(all[p[0]].label() + "+" + all[p[1]].label() + " " + p[2]);
    }
    return out.isEmpty() ? List.of("none") : out;
  }
}
