package org.medvision.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.Example;
import org.medvision.api.data.LabelField;
import org.medvision.api.pipeline.ClassProbabilities;
import org.medvision.api.pipeline.ExampleResult;
import org.medvision.api.pipeline.LabelProbabilities;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/**
 * {@link MultiLabelSuite} wires pipeline results into the multi-label metrics, tables and figures; the numbers
 * themselves are checked against scikit-learn in {@link MultiLabelSklearnAgreementTest}.
 */
class MultiLabelSuiteTest {
  /** The ChestX-ray14 findings, with their original spelling. */
  static final List<String> CXR14 = List.of("Atelectasis", "Cardiomegaly", "Effusion", "Infiltration", "Mass",
      "Nodule", "Pneumonia", "Pneumothorax", "Consolidation", "Edema", "Emphysema", "Fibrosis", "Pleural_Thickening",
      "Hernia");

  static Example truth(int i, boolean[] present) {
    float[] y = new float[present.length];
    for (int k = 0; k < y.length; k++) {
      y[k] = present[k] ? 1 : 0;
    }
    return new Example("e" + i, null, "m.csv line " + (i + 2), Map.of("findings", Tensor.of(Shape.of(y.length), y)),
        Map.of());
  }

  static ExampleResult predicted(int i, List<String> labels, float[] p, float threshold) {
    return new ExampleResult("e" + i, Map.of("logits", new LabelProbabilities(labels, p, threshold)));
  }

  static MultiLabelSuite fed(List<String> labels, boolean[][] y, float[][] p, float threshold) {
    MultiLabelSuite s = new MultiLabelSuite("logits", "findings", labels);
    for (int i = 0; i < y.length; i++) {
      s.add(truth(i, y[i]), predicted(i, labels, p[i], threshold));
    }
    return s;
  }

  /**
   * Seeded data whose probabilities lean towards the truth; label {@code never} (when listed) is absent everywhere,
   * and every other label has both classes.
   */
  static Object[] data(List<String> labels, int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    boolean[][] y = new boolean[n][labels.size()];
    float[][] p = new float[n][labels.size()];
    for (int k = 0; k < labels.size(); k++) {
      double prevalence = 0.05 + 0.4 * r.nextDouble();
      for (int i = 0; i < n; i++) {
        y[i][k] = !labels.get(k).equals("never") && (i == k || i == k + 1 ? i == k : r.nextDouble() < prevalence);
        p[i][k] = (float) Math.min(1, 0.7 * r.nextDouble() + (y[i][k] ? 0.3 : 0));
      }
    }
    return new Object[] {y, p};
  }

