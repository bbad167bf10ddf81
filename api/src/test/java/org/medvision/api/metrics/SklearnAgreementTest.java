package org.medvision.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compares the ranking and averaging metrics with scikit-learn on seeded random data, computed at test time by
 * {@link PythonReference}. The data has tied scores (probabilities on a coarse grid), a label that is always
 * absent, one that is always present and one with a single positive, and classes missing from the truth.
 */
class SklearnAgreementTest {
  // Both sides compute in double from the same float32 values; only summation order differs.
  private static final double TOL = 1e-12;

  private static final String MULTI_LABEL = String.join("\n",
      "import sys, warnings, numpy as np",
      "from sklearn.metrics import roc_auc_score, average_precision_score",
      "warnings.simplefilter('ignore')",
      "a = sys.argv[1:]",
      "for c in range(0, len(a), 5):",
      "    n, k = int(a[c]), int(a[c + 1])",
      "    Y = np.fromfile(a[c + 2], '<f8').reshape(n, k).astype(int)",
      "    P = np.fromfile(a[c + 3], '<f8').reshape(n, k)",
      "    both = [j for j in range(k) if 0 < Y[:, j].sum() < n]",
      "    anypos = [j for j in range(k) if Y[:, j].sum() > 0]",
      "    auc = np.full(k, np.nan)",
      "    auc[both] = roc_auc_score(Y[:, both], P[:, both], average=None)",
      "    ap = average_precision_score(Y, P, average=None)",
      "    try:",
      "        roc_auc_score(Y, P, average='macro')",
      "        raised = 0.0",
      "    except ValueError:",
      "        raised = 1.0",
      "    out = list(auc) + list(ap) + [roc_auc_score(Y[:, both], P[:, both], average='macro'),",
      "        average_precision_score(Y[:, anypos], P[:, anypos], average='macro'),",
      "        roc_auc_score(Y, P, average='micro'), average_precision_score(Y, P, average='micro'), raised]",
      "    np.asarray(out, '<f8').tofile(a[c + 4])");

  private static final String MULTI_CLASS = String.join("\n",
      "import sys, warnings, numpy as np",
      "from sklearn.metrics import (roc_auc_score, precision_recall_fscore_support, accuracy_score,",
      "    recall_score, precision_score, f1_score)",
      "warnings.simplefilter('ignore')",
      "a = sys.argv[1:]",
      "for c in range(0, len(a), 8):",
      "    n, k, pos, t = int(a[c]), int(a[c + 1]), int(a[c + 2]), float(a[c + 3])",
      "    y = np.fromfile(a[c + 4], '<f8').astype(int)",
      "    P = np.fromfile(a[c + 5], '<f8').reshape(n, k)",
      "    yp = np.fromfile(a[c + 6], '<f8').astype(int)",
      "    present = [j for j in range(k) if (y == j).any()]",
      "    per = np.full(k, np.nan)",
      "    for j in present:",
      "        per[j] = roc_auc_score((y == j).astype(int), P[:, j])",
      "    support = np.array([(y == j).sum() for j in range(k)])",
      "    if len(present) == k:",
      "        weighted = roc_auc_score(y, P, multi_class='ovr', average='weighted')",
      "        macro = roc_auc_score(y, P, multi_class='ovr', average='macro')",
      "    else:",
      "        # scikit-learn refuses absent classes; average its per-class values the way the docs define it.",
      "        weighted = np.average(per[present], weights=support[present])",
      "        macro = np.mean(per[present])",
      "    wp, wr, wf, _ = precision_recall_fscore_support(y, yp, average='weighted', zero_division=0)",
      "    mp, mr, mf, _ = precision_recall_fscore_support(y, yp, average='macro', labels=list(range(k)),",
      "        zero_division=0)",
      "    yb = (y == pos).astype(int)",
      "    pb = (P[:, pos] >= t).astype(int)",
      "    auc = roc_auc_score(yb, P[:, pos]) if 0 < yb.sum() < n else np.nan",
      "    out = list(per) + [weighted, macro, wp, wr, wf, mp, mr, mf, accuracy_score(yb, pb),",
      "        recall_score(yb, pb, zero_division=0), recall_score(yb, pb, pos_label=0, zero_division=0),",
      "        precision_score(yb, pb, zero_division=0), f1_score(yb, pb, zero_division=0), auc]",
      "    np.asarray(out, '<f8').tofile(a[c + 7])");

