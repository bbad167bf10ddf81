package org.medvision.train.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medvision.api.metrics.ConfidenceInterval;

class EvaluationTest {
  private static final List<String> CLASSES = List.of("a", "b", "c");

  /** {@code n} seeded predictions that are right about 70% of the time. */
  static List<ImagePrediction> noisy(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<ImagePrediction> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int label = i % 3;
      float[] p = new float[3];
      float sum = 0;
      for (int k = 0; k < 3; k++) {
        p[k] = (float) r.nextDouble(0.05, 1) + (k == label && r.nextDouble() < 0.7 ? 1.5f : 0);
        sum += p[k];
      }
      for (int k = 0; k < 3; k++) {
        p[k] /= sum;
      }
      out.add(ImagePrediction.of(Path.of("/data/img" + i + ".png"), label, p));
    }
    return out;
  }

  @Test
  void smallCaseMatchesHandComputedScores() {
    // Four images: labels a, a, b, c; predictions a, b, b, c -> 3 of 4 right.
    List<ImagePrediction> preds = List.of(
        ImagePrediction.of(Path.of("/x/1.png"), 0, new float[] {0.8f, 0.1f, 0.1f}),
        ImagePrediction.of(Path.of("/x/2.png"), 0, new float[] {0.3f, 0.6f, 0.1f}),
        ImagePrediction.of(Path.of("/x/3.png"), 1, new float[] {0.2f, 0.7f, 0.1f}),
        ImagePrediction.of(Path.of("/x/4.png"), 2, new float[] {0.1f, 0.2f, 0.7f}));
    Evaluation e = Evaluation.of(preds, CLASSES, 1);
    assertEquals(0.75, e.metrics().accuracy(), 1e-12);
    // Per-class F1: a: P=1, R=1/2 -> 2/3; b: P=1/2, R=1 -> 2/3; c: 1. Macro = 7/9.
    assertEquals(7.0 / 9, e.metrics().macro().f1(), 1e-12);
    assertEquals(7.0 / 9, SummaryMetric.F1.of(e.metrics()), 1e-12);
    assertEquals(SummaryMetric.forClasses(3).stream().map(SummaryMetric::key).toList(),
        List.copyOf(e.intervals().keySet()));
    assertTrue(SummaryMetric.forClasses(3).stream().noneMatch(SummaryMetric::positiveClass),
        "three classes have no positive class");
  }

  @Test
  void twoClassesAddThePositiveClassScores() {
    // cap (0) vs covid (1): truths covid, covid, covid, cap, cap; predicted covid, covid, cap, cap, covid.
    // Sensitivity 2/3, specificity 1/2, F1 of covid: P = 2/3, R = 2/3 -> 2/3.
    List<ImagePrediction> preds = List.of(
        ImagePrediction.of(Path.of("/x/1.nii"), 1, new float[] {0.1f, 0.9f}),
        ImagePrediction.of(Path.of("/x/2.nii"), 1, new float[] {0.3f, 0.7f}),
        ImagePrediction.of(Path.of("/x/3.nii"), 1, new float[] {0.6f, 0.4f}),
        ImagePrediction.of(Path.of("/x/4.nii"), 0, new float[] {0.8f, 0.2f}),
        ImagePrediction.of(Path.of("/x/5.nii"), 0, new float[] {0.45f, 0.55f}));
    Evaluation e = Evaluation.of(preds, List.of("cap", "covid"), 3);
    assertEquals(2.0 / 3, SummaryMetric.SENSITIVITY.of(e.metrics()), 1e-12);
    assertEquals(0.5, SummaryMetric.SPECIFICITY.of(e.metrics()), 1e-12);
    assertEquals(2.0 / 3, SummaryMetric.POSITIVE_F1.of(e.metrics()), 1e-12);
    assertEquals("Sensitivity (covid positive)", SummaryMetric.SENSITIVITY.label(e.classes()));
    assertEquals(13, e.summaryMetrics().size());
    assertTrue(e.intervals().containsKey("positiveF1"), "two-class scores get intervals too");
  }

  @Test
  void intervalsAreSeededAndBracketTheEstimate() {
    List<ImagePrediction> preds = noisy(90, 5);
    Evaluation a = Evaluation.of(preds, CLASSES, 42);
    Evaluation b = Evaluation.of(preds, CLASSES, 42);
    Evaluation c = Evaluation.of(preds, CLASSES, 43);
    for (SummaryMetric m : a.summaryMetrics()) {
      ConfidenceInterval ci = a.interval(m);
      assertEquals(m.of(a.metrics()), ci.estimate(), 1e-12, m.key());
      assertTrue(ci.lower() <= ci.estimate() && ci.estimate() <= ci.upper(), m.key() + " " + ci);
      assertEquals(Evaluation.BOOTSTRAP_RESAMPLES, ci.resamples());
      assertEquals(0.95, ci.level());
      assertEquals(ci, b.interval(m), m.key());
    }
    ConfidenceInterval acc = a.interval(SummaryMetric.ACCURACY);
    assertTrue(acc.upper() - acc.lower() > 0.05, "90 images leave real uncertainty: " + acc);
    assertTrue(!acc.equals(c.interval(SummaryMetric.ACCURACY)), "another seed draws other resamples");
  }
}