  @Test
  void scalarsEqualMultiLabelMetricsOnTheSameArrays() {
    Object[] d = data(CXR14, 300, 1);
    boolean[][] y = (boolean[][]) d[0];
    float[][] p = (float[][]) d[1];
    MultiLabelSuite s = fed(CXR14, y, p, 0.5f);
    MetricResult r = s.result(3, 0);
    MultiLabelMetrics m = MultiLabelMetrics.compute(y, p, CXR14);

    assertEquals("multilabel", r.suite());
    assertEquals(m.macroAuroc(), r.scalar("mean_auroc"));
    assertEquals(m.microAuroc(), r.scalar("micro_auroc"));
    assertEquals(m.macroAveragePrecision(), r.scalar("macro_ap"));
    assertEquals(m.labels().get(12).auroc(), r.scalar("auroc_pleural_thickening"));
    assertEquals(m.labels().get(0).auroc(), r.scalar("auroc_atelectasis"));
    List<String> keys = new ArrayList<>(List.of("mean_auroc", "micro_auroc", "macro_ap", "macro_f1"));
    CXR14.forEach(l -> keys.add("auroc_" + l.toLowerCase(java.util.Locale.ROOT)));
    assertEquals(keys, List.copyOf(r.scalars().keySet()));
    assertEquals(keys, List.copyOf(s.selectable().keySet()));
    assertTrue(s.selectable().values().stream().allMatch(d2 -> d2 == MetricSuite.Direction.HIGHER));
    assertEquals("mean_auroc", s.defaultSelection());
    assertEquals(List.of("mean_auroc", "micro_auroc", "macro_ap", "macro_f1"), s.epochKeys());
    assertEquals("AUROC Pleural_Thickening", r.labels().get("auroc_pleural_thickening"));
    assertTrue(r.intervals().isEmpty());

    // F1 at 0.5 by hand for one label: 2TP / (2TP + FP + FN).
    long tp = 0;
    long fp = 0;
    long fn = 0;
    for (int i = 0; i < y.length; i++) {
      boolean called = p[i][2] >= 0.5f;
      tp += called && y[i][2] ? 1 : 0;
      fp += called && !y[i][2] ? 1 : 0;
      fn += !called && y[i][2] ? 1 : 0;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> details = (Map<String, Object>) assertInstanceOf(Map.class, r.details());
    @SuppressWarnings("unchecked")
    Map<String, Object> effusion = (Map<String, Object>) ((Map<String, Object>) details.get("operatingPoints"))
        .get("Effusion");
    @SuppressWarnings("unchecked")
    Map<String, Object> atThreshold = (Map<String, Object>) effusion.get("atThreshold");
    assertEquals(2.0 * tp / (2 * tp + fp + fn), (double) atThreshold.get("f1"), 1e-15);
    assertEquals(0.5, details.get("threshold"));
  }

  @Test
  void aOneClassLabelIsLeftOutOfTheMeanAndNamed() {
    List<String> labels = List.of("a", "never", "b", "c");
    Object[] d = data(labels, 80, 2);
    boolean[][] y = (boolean[][]) d[0];
    float[][] p = (float[][]) d[1];
    MetricResult r = fed(labels, y, p, 0.5f).result(5, 40);
    MultiLabelMetrics m = MultiLabelMetrics.compute(y, p, labels);
    double mean = (m.labels().get(0).auroc() + m.labels().get(2).auroc() + m.labels().get(3).auroc()) / 3;
    assertEquals(mean, r.scalar("mean_auroc"), 1e-15);
    assertFalse(Double.isNaN(r.scalar("mean_auroc")));
    assertTrue(Double.isNaN(r.scalar("auroc_never")));
    assertTrue(Double.isNaN(r.intervals().get("auroc_never").lower()));
    assertEquals(40, r.intervals().get("auroc_never").undefinedResamples());

    ReportTable perLabel = r.tables().get(0);
    assertEquals("Per label", perLabel.title());
    assertEquals(labels.size() + 1, perLabel.rows().size());
    List<String> meanRow = perLabel.rows().get(labels.size());
    assertEquals("mean (3 of 4 labels)", meanRow.get(0));
    assertEquals(MultiLabelTables.format(mean), meanRow.get(3));
    assertEquals("n/a (one class)", perLabel.rows().get(1).get(3));
    assertTrue(perLabel.note().contains("Left out of the mean AUROC, their truth having one class: never (present in"
        + " no example)."), perLabel.note());
    assertTrue(perLabel.note().contains("40 resamples, seed 5"), perLabel.note());

    ReportTable pairs = r.tables().get(1);
    assertEquals(List.of("label", "a", "b", "c"), pairs.header());
    assertTrue(pairs.note().contains("Not shown, present in no example: never."), pairs.note());
  }

  @Test
  void coOccurrenceCountsPairsAndTheDiagonalCountsLabels() {
    List<String> labels = List.of("x", "y", "z", "w");
    boolean[][] y = {
        {true, true, false, false},
        {true, true, true, false},
        {false, false, false, false},
        {false, true, true, false},
        {true, false, false, false},
    };
    float[][] p = {{0.9f, 0.8f, 0.1f, 0.2f}, {0.6f, 0.7f, 0.4f, 0.1f}, {0.1f, 0.2f, 0.3f, 0.3f},
        {0.2f, 0.6f, 0.9f, 0.4f}, {0.4f, 0.3f, 0.2f, 0.1f}};
    ReportTable pairs = fed(labels, y, p, 0.5f).result(1, 0).tables().get(1);
    assertEquals(List.of("label", "x", "y", "z"), pairs.header());
    assertEquals(List.of(List.of("x", "3", "2", "1"), List.of("y", "2", "3", "2"), List.of("z", "1", "2", "2")),
        pairs.rows());
    assertTrue(pairs.note().contains("5 examples, 1 without any label."), pairs.note());

    LabelCooccurrence c = LabelCooccurrence.of(y, labels);
    assertEquals(List.of(0, 1, 2), c.presentLabels());
    assertEquals(0, c.count(3, 3));
  }

  @Test
  void rocFiguresDrawEveryLabelWithBothClassesFiveAtATime() {
    Object[] d = data(CXR14, 200, 4);
    MetricResult r = fed(CXR14, (boolean[][]) d[0], (float[][]) d[1], 0.5f).result(1, 0);
    assertEquals(3, r.figures().size());
    List<String> files = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    for (ReportFigure f : r.figures()) {
      ReportFigure.Curves c = assertInstanceOf(ReportFigure.Curves.class, f);
      assertTrue(c.unitSquare());
      files.add(c.file());
      sizes.add(c.series().size());
    }
    assertEquals(List.of("multilabel-roc-1.png", "multilabel-roc-2.png", "multilabel-roc-3.png"), files);
    assertEquals(List.of(5, 5, 4), sizes);
    assertEquals("ROC per label (1 of 3)", r.figures().get(0).title());
    ReportFigure.Series hernia = ((ReportFigure.Curves) r.figures().get(2)).series().get(3);
    assertTrue(hernia.name().startsWith("Hernia (AUROC "), hernia.name());
    double[] x = hernia.x();
    assertEquals(0, x[0]);
    assertEquals(1, x[x.length - 1]);
  }

  @Test
  void bootstrapIntervalsAreSeededAndContainTheirEstimates() {
    Object[] d = data(CXR14, 250, 5);
    boolean[][] y = (boolean[][]) d[0];
    float[][] p = (float[][]) d[1];
    MetricResult r = fed(CXR14, y, p, 0.5f).result(11, 200);
    List<String> expected = new ArrayList<>(List.of("mean_auroc"));
    CXR14.forEach(l -> expected.add("auroc_" + l.toLowerCase(java.util.Locale.ROOT)));
    assertEquals(expected, List.copyOf(r.intervals().keySet()));
    for (Map.Entry<String, ConfidenceInterval> e : r.intervals().entrySet()) {
      ConfidenceInterval ci = e.getValue();
      // The resampling AUROC and the rank AUROC compute the same rational with one division: exactly equal.
      assertEquals(r.scalar(e.getKey()), ci.estimate(), 0.0, e.getKey());
      assertTrue(ci.contains(ci.estimate()), e.getKey() + " " + ci);
      assertTrue(ci.upper() - ci.lower() > 0, e.getKey() + " " + ci);
      assertEquals(200, ci.resamples());
      assertEquals(11, ci.seed());
    }
    assertEquals(r.intervals(), fed(CXR14, y, p, 0.5f).result(11, 200).intervals());
    assertNotEquals(r.intervals().get("mean_auroc"), fed(CXR14, y, p, 0.5f).result(12, 200).intervals()
        .get("mean_auroc"));
    assertTrue(r.tables().get(0).rows().get(0).get(4).startsWith("["), "the table shows the interval");
  }

  @Test
  void theResampledAurocEqualsTheRankAurocOfTheResampledCopy() {
    List<String> labels = List.of("a", "b", "c");
    Object[] d = data(labels, 60, 6);
    boolean[][] y = (boolean[][]) d[0];
    float[][] p = (float[][]) d[1];
    // Coarse scores on label c, so tie groups span positives and negatives.
    for (float[] row : p) {
      row[2] = Math.round(row[2] * 4) / 4f;
    }
    ResampledAuroc resampled = new ResampledAuroc(y, p, labels.size());
    SplittableRandom r = new SplittableRandom(8);
    for (int round = 0; round < 50; round++) {
      int[] indices = new int[y.length];
      for (int i = 0; i < indices.length; i++) {
        indices[i] = r.nextInt(y.length);
      }
      double[] fast = resampled.auroc(indices);
      for (int k = 0; k < labels.size(); k++) {
        double[] scores = new double[indices.length];
        boolean[] present = new boolean[indices.length];
        for (int i = 0; i < indices.length; i++) {
          scores[i] = p[indices[i]][k];
          present[i] = y[indices[i]][k];
        }
        assertEquals(RankAuc.auroc(scores, present), fast[k], 0.0, "round " + round + " label " + k);
      }
    }
  }

  @Test
  void labelKeysAreLowerCaseAndMustBeDistinct() {
    MultiLabelSuite s = new MultiLabelSuite("logits", "findings", List.of("Pleural Thickening", "No-Finding 2"));
    assertEquals(Set.of("mean_auroc", "micro_auroc", "macro_ap", "macro_f1", "auroc_pleural_thickening",
        "auroc_no_finding_2"), s.selectable().keySet());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MultiLabelSuite("logits", "findings", List.of("Pleural_Thickening", "pleural thickening")));
    assertTrue(e.getMessage().contains("'auroc_pleural_thickening'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new MultiLabelSuite("logits", "findings", List.of("++")));
    assertThrows(IllegalArgumentException.class, () -> new MultiLabelSuite("logits", "findings", List.of()));

    LabelField multi = new LabelField("findings", "labels", List.of("a", "b"), Map.of(), Set.of("no finding"), true,
        "|");
    assertEquals(List.of("mean_auroc", "micro_auroc", "macro_ap", "macro_f1", "auroc_a", "auroc_b"),
        List.copyOf(new MultiLabelSuite("logits", multi).selectable().keySet()));
    IllegalArgumentException single = assertThrows(IllegalArgumentException.class,
        () -> new MultiLabelSuite("logits", LabelField.single("label", "label", List.of("a", "b"))));
    assertTrue(single.getMessage().contains("single-label"), single.getMessage());
  }

  @Test
  void predictionsAndTruthThatDoNotFitAreNamed() {
    List<String> labels = List.of("a", "b");
    MultiLabelSuite s = new MultiLabelSuite("logits", "findings", labels);
    boolean[] yes = {true, false};
    MedvisionException e = assertThrows(MedvisionException.class, () -> s.add(truth(0, yes),
        new ExampleResult("e0", Map.of("logits", new ClassProbabilities(labels, new float[] {0.4f, 0.6f})))));
    assertTrue(e.getMessage().startsWith("multi-label metrics need label probabilities in output 'logits' for m.csv "
        + "line 2"), e.getMessage());
    e = assertThrows(MedvisionException.class, () -> s.add(truth(1, yes),
        predicted(1, List.of("b", "a"), new float[] {0.1f, 0.2f}, 0.5f)));
    assertEquals("m.csv line 3: output 'logits' has labels [b, a], the suite scores [a, b]", e.getMessage());
    e = assertThrows(MedvisionException.class, () -> s.add(truth(2, new boolean[] {true, false, true}),
        predicted(2, labels, new float[] {0.1f, 0.2f}, 0.5f)));
    assertTrue(e.getMessage().startsWith("m.csv line 4: label field 'findings' has 3 values"), e.getMessage());
    Example two = new Example("e3", null, "m.csv line 5", Map.of("findings", Tensor.of(Shape.of(2), 2f, 0f)),
        Map.of());
    e = assertThrows(MedvisionException.class, () -> s.add(two, predicted(3, labels, new float[] {0.1f, 0.2f}, 0.5f)));
    assertEquals("m.csv line 5: label field 'findings' holds 2.0 for 'a'; a multi-hot truth holds 0 or 1",
        e.getMessage());
    e = assertThrows(MedvisionException.class, () -> s.add(truth(4, yes),
        predicted(4, labels, new float[] {Float.NaN, 0.2f}, 0.5f)));
    assertEquals("m.csv line 6: output 'logits' gives probability NaN for 'a'", e.getMessage());
    assertEquals("no examples were scored", assertThrows(MedvisionException.class, () -> s.result(1, 0))
        .getMessage());
    s.add(truth(5, yes), predicted(5, labels, new float[] {0.7f, 0.2f}, 0.5f));
    e = assertThrows(MedvisionException.class, () -> s.add(truth(6, yes),
        predicted(6, labels, new float[] {0.7f, 0.2f}, 0.4f)));
    assertEquals("m.csv line 8: output 'logits' has threshold 0.4, m.csv line 7 had 0.5; one evaluation scores one "
        + "threshold", e.getMessage());
  }
}
