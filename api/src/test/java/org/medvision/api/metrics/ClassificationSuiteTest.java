package org.medvision.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.Example;
import org.medvision.api.pipeline.ClassProbabilities;
import org.medvision.api.pipeline.ExampleResult;
import org.medvision.api.pipeline.LabelProbabilities;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/** {@link ClassificationSuite} scores pipeline results as {@link ClassificationMetrics} scores the same arrays. */
class ClassificationSuiteTest {
  private static final List<String> BINARY = List.of("normal", "stroke");
  private static final List<String> THREE = List.of("normal", "ischemic", "hemorrhagic");
  private static final List<String> KEYS = List.of("loss", "acc", "macro_precision", "macro_recall", "macro_f1",
      "auroc", "auprc", "balanced_acc", "mcc", "brier", "ece");

  private static Example truth(int i, int label) {
    return new Example("e" + i, null, "m.csv line " + (i + 2), Map.of("label", Tensor.ofLongs(Shape.scalar(), label)),
        Map.of());
  }

  private static ExampleResult predicted(int i, List<String> classes, float[] p) {
    return new ExampleResult("e" + i, Map.of("logits", new ClassProbabilities(classes, p)));
  }

  /** Random labels and probabilities that lean towards the true class, so the metrics are not trivial. */
  private static float[][] probabilities(int[] y, int classes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] p = new float[y.length][classes];
    for (int i = 0; i < y.length; i++) {
      double sum = 0;
      double[] raw = new double[classes];
      for (int k = 0; k < classes; k++) {
        raw[k] = r.nextDouble() + (k == y[i] ? 0.6 : 0);
        sum += raw[k];
      }
      for (int k = 0; k < classes; k++) {
        p[i][k] = (float) (raw[k] / sum);
      }
    }
    return p;
  }

  private static int[] labels(int n, int classes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i < classes ? i : r.nextInt(classes);
    }
    return y;
  }

  private static ClassificationSuite fed(List<String> classes, int[] y, float[][] p) {
    ClassificationSuite s = new ClassificationSuite("logits", "label", classes);
    for (int i = 0; i < y.length; i++) {
      s.add(truth(i, y[i]), predicted(i, classes, p[i]));
    }
    return s;
  }

  @Test
  void multiClassMetricsEqualClassificationMetricsOnTheSameData() {
    int[] y = labels(60, 3, 1);
    float[][] p = probabilities(y, 3, 2);
    MetricResult r = fed(THREE, y, p).result(5, 0);
    ClassificationMetrics m = ClassificationMetrics.compute(y, p, THREE);
    assertEquals("classification", r.suite());
    assertEquals(KEYS, List.copyOf(r.scalars().keySet()));
    assertEquals(m.accuracy(), r.scalar("acc"));
    assertEquals(m.macro().precision(), r.scalar("macro_precision"));
    assertEquals(m.macro().recall(), r.scalar("macro_recall"));
    assertEquals(m.macro().f1(), r.scalar("macro_f1"));
    assertEquals(m.macroAuroc(), r.scalar("auroc"));
    assertEquals(m.macroAuprc(), r.scalar("auprc"));
    assertEquals(m.balancedAccuracy(), r.scalar("balanced_acc"));
    assertEquals(m.matthewsCorrelation(), r.scalar("mcc"));
    assertEquals(m.brierScore(), r.scalar("brier"));
    assertEquals(m.expectedCalibrationError(), r.scalar("ece"));
    // The loss is the mean of -log p[true class].
    double loss = 0;
    for (int i = 0; i < y.length; i++) {
      loss -= Math.log(p[i][y[i]]);
    }
    assertEquals(loss / y.length, r.scalar("loss"), 1e-12);
    assertTrue(r.intervals().isEmpty());
    assertEquals(m.classes(), assertInstanceOf(ClassificationMetrics.class, r.details()).classes());
    assertEquals(List.of("loss", "acc", "macro_f1", "auroc"), fed(THREE, y, p).epochKeys());
  }

  @Test
  void binarySuitesAddSensitivitySpecificityAndF1OfClassOne() {
    // Confusion (rows true, columns predicted): normal 3 right, 1 called stroke; stroke 2 right, 2 missed.
    int[] y = {0, 0, 0, 0, 1, 1, 1, 1};
    float[][] p = {{0.9f, 0.1f}, {0.8f, 0.2f}, {0.7f, 0.3f}, {0.4f, 0.6f}, {0.2f, 0.8f}, {0.3f, 0.7f},
        {0.6f, 0.4f}, {0.55f, 0.45f}};
    ClassificationSuite s = fed(BINARY, y, p);
    MetricResult r = s.result(1, 0);
    assertEquals(2 / 4.0, r.scalar("sensitivity"), 1e-12);
    assertEquals(3 / 4.0, r.scalar("specificity"), 1e-12);
    // Precision of stroke 2/3, recall 1/2: F1 = 2·(2/3)(1/2)/(2/3 + 1/2) = 4/7.
    assertEquals(4 / 7.0, r.scalar("f1"), 1e-12);
    assertEquals(5 / 8.0, r.scalar("acc"), 1e-12);
    ClassificationMetrics m = ClassificationMetrics.compute(y, p, BINARY);
    assertEquals(m.classes().get(1).auroc(), r.scalar("auroc"));
    List<String> keys = new java.util.ArrayList<>(KEYS);
    keys.addAll(List.of("sensitivity", "specificity", "f1"));
    assertEquals(keys, List.copyOf(r.scalars().keySet()));
    assertEquals("Sensitivity (stroke positive)", r.labels().get("sensitivity"));
    assertEquals(List.of("loss", "acc", "macro_f1", "auroc", "sensitivity", "specificity"), s.epochKeys());
    assertEquals(MetricSuite.Direction.LOWER, s.selectable().get("loss"));
    assertEquals(MetricSuite.Direction.LOWER, s.selectable().get("ece"));
    assertEquals(MetricSuite.Direction.HIGHER, s.selectable().get("sensitivity"));
    assertEquals("acc", s.defaultSelection());
  }

  @Test
  void bootstrapIntervalsAreGivenForEveryMetricButTheLossWhenAsked() {
    int[] y = labels(40, 2, 3);
    float[][] p = probabilities(y, 2, 4);
    MetricResult r = fed(BINARY, y, p).result(11, 50);
    List<String> withIntervals = new java.util.ArrayList<>(r.scalars().keySet());
    withIntervals.remove("loss");
    assertEquals(withIntervals, List.copyOf(r.intervals().keySet()));
    for (Map.Entry<String, ConfidenceInterval> e : r.intervals().entrySet()) {
      ConfidenceInterval ci = e.getValue();
      assertEquals(r.scalar(e.getKey()), ci.estimate(), 1e-12, e.getKey());
      assertEquals(50, ci.resamples(), e.getKey());
      assertEquals(11, ci.seed(), e.getKey());
      assertTrue(ci.lower() <= ci.upper(), e.getKey() + " " + ci);
    }
    // The same seed gives the same intervals.
    assertEquals(r.intervals(), fed(BINARY, y, p).result(11, 50).intervals());
  }

  @Test
  void predictionsAndLabelsThatDoNotFitAreNamed() {
    ClassificationSuite s = new ClassificationSuite("logits", "label", BINARY);
    ExampleResult wrongKind = new ExampleResult("e0", Map.of("logits", new LabelProbabilities(BINARY,
        new float[] {0.2f, 0.9f}, 0.5f)));
    MedvisionException e = assertThrows(MedvisionException.class, () -> s.add(truth(0, 1), wrongKind));
    assertTrue(e.getMessage().startsWith("classification metrics need class probabilities in output 'logits' for "
        + "m.csv line 2"), e.getMessage());
    e = assertThrows(MedvisionException.class,
        () -> s.add(truth(3, 2), predicted(3, BINARY, new float[] {0.5f, 0.5f})));
    assertEquals("m.csv line 5: label 'label' is not a class index of [normal, stroke]", e.getMessage());
    assertEquals("no examples were scored", assertThrows(MedvisionException.class, () -> s.result(1, 0))
        .getMessage());
  }

  @Test
  void aTaskMayChooseTheMetricThatSelectsCheckpoints() {
    assertEquals("acc", new ClassificationSuite("logits", "label", List.of("cap", "covid")).defaultSelection());
    ClassificationSuite byAuc = new ClassificationSuite("logits", "label", List.of("cap", "covid"), "auroc");
    assertEquals("auroc", byAuc.defaultSelection());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ClassificationSuite("logits", "label", List.of("a", "b", "c"), "sensitivity"));
    assertTrue(e.getMessage().startsWith("classification metric 'sensitivity' does not exist"), e.getMessage());
  }
}
