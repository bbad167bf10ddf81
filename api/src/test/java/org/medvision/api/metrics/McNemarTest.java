package org.medvision.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

class McNemarTest {
  @Test
  void textbookExampleByHand() {
    // 30 samples: 15 both right, 2 both wrong, 10 only A right (b), 3 only B right (c).
    int n = 30;
    int[] labels = new int[n];
    int[] a = new int[n];
    int[] b = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 3;
      boolean aRight = i < 15 || (i >= 17 && i < 27);
      boolean bRight = i < 15 || i >= 27;
      a[i] = aRight ? labels[i] : (labels[i] + 1) % 3;
      b[i] = bRight ? labels[i] : (labels[i] + 2) % 3;
    }
    McNemar t = McNemar.test(labels, a, b);
    assertEquals(10, t.b());
    assertEquals(3, t.c());
    assertEquals(13, t.discordant());
    // (|10 - 3| - 1)^2 / 13 = 36/13.
    assertEquals(36.0 / 13, t.chiSquare(), 1e-15);
    // Upper tail of chi-square(1) at 36/13, reference scipy.stats.chi2.sf(36/13, 1).
    assertEquals(0.0960923294556734, t.chiSquarePValue(), 1e-12);
    // 2 * P(X <= 3) for Binomial(13, 1/2) = 2 * 378 / 8192.
    assertEquals(756.0 / 8192, t.exactPValue(), 1e-15);
    assertEquals(t.exactPValue(), t.recommendedPValue());
  }

  @Test
  void manyDiscordantSamplesRecommendTheChiSquareTest() {
    McNemar t = McNemar.of(100, 20, 10);
    // (10 - 1)^2 / 30 = 2.7; 2 P(X <= 10) for Binomial(30, 1/2) is larger than the chi-square tail.
    assertEquals(2.7, t.chiSquare(), 1e-15);
    assertEquals(t.chiSquarePValue(), t.recommendedPValue());
  }

  @Test
  void swappingTheModelsSwapsBAndCAndKeepsThePValues() {
    McNemar ab = McNemar.of(50, 7, 2);
    McNemar ba = McNemar.of(50, 2, 7);
    assertEquals(ab.chiSquarePValue(), ba.chiSquarePValue(), 0);
    assertEquals(ab.exactPValue(), ba.exactPValue(), 0);
  }

  @Test
  void noDiscordantSamplesMeansNoEvidence() {
    int[] labels = {0, 1, 2};
    McNemar t = McNemar.test(labels, labels, new int[] {0, 1, 2});
    assertEquals(0, t.chiSquare());
    assertEquals(1, t.chiSquarePValue());
    assertEquals(1, t.exactPValue());
  }

  @Test
  void equalDiscordantCountsKeepTheCorrectionAsWritten() {
    // b = c = 13: (0 - 1)^2 / 26 = 1/26, as R's mcnemar.test reports; the exact p-value caps at 1.
    McNemar t = McNemar.of(40, 13, 13);
    assertEquals(1.0 / 26, t.chiSquare(), 1e-15);
    assertEquals(1, t.exactPValue());
    assertTrue(t.chiSquarePValue() > 0.8 && t.chiSquarePValue() < 1);
  }

  @Test
  void mapViewNamesTheRecommendedTest() {
    Map<String, Object> m = McNemar.of(30, 10, 3).toMap();
    assertEquals(10L, m.get("b"));
    assertEquals("exact binomial", m.get("recommendedTest"));
  }

  @Test
  void rejectsArraysOfDifferentLengths() {
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> McNemar.test(new int[] {0, 1}, new int[] {0, 1}, new int[] {0}));
    assertTrue(e.getMessage().contains("1 from B"), e.getMessage());
    assertThrows(MedvisionException.class, () -> McNemar.of(5, 4, 3));
  }
}
