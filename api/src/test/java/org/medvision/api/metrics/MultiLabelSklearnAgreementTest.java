package org.medvision.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compares {@link MultiLabelSuite} with scikit-learn 1.2 through {@link PythonReference}: per-label, macro and micro
 * AUROC, average precision, F1 at the fixed threshold, the F1-maximising threshold (searched over the thresholds of
 * {@code precision_recall_curve}) with its precision and recall, the co-occurrence counts, and the bootstrap intervals
 * (the same resamples replayed in numpy, percentiles by {@code numpy.percentile}).
 *
 * <p>Cases: continuous probabilities, and tie-heavy ones on a coarse grid that the threshold lies on (so {@code >=}
 * matters); each has a label that is never present, one that is always present and one with a single positive.
 */
class MultiLabelSklearnAgreementTest {
  // Both sides compute in double from the same float32 values; they differ only in summation order.
  private static final double TOL = 1e-9;
  private static final List<String> LABELS = List.of("a", "b", "never", "always", "lone", "coarse");
  private static final int PER_LABEL = 8;

  private static final String METRICS = String.join("\n",
      "import sys, warnings, numpy as np",
      "from fractions import Fraction",
      "from sklearn.metrics import (roc_auc_score, average_precision_score, f1_score, precision_score,",
      "    recall_score, precision_recall_curve)",
      "warnings.simplefilter('ignore')",
      "a = sys.argv[1:]",
      "for c in range(0, len(a), 6):",
      "    n, k, t = int(a[c]), int(a[c + 1]), float(a[c + 2])",
      "    Y = np.fromfile(a[c + 3], '<f8').reshape(n, k).astype(int)",
      "    P = np.fromfile(a[c + 4], '<f8').reshape(n, k)",
      "    H = (P >= t).astype(int)",
      "    out = []",
      "    for j in range(k):",
      "        y, p = Y[:, j], P[:, j]",
      "        auc = roc_auc_score(y, p) if 0 < y.sum() < n else np.nan",
      "        ap = average_precision_score(y, p) if y.sum() > 0 else np.nan",
      "        f1 = f1_score(y, H[:, j], zero_division=0) if y.sum() > 0 else np.nan",
      "        best = [np.nan] * 5",
      "        if y.sum() > 0:",
      "            prec, rec, thr = precision_recall_curve(y, p)",
      "            with np.errstate(invalid='ignore', divide='ignore'):",
      "                curve = np.nan_to_num(2 * prec * rec / (prec + rec))",
      "            def exact(th):",
      "                h = p >= th",
      "                tp = int((h & (y == 1)).sum()); fp = int((h & (y == 0)).sum()); fn = int(y.sum()) - tp",
      "                return Fraction(2 * tp, 2 * tp + fp + fn)",
      "            scored = [(exact(th), th) for th in thr]",
      "            top = max(s for s, _ in scored)",
      "            th = max(x for s, x in scored if s == top)",
      "            h = (p >= th).astype(int)",
      "            best = [f1_score(y, h), th, precision_score(y, h), recall_score(y, h), curve.max()]",
      "        out += [auc, ap, f1] + best",
      "    both = [j for j in range(k) if 0 < Y[:, j].sum() < n]",
      "    anypos = [j for j in range(k) if Y[:, j].sum() > 0]",
      "    out += [roc_auc_score(Y[:, both], P[:, both], average='macro'), roc_auc_score(Y, P, average='micro'),",
      "        average_precision_score(Y[:, anypos], P[:, anypos], average='macro'),",
      "        f1_score(Y[:, anypos], H[:, anypos], average='macro', zero_division=0)]",
      "    out += list((Y.T @ Y).ravel())",
      "    np.asarray(out, '<f8').tofile(a[c + 5])");

  /** Per resample the AUROC of each label (NaN with one class) and the mean over the labels defined on all data. */
  private static final String BOOTSTRAP = String.join("\n",
      "import sys, warnings, numpy as np",
      "from sklearn.metrics import roc_auc_score",
      "warnings.simplefilter('ignore')",
      "n, k, r = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])",
      "Y = np.fromfile(sys.argv[4], '<f8').reshape(n, k).astype(int)",
      "P = np.fromfile(sys.argv[5], '<f8').reshape(n, k)",
      "I = np.fromfile(sys.argv[6], '<f8').reshape(r, n).astype(int)",
      "def aucs(y, p):",
      "    return np.array([roc_auc_score(y[:, j], p[:, j]) if 0 < y[:, j].sum() < len(y) else np.nan",
      "        for j in range(k)])",
      "full = aucs(Y, P)",
      "used = ~np.isnan(full)",
      "values = []",
      "for idx in I:",
      "    v = aucs(Y[idx], P[idx])",
      "    mean = np.nan if np.isnan(v[used]).any() else v[used].mean()",
      "    values.append([mean] + list(v))",
      "values = np.array(values)",
      "out = [np.nanmean(full[used])] + list(full)",
      "for col in values.T:",
      "    d = col[~np.isnan(col)]",
      "    lo, hi = np.percentile(d, [2.5, 97.5]) if len(d) else (np.nan, np.nan)",
      "    out += [lo, hi, r - len(d)]",
      "np.asarray(out, '<f8').tofile(sys.argv[7])");

