package org.medvision.api.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

class GenericBootstrapTest {
  @Test
  void accuracyFromIndicesReproducesTheClassificationBootstrap() {
    int[] labels = Examples.THREE_CLASS_LABELS;
    float[][] p = Examples.THREE_CLASS_PROBABILITIES;
    ToDoubleFunction<int[]> accuracy = indices -> {
      int right = 0;
      for (int i : indices) {
        right += ConfusionMatrix.argmax(p[i]) == labels[i] ? 1 : 0;
      }
      return (double) right / indices.length;
    };
    ConfidenceInterval generic = Bootstrap.confidenceInterval(labels.length, accuracy, 500, 17L, 0.9);
    ConfidenceInterval classic = Bootstrap.confidenceInterval(labels, p, Examples.ABC,
        ClassificationMetrics::accuracy, 500, 17L, 0.9);
    assertEquals(classic, generic);
    assertEquals(5.0 / 8, generic.estimate(), 1e-15);
  }

  @Test
  void theOverloadWithoutLevelGivesNinetyFivePercent() {
    ToDoubleFunction<int[]> meanIndex = GenericBootstrapTest::mean;
    ConfidenceInterval byDefault = Bootstrap.confidenceInterval(30, meanIndex, 200, 3L);
    assertEquals(Bootstrap.confidenceInterval(30, meanIndex, 200, 3L, 0.95), byDefault);
    assertEquals(0.95, byDefault.level());
    assertEquals(Bootstrap.groupedConfidenceInterval(new int[] {1, 1, 2, 3}, meanIndex, 50, 3L, 0.95),
        Bootstrap.groupedConfidenceInterval(new int[] {1, 1, 2, 3}, meanIndex, 50, 3L));
  }

  @Test
  void resamplesAreDrawnInOrderFromTheSeededGeneratorAndBoundsInterpolate() {
    // Five resamples of four examples replayed by hand: the statistic is the mean index, the bounds at q = 0.1 and
    // 0.9 sit at positions 0.4 and 3.6 of the five sorted values.
    int n = 4;
    List<int[]> seen = new ArrayList<>();
    ConfidenceInterval ci = Bootstrap.confidenceInterval(n, indices -> {
      seen.add(indices);
      return mean(indices);
    }, 5, 99L, 0.8);
    SplittableRandom random = new SplittableRandom(99L);
    double[] expected = new double[5];
    assertArrayEquals(new int[] {0, 1, 2, 3}, seen.get(0));
    for (int r = 0; r < 5; r++) {
      int[] draw = new int[n];
      for (int i = 0; i < n; i++) {
        draw[i] = random.nextInt(n);
      }
      assertArrayEquals(draw, seen.get(r + 1), "resample " + r);
      expected[r] = mean(draw);
    }
    Arrays.sort(expected);
    assertEquals(1.5, ci.estimate(), 0);
    assertEquals(expected[0] + 0.4 * (expected[1] - expected[0]), ci.lower(), 1e-15);
    assertEquals(expected[3] + 0.6 * (expected[4] - expected[3]), ci.upper(), 1e-15);
    assertEquals(99L, ci.seed());
    assertEquals(5, ci.resamples());
  }

  @Test
  void resamplesWithoutBothClassesAreCountedAsUndefinedAndSkipped() {
    // One positive among 20: an AUC is undefined on every resample that misses example 0. Replaying the generator
    // says exactly how many do.
    int n = 20;
    boolean[] positive = new boolean[n];
    positive[0] = true;
    double[] scores = new double[n];
    for (int i = 0; i < n; i++) {
      scores[i] = i == 0 ? 0.9 : 0.04 * i;
    }
    ToDoubleFunction<int[]> auc = indices -> {
      double[] s = new double[indices.length];
      boolean[] t = new boolean[indices.length];
      for (int j = 0; j < indices.length; j++) {
        s[j] = scores[indices[j]];
        t[j] = positive[indices[j]];
      }
      return RankAuc.auroc(s, t);
    };
    ConfidenceInterval ci = Bootstrap.confidenceInterval(n, auc, 300, 5L);
    SplittableRandom random = new SplittableRandom(5L);
    int missing = 0;
    for (int r = 0; r < 300; r++) {
      boolean hit = false;
      for (int i = 0; i < n; i++) {
        hit |= random.nextInt(n) == 0;
      }
      missing += hit ? 0 : 1;
    }
    assertTrue(missing > 50, "about (19/20)^20 = 36% of resamples should miss the positive, got " + missing);
    assertEquals(missing, ci.undefinedResamples());
    // The positive outscores every negative, so every defined resample has AUC 1.
    assertEquals(1, ci.lower(), 0);
    assertEquals(1, ci.upper(), 0);
  }

  @Test
  void everyResampleUndefinedGivesNaNBounds() {
    ConfidenceInterval ci = Bootstrap.confidenceInterval(3, indices -> Double.NaN, 10, 1L);
    assertEquals(10, ci.undefinedResamples());
    assertTrue(Double.isNaN(ci.lower()) && Double.isNaN(ci.upper()) && Double.isNaN(ci.estimate()));
  }

