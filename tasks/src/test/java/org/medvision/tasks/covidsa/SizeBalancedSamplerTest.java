package org.medvision.tasks.covidsa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.Sampler;

class SizeBalancedSamplerTest {
  private static final int K = 5;
  private static final long SEED = 42;
  /**
   * The 0.999 quantile of χ² with 9 degrees of freedom (10 cells − 1): a flat histogram exceeds it with probability
   * 0.001.
   */
  private static final double CHI2_9_999 = 27.877;

  private static final SizeBalancedSampler SAMPLER = new SizeBalancedSampler(CovidDsaSchema.INFECTION_RATIO, K);

  @Test
  void everyClassAndSizeBinCellGetsEqualMass() {
    TestTable table = TestTable.imbalanced();
    SizeBins bins = SAMPLER.cells(table);
    int epochs = 25;
    long[] observed = new long[2 * K];
    int[] unknownSeen = new int[table.size()];
    for (int e = 1; e <= epochs; e++) {
      int[] epoch = SAMPLER.epoch(table, SEED, e);
      assertEquals(table.size(), epoch.length, "epoch length = number of training examples");
      for (int row : epoch) {
        int cell = bins.cellOf(table, row);
        if (cell < 0) {
          unknownSeen[row]++;
        } else {
          observed[cell]++;
        }
      }
    }
    // Scans without a ratio keep their natural share: each exactly once per epoch, as the uniform sampler draws them.
    for (int row : bins.unknown()) {
      assertEquals(epochs, unknownSeen[row], "scan " + row + " without a ratio");
    }
    long draws = Arrays.stream(observed).sum();
    assertEquals((long) epochs * (table.size() - bins.unknown().length), draws);
    double expected = (double) draws / observed.length;
    double chi2 = 0;
    for (long o : observed) {
      chi2 += (o - expected) * (o - expected) / expected;
    }
    System.out.printf(Locale.ROOT, "size-balanced sampler: %d draws over 10 (class, bin) cells %s, expected %.0f "
        + "each; chi-square %.2f (9 df, 0.999 quantile %.2f)%n", draws, Arrays.toString(observed), expected, chi2,
        CHI2_9_999);
    assertTrue(chi2 < CHI2_9_999, "chi-square " + chi2 + " of " + Arrays.toString(observed));
    // The cells are far from equal in the data (CAP has 300 scans with a ratio, COVID-19 100), so flatness is the
    // sampler's doing: under the uniform sampler the COVID-19 cells would get a quarter of the draws, not half.
    long covid = 0;
    for (int b = 0; b < K; b++) {
      covid += observed[K + b];
    }
    assertEquals(0.5, (double) covid / draws, 0.02);
  }

  @Test
  void uniformSamplerMatchesTheDataProportions() {
    TestTable table = TestTable.imbalanced();
    SizeBins bins = SAMPLER.cells(table);
    int[] epoch = Sampler.UNIFORM.epoch(table, SEED, 1);
    int[] perCell = new int[2 * K];
    int[] perCellInData = new int[2 * K];
    for (int row = 0; row < table.size(); row++) {
      int cell = bins.cellOf(table, row);
      if (cell >= 0) {
        perCellInData[cell]++;
      }
    }
    for (int row : epoch) {
      int cell = bins.cellOf(table, row);
      if (cell >= 0) {
        perCell[cell]++;
      }
    }
    assertArrayEquals(perCellInData, perCell, "uniform: every scan once, so every cell at its share of the data");
    int[] sorted = epoch.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      assertEquals(i, sorted[i]);
    }
    // Quantile bins split each class about evenly: 60 CAP and 20 COVID-19 scans per bin.
    for (int b = 0; b < K; b++) {
      assertEquals(60, perCellInData[b], 1);
      assertEquals(20, perCellInData[K + b], 1);
    }
  }

  @Test
  void epochsAreDeterministicInSeedAndEpoch() {
    TestTable table = TestTable.imbalanced();
    int[] a = SAMPLER.epoch(table, SEED, 3);
    assertArrayEquals(a, SAMPLER.epoch(table, SEED, 3), "same (seed, epoch), same epoch");
    assertArrayEquals(a, new SizeBalancedSampler(CovidDsaSchema.INFECTION_RATIO, K).epoch(table, SEED, 3),
        "a new sampler instance replays it");
    assertFalse(Arrays.equals(a, SAMPLER.epoch(table, SEED, 4)), "another epoch, another order");
    assertFalse(Arrays.equals(a, SAMPLER.epoch(table, SEED + 1, 3)), "another seed, another order");
    assertEquals("size-balanced", SAMPLER.name());
  }

  @Test
  void aBinWithoutCasesNamesTheClassAndBinAndSuggestsFewerBins() {
    // COVID-19: ten scans at ratio 0 and five above. Quantile edges at positions 2.8, 5.6, 8.4, 11.2 of 15 give
    // 0, 0, 0, 0.22, so bins 2 and 3, (0, 0], are empty; with 2 bins (edge 0) both are filled.
    int[] labels = new int[25];
    double[] ratios = new double[25];
    for (int i = 0; i < 10; i++) {
      labels[i] = 0;
      ratios[i] = 0.01 * (i + 1);
    }
    for (int i = 10; i < 25; i++) {
      labels[i] = 1;
      ratios[i] = i < 20 ? 0 : 0.1 * (i - 19);
    }
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> SAMPLER.epoch(new TestTable(labels, ratios), SEED, 1));
    String m = e.getMessage();
    assertTrue(m.contains("class 'covid'") && m.contains("size bin 2 of 5") && m.contains("size_bins = 2"), m);
  }

  @Test
  void aClassWithTooFewDistinctRatiosIsAnError() {
    int[] labels = {0, 0, 0, 0, 1, 1, 1, 1, 1, 1};
    double[] ratios = {0.1, 0.1, 0.2, 0.3, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> SAMPLER.cells(new TestTable(labels, ratios)));
    assertTrue(e.getMessage().contains("class 'cap' has 3 distinct infection_ratio") && e.getMessage()
        .contains("at most 3"), e.getMessage());

    double[] none = {Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
    MedvisionException noRatio = assertThrows(MedvisionException.class,
        () -> SAMPLER.cells(new TestTable(labels, none)));
    assertTrue(noRatio.getMessage().contains("class 'cap' has 0 distinct") && noRatio.getMessage()
        .contains("infection mask"), noRatio.getMessage());
  }

  @Test
  void oneBinBalancesTheClassesOnly() {
    TestTable table = TestTable.imbalanced();
    SizeBalancedSampler classes = new SizeBalancedSampler(CovidDsaSchema.INFECTION_RATIO, 1);
    SizeBins bins = classes.cells(table);
    assertEquals(2, bins.occupiedCells().size());
    assertEquals(300, bins.occupiedCells().get(0).length);
    assertEquals(100, bins.occupiedCells().get(1).length);
    assertThrows(IllegalArgumentException.class, () -> new SizeBalancedSampler(CovidDsaSchema.INFECTION_RATIO, 0));
  }
}