  @TempDir
  Path dir;

  /** Case c: continuous scores (even c) or a 0.1 grid with ties (odd c); the coarse label on a 0.25 grid always. */
  private static Object[] data(int c, int n) {
    SplittableRandom random = new SplittableRandom(300 + c);
    int k = LABELS.size();
    boolean[][] truth = new boolean[n][k];
    float[][] p = new float[n][k];
    int lone = random.nextInt(n);
    for (int i = 0; i < n; i++) {
      truth[i][0] = random.nextDouble() < 0.3;
      truth[i][1] = random.nextDouble() < 0.5;
      truth[i][2] = false;
      truth[i][3] = true;
      truth[i][4] = i == lone;
      truth[i][5] = random.nextDouble() < 0.4;
      for (int j = 0; j < k; j++) {
        double raw = 0.75 * random.nextDouble() + (truth[i][j] ? 0.25 : 0);
        p[i][j] = (float) (c % 2 == 1 ? Math.round(10 * raw) / 10.0 : raw);
      }
      p[i][5] = (float) (Math.round(4 * (0.6 * random.nextDouble() + (truth[i][5] ? 0.4 : 0))) / 4.0);
    }
    return new Object[] {truth, p};
  }

  private static double[] flat(boolean[][] truth) {
    int k = truth[0].length;
    double[] out = new double[truth.length * k];
    for (int i = 0; i < truth.length; i++) {
      for (int j = 0; j < k; j++) {
        out[i * k + j] = truth[i][j] ? 1 : 0;
      }
    }
    return out;
  }