  @TempDir
  Path dir;

  @Test
  void multiLabelAurocAndAveragePrecisionAgree() {
    PythonReference.requireModules("numpy", "sklearn");
    int k = 6;
    int[] sizes = {60, 200, 37, 500};
    List<String> args = new ArrayList<>();
    List<MultiLabelMetrics> ours = new ArrayList<>();
    for (int c = 0; c < sizes.length; c++) {
      int n = sizes[c];
      SplittableRandom random = new SplittableRandom(100 + c);
      boolean[][] truth = new boolean[n][k];
      float[][] p = new float[n][k];
      int lonePositive = random.nextInt(n);
      for (int i = 0; i < n; i++) {
        truth[i][0] = random.nextDouble() < 0.3;
        truth[i][1] = random.nextDouble() < 0.5;
        truth[i][2] = false;
        truth[i][3] = true;
        truth[i][4] = i == lonePositive;
        truth[i][5] = random.nextDouble() < 0.4;
        p[i][0] = (float) random.nextDouble();
        p[i][1] = (float) (Math.round(10 * (0.3 * random.nextDouble() + (truth[i][1] ? 0.4 : 0.2))) / 10.0);
        p[i][2] = (float) random.nextDouble();
        p[i][3] = (float) (Math.round(5 * random.nextDouble()) / 5.0);
        p[i][4] = (float) random.nextDouble();
        p[i][5] = (float) (Math.round(4 * (0.6 * random.nextDouble() + (truth[i][5] ? 0.4 : 0))) / 4.0);
      }
      ours.add(MultiLabelMetrics.compute(truth, p, List.of("a", "b", "never", "always", "lone", "coarse")));
      Path y = dir.resolve("y" + c);
      Path s = dir.resolve("p" + c);
      double[] flatTruth = new double[n * k];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < k; j++) {
          flatTruth[i * k + j] = truth[i][j] ? 1 : 0;
        }
      }
      PythonReference.write(y, flatTruth);
      PythonReference.write(s, p);
      args.addAll(List.of(Integer.toString(n), Integer.toString(k), y.toString(), s.toString(),
          dir.resolve("out" + c).toString()));
    }
    PythonReference.run(MULTI_LABEL, args.toArray(new String[0]));
    double worst = 0;
    for (int c = 0; c < sizes.length; c++) {
      double[] ref = PythonReference.read(dir.resolve("out" + c));
      MultiLabelMetrics m = ours.get(c);
      String at = "case " + c;
      for (int j = 0; j < k; j++) {
        LabelScores label = m.labels().get(j);
        worst = Math.max(worst, check(ref[j], label.auroc(), at + " AUROC of " + label.name()));
        if (label.positives() == 0) {
          // scikit-learn 1.2 scores a label with no positive 0 (with a warning); we leave it undefined.
          assertEquals(0, ref[k + j], 0.0, at);
          assertTrue(Double.isNaN(label.averagePrecision()), at);
        } else {
          worst = Math.max(worst, check(ref[k + j], label.averagePrecision(), at + " AP of " + label.name()));
        }
      }
      worst = Math.max(worst, check(ref[2 * k], m.macroAuroc(), at + " macro AUROC"));
      worst = Math.max(worst, check(ref[2 * k + 1], m.macroAveragePrecision(), at + " macro AP"));
      worst = Math.max(worst, check(ref[2 * k + 2], m.microAuroc(), at + " micro AUROC"));
      worst = Math.max(worst, check(ref[2 * k + 3], m.microAveragePrecision(), at + " micro AP"));
      assertEquals(1, ref[2 * k + 4], at + ": scikit-learn's macro AUROC should refuse the one-class labels");
      assertEquals(List.of("never", "always"), m.aurocExcluded(), at);
      assertEquals(List.of("never"), m.averagePrecisionExcluded(), at);
    }
    System.out.printf("scikit-learn multi-label AUROC/AP: max |difference| %.3g over %d cases%n", worst,
        sizes.length);
  }

  @Test
  void oneVsRestAucWeightedScoresAndBinaryMetricsAgree() {
    PythonReference.requireModules("numpy", "sklearn");
    int k = 4;
    int[] sizes = {80, 250, 41, 120};
    double[] thresholds = {0.5, 0.4, 0.5, 0.3};
    int positive = 2;
    List<String> args = new ArrayList<>();
    List<Object[]> ours = new ArrayList<>();
    for (int c = 0; c < sizes.length; c++) {
      int n = sizes[c];
      SplittableRandom random = new SplittableRandom(200 + c);
      int[] labels = new int[n];
      float[][] p = new float[n][];
      int[] predicted = new int[n];
      for (int i = 0; i < n; i++) {
        // Case 3 never has class 3 in its truth; cases 0 and 2 put probabilities on a 0.1 grid, forcing ties.
        labels[i] = random.nextInt(c == 3 ? k - 1 : k);
        p[i] = c % 2 == 0 ? gridRow(random, labels[i], k) : softmaxRow(random, labels[i], k);
        predicted[i] = ConfusionMatrix.argmax(p[i]);
      }
      ours.add(new Object[] {OneVsRestAuc.compute(labels, p), ClassAverages.weighted(labels, predicted, k),
          ClassAverages.macro(labels, predicted, k), BinaryMetrics.of(labels, p, positive, thresholds[c])});
      Path y = dir.resolve("y" + c);
      Path s = dir.resolve("p" + c);
      Path yp = dir.resolve("yp" + c);
      PythonReference.write(y, labels);
      PythonReference.write(s, p);
      PythonReference.write(yp, predicted);
      args.addAll(List.of(Integer.toString(n), Integer.toString(k), Integer.toString(positive),
          Double.toString(thresholds[c]), y.toString(), s.toString(), yp.toString(),
          dir.resolve("out" + c).toString()));
    }
    PythonReference.run(MULTI_CLASS, args.toArray(new String[0]));
    double worst = 0;
    for (int c = 0; c < sizes.length; c++) {
      double[] ref = PythonReference.read(dir.resolve("out" + c));
      OneVsRestAuc auc = (OneVsRestAuc) ours.get(c)[0];
      AveragedScores weighted = (AveragedScores) ours.get(c)[1];
      AveragedScores macro = (AveragedScores) ours.get(c)[2];
      BinaryMetrics binary = (BinaryMetrics) ours.get(c)[3];
      String at = "case " + c;
      for (int j = 0; j < k; j++) {
        worst = Math.max(worst, check(ref[j], auc.auroc().get(j), at + " AUROC of class " + j));
      }
      double[] mine = {auc.weighted(), auc.macro(), weighted.precision(), weighted.recall(), weighted.f1(),
          macro.precision(), macro.recall(), macro.f1(), binary.accuracy(), binary.sensitivity(),
          binary.specificity(), binary.precision(), binary.f1(), binary.auroc()};
      String[] names = {"weighted OvR AUROC", "macro OvR AUROC", "weighted precision", "weighted recall",
          "weighted F1", "macro precision", "macro recall", "macro F1", "binary accuracy", "sensitivity",
          "specificity", "binary precision", "binary F1", "binary AUROC"};
      for (int j = 0; j < mine.length; j++) {
        worst = Math.max(worst, check(ref[k + j], mine[j], at + " " + names[j]));
      }
    }
    assertEquals(List.of(3), ((OneVsRestAuc) ours.get(3)[0]).excluded());
    System.out.printf("scikit-learn OvR AUROC, weighted/macro P/R/F1, binary scores: max |difference| %.3g over"
        + " %d cases%n", worst, sizes.length);
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

  /** Ten tenths spread over the classes, the true class usually getting more. */
  private static float[] gridRow(SplittableRandom random, int label, int k) {
    int[] units = new int[k];
    for (int u = 0; u < 10; u++) {
      units[random.nextDouble() < 0.35 ? label : random.nextInt(k)]++;
    }
    float[] row = new float[k];
    for (int j = 0; j < k; j++) {
      row[j] = (float) (units[j] / 10.0);
    }
    return row;
  }

  private static float[] softmaxRow(SplittableRandom random, int label, int k) {
    double[] e = new double[k];
    double sum = 0;
    for (int j = 0; j < k; j++) {
      e[j] = Math.exp(random.nextGaussian() + (j == label ? 1.0 : 0));
      sum += e[j];
    }
    float[] row = new float[k];
    for (int j = 0; j < k; j++) {
      row[j] = (float) (e[j] / sum);
    }
    return row;
  }
}
