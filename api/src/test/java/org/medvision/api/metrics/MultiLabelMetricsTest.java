package org.medvision.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

class MultiLabelMetricsTest {
  private static final double TOL = 1e-12;
  private static final List<String> NAMES = List.of("effusion", "nodule", "edema");

  /**
   * Four samples, three labels. "effusion" truth 1 0 1 0 with scores .9 .8 .3 .1; "nodule" is never present;
   * "edema" is always present. The 0.2 and 0.9 scores recur across labels, which makes ties in the pooled cells.
   */
  private static final int[][] TRUTH = {{1, 0, 1}, {0, 0, 1}, {1, 0, 1}, {0, 0, 1}};
  private static final float[][] SCORES = {
      {0.9f, 0.2f, 0.5f},
      {0.8f, 0.4f, 0.7f},
      {0.3f, 0.6f, 0.2f},
      {0.1f, 0.2f, 0.9f},
  };

  @Test
  void perLabelScoresAndExclusionsByHand() {
    MultiLabelMetrics m = MultiLabelMetrics.compute(TRUTH, SCORES, NAMES);
    LabelScores effusion = m.labels().get(0);
    // Positives .9 and .3 against negatives .8 and .1: three of four pairs won.
    assertEquals(0.75, effusion.auroc(), TOL);
    // Ranks .9 P (R 1/2, P 1), .8 N, .3 P (R 1, P 2/3).
    assertEquals(0.5 + 0.5 * 2.0 / 3, effusion.averagePrecision(), TOL);
    assertEquals(2, effusion.positives());
    assertTrue(Double.isNaN(m.labels().get(1).auroc()));
    assertTrue(Double.isNaN(m.labels().get(1).averagePrecision()));
    assertTrue(Double.isNaN(m.labels().get(2).auroc()));
    assertEquals(1, m.labels().get(2).averagePrecision(), TOL);
    assertEquals(List.of("nodule", "edema"), m.aurocExcluded());
    assertEquals(List.of("nodule"), m.averagePrecisionExcluded());
    assertEquals(0.75, m.macroAuroc(), TOL);
    assertEquals((5.0 / 6 + 1) / 2, m.macroAveragePrecision(), TOL);
    assertEquals(4, m.samples());
  }

  @Test
  void microScoresPoolEveryCellByHand() {
    MultiLabelMetrics m = MultiLabelMetrics.compute(TRUTH, SCORES, NAMES);
    // Positive cells .9 .3 (effusion) .5 .7 .2 .9 (edema); negative cells .8 .1 (effusion) .2 .4 .6 .2 (nodule).
    // Wins over the six negatives: .9 -> 6, .3 -> 3, .5 -> 4, .7 -> 5, .2 -> 1 + two ties, .9 -> 6; 26 of 36.
    assertEquals(26.0 / 36, m.microAuroc(), TOL);
    // Descending thresholds: .9 (2 P) R 2/6 P 1; .7 R 3/6 P 3/4; .5 R 4/6 P 4/6; .3 R 5/6 P 5/8;
    // .2 (1 P, 2 N) R 1 P 6/11.
    double ap = 2.0 / 6 + (3.0 / 4 + 4.0 / 6 + 5.0 / 8 + 6.0 / 11) / 6;
    assertEquals(ap, m.microAveragePrecision(), TOL);
  }

  @Test
  void booleanAndIntegerTruthAgree() {
    boolean[][] flags = new boolean[TRUTH.length][TRUTH[0].length];
    for (int i = 0; i < TRUTH.length; i++) {
      for (int k = 0; k < TRUTH[0].length; k++) {
        flags[i][k] = TRUTH[i][k] == 1;
      }
    }
    assertEquals(MultiLabelMetrics.compute(TRUTH, SCORES, NAMES), MultiLabelMetrics.compute(flags, SCORES, NAMES));
  }

  @Test
  void noDefinedLabelGivesNaNMacroValues() {
    MultiLabelMetrics m = MultiLabelMetrics.compute(new int[][] {{0}, {0}}, new float[][] {{0.1f}, {0.2f}},
        List.of("x"));
    assertTrue(Double.isNaN(m.macroAuroc()));
    assertTrue(Double.isNaN(m.macroAveragePrecision()));
    assertTrue(Double.isNaN(m.microAuroc()));
    assertTrue(Double.isNaN(m.microAveragePrecision()));
    assertEquals(null, ((java.util.Map<?, ?>) m.toMap().get("macro")).get("auroc"));
  }

  @Test
  void rejectsInvalidInputs() {
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> MultiLabelMetrics.compute(new int[][] {{2}}, new float[][] {{0.5f}}, List.of("x")));
    assertTrue(e.getMessage().contains("expected 0 or 1"), e.getMessage());
    assertThrows(MedvisionException.class,
        () -> MultiLabelMetrics.compute(new int[][] {{1, 0}}, new float[][] {{0.5f}}, List.of("x", "y")));
    assertThrows(MedvisionException.class,
        () -> MultiLabelMetrics.compute(new int[0][], new float[0][], List.of("x")));
    assertThrows(MedvisionException.class,
        () -> MultiLabelMetrics.compute(new int[][] {{1, 0}}, new float[][] {{0.5f, 0.2f}}, List.of("x", "x")));
    assertThrows(MedvisionException.class,
        () -> MultiLabelMetrics.compute(new int[][] {{1}}, new float[][] {{Float.NaN}}, List.of("x")));
  }
}
