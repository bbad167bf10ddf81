package org.medvision.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

class BootstrapTest {
  private static final int N = 60;

  @Test
  void sameSeedSameIntervalAndItContainsTheEstimate() {
    Data d = data(3);
    ConfidenceInterval first = Bootstrap.confidenceInterval(d.labels, d.probabilities, Examples.ABC,
        ClassificationMetrics::accuracy, 300, 42L, 0.95);
    ConfidenceInterval again = Bootstrap.confidenceInterval(d.labels, d.probabilities, Examples.ABC,
        ClassificationMetrics::accuracy, 300, 42L, 0.95);
    assertEquals(first, again);
    assertEquals(42L, first.seed());
    assertEquals(ClassificationMetrics.compute(d.labels, d.probabilities, Examples.ABC).accuracy(), first.estimate());
    assertTrue(first.contains(first.estimate()), first.toString());
    assertTrue(first.lower() < first.upper(), first.toString());
    ConfidenceInterval other = Bootstrap.confidenceInterval(d.labels, d.probabilities, Examples.ABC,
        ClassificationMetrics::accuracy, 300, 43L, 0.95);
    assertNotEquals(first, other);
  }

  @Test
  void rawMetricAndMetricsRecordSeeTheSameResamples() {
    // Accuracy computed two ways from the same seed must give the same interval: the resampling is shared.
    Data d = data(5);
    ConfidenceInterval viaRecord = Bootstrap.confidenceInterval(d.labels, d.probabilities, Examples.ABC,
        ClassificationMetrics::accuracy, 200, 9L, 0.9);
    ConfidenceInterval viaRaw = Bootstrap.confidenceInterval(d.labels, d.probabilities, (l, p) -> {
      int right = 0;
      for (int i = 0; i < l.length; i++) {
        right += ConfusionMatrix.argmax(p[i]) == l[i] ? 1 : 0;
      }
      return (double) right / l.length;
    }, 200, 9L, 0.9);
    assertEquals(viaRecord.lower(), viaRaw.lower(), 1e-15);
    assertEquals(viaRecord.upper(), viaRaw.upper(), 1e-15);
  }

  @Test
  void oneResampleDrawsIndicesInOrderFromTheSeededGenerator() {
    // Labels 0..n-1 let a raw metric see which samples were drawn; its mean is the resample's mean index.
    int n = 10;
    int[] labels = new int[n];
    float[][] p = new float[n][];
    for (int i = 0; i < n; i++) {
      labels[i] = i;
      p[i] = new float[] {1f};
    }
    SampleMetric meanLabel = (l, q) -> {
      double sum = 0;
      for (int v : l) {
        sum += v;
      }
      return sum / l.length;
    };
    ConfidenceInterval ci = Bootstrap.confidenceInterval(labels, p, meanLabel, 1, 123L, 0.95);
    SplittableRandom random = new SplittableRandom(123L);
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += random.nextInt(n);
    }
    assertEquals(sum / n, ci.lower(), 1e-15);
    assertEquals(sum / n, ci.upper(), 1e-15);
    assertEquals(4.5, ci.estimate(), 1e-15);
  }

  @Test
  void percentileInterpolatesBetweenOrderStatistics() {
    double[] sorted = {1, 2, 3, 4, 5};
    assertEquals(2, Bootstrap.percentile(sorted, 0.25), 1e-15);
    assertEquals(1.4, Bootstrap.percentile(sorted, 0.1), 1e-15);
    assertEquals(5, Bootstrap.percentile(sorted, 1), 1e-15);
    assertEquals(1, Bootstrap.percentile(sorted, 0), 1e-15);
    assertTrue(Double.isNaN(Bootstrap.percentile(new double[0], 0.5)));
  }

  @Test
  void resamplesWhereTheMetricIsUndefinedAreCountedAndLeftOut() {
    // One C sample among 40: about (39/40)^40 = 36% of resamples lack it, so C's AUROC is NaN there.
    int n = 40;
    int[] labels = new int[n];
    float[][] p = new float[n][];
    for (int i = 0; i < n; i++) {
      labels[i] = i == 0 ? 2 : i % 2;
      p[i] = labels[i] == 2 ? new float[] {0.2f, 0.2f, 0.6f} : new float[] {0.45f, 0.45f, 0.1f};
    }
    ConfidenceInterval ci = Bootstrap.confidenceInterval(labels, p, Examples.ABC,
        m -> m.classes().get(2).auroc(), 200, 1L, 0.95);
    assertTrue(ci.undefinedResamples() > 30 && ci.undefinedResamples() < 120, ci.toString());
    assertEquals(1, ci.lower(), 0);
    assertEquals(1, ci.upper(), 0);
  }

  @Test
  void severalMetricsShareOneRun() {
    Data d = data(11);
    Map<String, ToDoubleFunction<ClassificationMetrics>> metrics = new LinkedHashMap<>();
    metrics.put("accuracy", ClassificationMetrics::accuracy);
    metrics.put("macroF1", m -> m.macro().f1());
    metrics.put("auroc", ClassificationMetrics::auroc);
    Map<String, ConfidenceInterval> cis = Bootstrap.confidenceIntervals(d.labels, d.probabilities, Examples.ABC,
        metrics, 100, 5L, 0.95);
    assertEquals(List.of("accuracy", "macroF1", "auroc"), List.copyOf(cis.keySet()));
    ConfidenceInterval alone = Bootstrap.confidenceInterval(d.labels, d.probabilities, Examples.ABC,
        m -> m.macro().f1(), 100, 5L, 0.95);
    assertEquals(alone, cis.get("macroF1"));
    for (ConfidenceInterval ci : cis.values()) {
      assertTrue(ci.contains(ci.estimate()), ci.toString());
    }
  }

  @Test
  void rejectsBadSettings() {
    Data d = data(1);
    assertThrows(MedvisionException.class, () -> Bootstrap.confidenceInterval(d.labels, d.probabilities,
        Examples.ABC, ClassificationMetrics::accuracy, 0, 1L, 0.95));
    MedvisionException e = assertThrows(MedvisionException.class, () -> Bootstrap.confidenceInterval(d.labels,
        d.probabilities, Examples.ABC, ClassificationMetrics::accuracy, 10, 1L, 95));
    assertTrue(e.getMessage().contains("got 95.0"), e.getMessage());
    assertThrows(MedvisionException.class, () -> Bootstrap.confidenceInterval(new int[0], new float[0][],
        (l, p) -> 0, 10, 1L, 0.95));
  }

  private record Data(int[] labels, float[][] probabilities) {
  }

  /** A 3-class set of N samples where the true class usually, but not always, gets the largest probability. */
  private static Data data(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] labels = new int[N];
    float[][] p = new float[N][];
    for (int i = 0; i < N; i++) {
      labels[i] = i % 3;
      float[] row = new float[3];
      float sum = 0;
      for (int k = 0; k < 3; k++) {
        row[k] = (float) random.nextDouble(0.05, 1) + (k == labels[i] ? 0.6f : 0f);
        sum += row[k];
      }
      for (int k = 0; k < 3; k++) {
        row[k] /= sum;
      }
      p[i] = row;
    }
    return new Data(labels, p);
  }
}