  @Test
  void everyNumberAgreesWithScikitLearn() {
    PythonReference.requireModules("numpy", "sklearn");
    int k = LABELS.size();
    int[] sizes = {120, 257, 40, 500};
    float[] thresholds = {0.5f, 0.5f, 0.3f, 0.4f};
    List<String> args = new ArrayList<>();
    List<MetricResult> ours = new ArrayList<>();
    for (int c = 0; c < sizes.length; c++) {
      Object[] d = data(c, sizes[c]);
      boolean[][] truth = (boolean[][]) d[0];
      float[][] p = (float[][]) d[1];
      ours.add(MultiLabelSuiteTest.fed(LABELS, truth, p, thresholds[c]).result(1, 0));
      Path y = dir.resolve("y" + c);
      Path s = dir.resolve("p" + c);
      PythonReference.write(y, flat(truth));
      PythonReference.write(s, p);
      args.addAll(List.of(Integer.toString(sizes[c]), Integer.toString(k), Double.toString(thresholds[c]),
          y.toString(), s.toString(), dir.resolve("out" + c).toString()));
    }
    PythonReference.run(METRICS, args.toArray(new String[0]));
    double worst = 0;
    for (int c = 0; c < sizes.length; c++) {
      double[] ref = PythonReference.read(dir.resolve("out" + c));
      MetricResult r = ours.get(c);
      @SuppressWarnings("unchecked")
      Map<String, Map<String, Object>> points = (Map<String, Map<String, Object>>) ((Map<String, Object>) r.details())
          .get("operatingPoints");
      @SuppressWarnings("unchecked")
      Map<String, Map<String, Object>> scores = (Map<String, Map<String, Object>>) ((Map<String, Object>) r.details())
          .get("perLabel");
      for (int j = 0; j < k; j++) {
        String label = LABELS.get(j);
        String at = "case " + c + " label " + label;
        int o = j * PER_LABEL;
        worst = Math.max(worst, check(ref[o], r.scalar("auroc_" + label), at + " AUROC"));
        worst = Math.max(worst, check(ref[o + 1], number(scores.get(label).get("averagePrecision")), at + " AP"));
        Map<String, Object> point = points.get(label);
        @SuppressWarnings("unchecked")
        Map<String, Object> fixed = (Map<String, Object>) point.get("atThreshold");
        if (!Double.isNaN(ref[o + 2])) {
          worst = Math.max(worst, check(ref[o + 2], (double) fixed.get("f1"), at + " F1 at threshold"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> best = (Map<String, Object>) point.get("bestF1");
        if (Double.isNaN(ref[o + 3])) {
          assertEquals(null, best, at + ": no positive, no best F1");
          continue;
        }
        worst = Math.max(worst, check(ref[o + 3], (double) best.get("f1"), at + " best F1"));
        assertEquals(ref[o + 4], (double) best.get("threshold"), 0.0, at + " best-F1 threshold");
        worst = Math.max(worst, check(ref[o + 5], (double) best.get("precision"), at + " precision at best"));
        worst = Math.max(worst, check(ref[o + 6], (double) best.get("sensitivity"), at + " recall at best"));
        worst = Math.max(worst, check(ref[o + 7], (double) best.get("f1"), at + " max F1 of the PR curve"));
      }
      int o = k * PER_LABEL;
      worst = Math.max(worst, check(ref[o], r.scalar("mean_auroc"), "case " + c + " mean AUROC"));
      worst = Math.max(worst, check(ref[o + 1], r.scalar("micro_auroc"), "case " + c + " micro AUROC"));
      worst = Math.max(worst, check(ref[o + 2], r.scalar("macro_ap"), "case " + c + " macro AP"));
      worst = Math.max(worst, check(ref[o + 3], r.scalar("macro_f1"), "case " + c + " macro F1"));
      @SuppressWarnings("unchecked")
      List<List<Long>> pairs = (List<List<Long>>) ((Map<String, Object>) ((Map<String, Object>) r.details())
          .get("cooccurrence")).get("counts");
      for (int a = 0; a < k; a++) {
        for (int b = 0; b < k; b++) {
          assertEquals(ref[o + 4 + a * k + b], pairs.get(a).get(b), 0.0, "case " + c + " pair " + a + "," + b);
        }
      }
    }
    System.out.printf("scikit-learn multi-label suite: max |difference| %.3g over %d cases%n", worst, sizes.length);
  }

  @Test
  void bootstrapIntervalsAgreeWithTheSameResamplesInNumpy() {
    PythonReference.requireModules("numpy", "sklearn");
    int n = 90;
    int rounds = 300;
    long seed = 21;
    int k = LABELS.size();
    Object[] d = data(1, n);
    boolean[][] truth = (boolean[][]) d[0];
    float[][] p = (float[][]) d[1];
    MetricResult r = MultiLabelSuiteTest.fed(LABELS, truth, p, 0.5f).result(seed, rounds);
    // Bootstrap's documented draw: one SplittableRandom(seed), N indices per resample, in order.
    SplittableRandom random = new SplittableRandom(seed);
    double[] indices = new double[rounds * n];
    for (int i = 0; i < indices.length; i++) {
      indices[i] = random.nextInt(n);
    }
    Path y = dir.resolve("y");
    Path s = dir.resolve("p");
    Path idx = dir.resolve("i");
    Path out = dir.resolve("out");
    PythonReference.write(y, flat(truth));
    PythonReference.write(s, p);
    PythonReference.write(idx, indices);
    PythonReference.run(BOOTSTRAP, Integer.toString(n), Integer.toString(k), Integer.toString(rounds), y.toString(),
        s.toString(), idx.toString(), out.toString());
    double[] ref = PythonReference.read(out);
    List<String> keys = new ArrayList<>(List.of("mean_auroc"));
    LABELS.forEach(l -> keys.add("auroc_" + l));
    double worst = 0;
    for (int j = 0; j <= k; j++) {
      String key = keys.get(j);
      ConfidenceInterval ci = r.intervals().get(key);
      worst = Math.max(worst, check(ref[j], ci.estimate(), key + " estimate"));
      int o = k + 1 + 3 * j;
      worst = Math.max(worst, check(ref[o], ci.lower(), key + " lower"));
      worst = Math.max(worst, check(ref[o + 1], ci.upper(), key + " upper"));
      assertEquals(ref[o + 2], ci.undefinedResamples(), 0.0, key + " undefined resamples");
    }
    ConfidenceInterval lone = r.intervals().get("auroc_lone");
    assertTrue(lone.undefinedResamples() > 0 && lone.undefinedResamples() < rounds, lone.toString());
    assertEquals(lone.undefinedResamples(), r.intervals().get("mean_auroc").undefinedResamples(),
        "the mean is undefined exactly where its single-positive label is");
    System.out.printf("numpy bootstrap of the multi-label AUROCs: max |difference| %.3g%n", worst);
  }

  private static double number(Object boxed) {
    return boxed == null ? Double.NaN : (Double) boxed;
  }

  /** Asserts agreement within {@link #TOL} (both NaN counts as agreement) and returns |difference|. */
  private static double check(double expected, double actual, String what) {
    if (Double.isNaN(expected) || Double.isNaN(actual)) {
      assertEquals(expected, actual, what + " (NaN on one side only)");
      return 0;
    }
    assertEquals(expected, actual, TOL, what);
    return Math.abs(expected - actual);
  }
}