  @Test
  void groupedResamplesConcatenateWholeGroupsInDrawOrder() {
    // Groups by first appearance: id 7 -> {0, 1}, id 3 -> {2, 3, 4}, id 9 -> {5}.
    int[] groups = {7, 7, 3, 3, 3, 9};
    int[][] members = {{0, 1}, {2, 3, 4}, {5}};
    List<int[]> seen = new ArrayList<>();
    Bootstrap.groupedConfidenceInterval(groups, indices -> {
      seen.add(indices);
      return indices.length;
    }, 4, 21L);
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, seen.get(0));
    SplittableRandom random = new SplittableRandom(21L);
    for (int r = 0; r < 4; r++) {
      List<Integer> expected = new ArrayList<>();
      for (int g = 0; g < 3; g++) {
        for (int i : members[random.nextInt(3)]) {
          expected.add(i);
        }
      }
      assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), seen.get(r + 1), "resample " + r);
    }
  }

  @Test
  void groupedResamplingNeverSplitsAGroup() {
    // Examples 0-2 form patient 1; whatever is drawn, they appear equally often.
    int[] groups = {1, 1, 1, 2, 3, 3, 4, 5, 5, 5};
    ConfidenceInterval ci = Bootstrap.groupedConfidenceInterval(groups, indices -> {
      int[] count = new int[10];
      for (int i : indices) {
        count[i]++;
      }
      return count[0] == count[1] && count[1] == count[2] && count[4] == count[5] ? 1 : 0;
    }, 300, 8L);
    assertEquals(1, ci.lower());
    assertEquals(1, ci.upper());
  }

  @Test
  void oneExamplePerGroupIsTheUngroupedBootstrap() {
    ToDoubleFunction<int[]> meanIndex = GenericBootstrapTest::mean;
    int[] groups = {10, 11, 12, 13, 14, 15, 16};
    assertEquals(Bootstrap.confidenceInterval(groups.length, meanIndex, 200, 4L, 0.9),
        Bootstrap.groupedConfidenceInterval(groups, meanIndex, 200, 4L, 0.9));
  }

  @Test
  void severalStatisticsShareOneEvaluationPerResample() {
    AtomicInteger evaluations = new AtomicInteger();
    boolean[] positive = {true, false, true, true, false, false, true, false};
    double[] scores = {0.9, 0.8, 0.7, 0.4, 0.35, 0.3, 0.2, 0.1};
    Map<String, ToDoubleFunction<BinaryMetrics>> statistics = new LinkedHashMap<>();
    statistics.put("auc", BinaryMetrics::auroc);
    statistics.put("sensitivity", BinaryMetrics::sensitivity);
    java.util.function.Function<int[], BinaryMetrics> evaluate = indices -> {
      evaluations.incrementAndGet();
      boolean[] t = new boolean[indices.length];
      double[] s = new double[indices.length];
      for (int j = 0; j < indices.length; j++) {
        t[j] = positive[indices[j]];
        s[j] = scores[indices[j]];
      }
      return BinaryMetrics.of(t, s);
    };
    Map<String, ConfidenceInterval> cis = Bootstrap.confidenceIntervals(8, evaluate, statistics, 100, 12L, 0.95);
    assertEquals(101, evaluations.get());
    assertEquals(List.of("auc", "sensitivity"), List.copyOf(cis.keySet()));
    assertEquals(Bootstrap.confidenceInterval(8, indices -> evaluate.apply(indices).sensitivity(), 100, 12L),
        cis.get("sensitivity"));
    assertEquals(BinaryMetrics.of(positive, scores).auroc(), cis.get("auc").estimate(), 0);

    evaluations.set(0);
    Map<String, ConfidenceInterval> grouped = Bootstrap.groupedConfidenceIntervals(new int[] {1, 1, 2, 2, 3, 3, 4, 4},
        evaluate, statistics, 50, 12L, 0.95);
    assertEquals(51, evaluations.get());
    assertEquals(Bootstrap.groupedConfidenceInterval(new int[] {1, 1, 2, 2, 3, 3, 4, 4},
        indices -> evaluate.apply(indices).auroc(), 50, 12L), grouped.get("auc"));
  }

  @Test
  void rejectsBadSettings() {
    ToDoubleFunction<int[]> meanIndex = GenericBootstrapTest::mean;
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> Bootstrap.confidenceInterval(0, meanIndex, 10, 1L));
    assertTrue(e.getMessage().contains("at least one example"), e.getMessage());
    assertThrows(MedvisionException.class, () -> Bootstrap.groupedConfidenceInterval(new int[0], meanIndex, 10, 1L));
    assertThrows(MedvisionException.class, () -> Bootstrap.confidenceInterval(5, meanIndex, 0, 1L));
    assertThrows(MedvisionException.class, () -> Bootstrap.groupedConfidenceInterval(new int[] {1}, meanIndex, 10,
        1L, 1.0));
  }

  private static double mean(int[] indices) {
    double sum = 0;
    for (int i : indices) {
      sum += i;
    }
    return sum / indices.length;
  }
}
