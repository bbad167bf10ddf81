package org.medvision.io.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

/** Checks slices against the construction masks the generator returns. */
class BrainCtPhantomTest {
  private static final int SIZE = 96;
  private static final int SEEDS = 12;

  private static Slice slice(BrainCtClass c, Difficulty d, long seed) {
    return new BrainCtPhantom(SIZE, SIZE, d).generate(c, new SplittableRandom(seed));
  }

  @Test
  void noiseFreeValuesLieInEachTissuesRangeAndNoisyMeansToo() {
    for (Difficulty d : new Difficulty[] {Difficulty.EASY, Difficulty.MEDIUM, Difficulty.HARD}) {
      for (BrainCtClass c : BrainCtClass.values()) {
        for (long seed = 0; seed < SEEDS; seed++) {
          Slice s = slice(c, d, seed);
          float[] clean = s.noiseFree();
          float[] hu = s.hu();
          for (Tissue t : Tissue.values()) {
            boolean[] m = s.mask(t);
            double sum = 0;
            int n = 0;
            for (int i = 0; i < m.length; i++) {
              if (m[i]) {
                assertTrue(clean[i] >= t.minHu() && clean[i] <= t.maxHu(),
                    t + " pixel " + i + " = " + clean[i] + " HU (" + c + ", seed " + seed + ")");
                sum += hu[i];
                n++;
              }
            }
            if (n >= 30) {
              // 30 pixels of sigma <= 6 noise: the mean is within 4.5 standard errors (~5 HU) of the clean values.
              double mean = sum / n;
              assertTrue(mean >= t.minHu() - 5 && mean <= t.maxHu() + 5, t + " mean " + mean);
            }
          }
        }
      }
    }
  }

  @Test
  void everySliceHasTheNormalAnatomyAndOnlyItsClassesLesion() {
    for (BrainCtClass c : BrainCtClass.values()) {
      for (long seed = 0; seed < SEEDS; seed++) {
        Slice s = slice(c, Difficulty.HARD, seed);
        for (Tissue t : new Tissue[] {Tissue.AIR, Tissue.SKULL, Tissue.GREY_MATTER, Tissue.WHITE_MATTER, Tissue.CSF}) {
          assertTrue(s.count(t) > 20, t + " missing in " + c + " seed " + seed);
        }
        int blood = s.count(Tissue.HEMORRHAGE);
        int infarct = s.count(Tissue.INFARCT);
        assertEquals(c == BrainCtClass.HEMORRHAGIC, blood >= 6, c + " seed " + seed + ": " + blood + " blood px");
        assertEquals(c == BrainCtClass.ISCHEMIC, infarct >= 6, c + " seed " + seed + ": " + infarct + " infarct px");
        assertTrue(c == BrainCtClass.HEMORRHAGIC || blood == 0);
        assertTrue(c == BrainCtClass.ISCHEMIC || infarct == 0);
      }
    }
  }

  @Test
  void theSkullSeparatesBrainFromAir() {
    for (long seed = 0; seed < SEEDS; seed++) {
      Slice s = slice(BrainCtClass.HEMORRHAGIC, Difficulty.EASY, seed);
      for (int r = 1; r < SIZE - 1; r++) {
        for (int c = 1; c < SIZE - 1; c++) {
          Tissue t = s.tissueAt(r, c);
          if (t == Tissue.AIR || t == Tissue.SKULL) {
            continue;
          }
          for (int[] o : new int[][] {{-1, 0}, {1, 0}, {0, -1}, {0, 1}}) {
            assertFalse(s.tissueAt(r + o[0], c + o[1]) == Tissue.AIR, "brain touches air at " + r + "," + c);
          }
        }
      }
      assertEquals(Tissue.AIR, s.tissueAt(0, 0));
    }
  }

  @Test
  void noiseHasTheStatedSigmaWithinThreeToSixHu() {
    Slice s = slice(BrainCtClass.NORMAL, Difficulty.MEDIUM, 3);
    float[] hu = s.hu();
    float[] clean = s.noiseFree();
    double sum = 0;
    double sq = 0;
    for (int i = 0; i < hu.length; i++) {
      double d = hu[i] - clean[i];
      sum += d;
      sq += d * d;
    }
    int n = hu.length;
    double sd = Math.sqrt(sq / n - (sum / n) * (sum / n));
    assertTrue(s.noiseSigma() >= 3 && s.noiseSigma() <= 6, "sigma " + s.noiseSigma());
    // 9216 samples: the sample sd is within 3% of sigma with overwhelming probability (se ~ 0.74%).
    assertEquals(s.noiseSigma(), sd, 0.03 * s.noiseSigma());
  }

  @Test
  void harderLesionsAreSmallerAndCloserToNormalTissue() {
    double[] easy = lesionStats(Difficulty.EASY);
    double[] hard = lesionStats(Difficulty.HARD);
    assertTrue(hard[0] < 0.7 * easy[0], "blood area easy " + easy[0] + " hard " + hard[0]);
    assertTrue(hard[1] < easy[1] - 10, "blood HU easy " + easy[1] + " hard " + hard[1]);
    assertTrue(hard[2] < 0.7 * easy[2], "infarct area easy " + easy[2] + " hard " + hard[2]);
    assertTrue(hard[3] > easy[3] + 4, "infarct HU easy " + easy[3] + " hard " + hard[3]);
  }

  /** Mean hemorrhage area, mean hemorrhage HU, mean infarct area, mean infarct HU over 20 slices each. */
  private static double[] lesionStats(Difficulty d) {
    double[] out = new double[4];
    for (long seed = 0; seed < 20; seed++) {
      out[0] += slice(BrainCtClass.HEMORRHAGIC, d, seed).count(Tissue.HEMORRHAGE) / 20.0;
      out[1] += meanOf(slice(BrainCtClass.HEMORRHAGIC, d, seed), Tissue.HEMORRHAGE) / 20.0;
      out[2] += slice(BrainCtClass.ISCHEMIC, d, seed).count(Tissue.INFARCT) / 20.0;
      out[3] += meanOf(slice(BrainCtClass.ISCHEMIC, d, seed), Tissue.INFARCT) / 20.0;
    }
    return out;
  }

  private static double meanOf(Slice s, Tissue t) {
    boolean[] m = s.mask(t);
    float[] v = s.noiseFree();
    double sum = 0;
    int n = 0;
    for (int i = 0; i < m.length; i++) {
      if (m[i]) {
        sum += v[i];
        n++;
      }
    }
    return sum / n;
  }

  @Test
  void sameSeedSameSliceDifferentSeedDifferentSlice() {
    Slice a = slice(BrainCtClass.ISCHEMIC, Difficulty.MEDIUM, 42);
    assertTrue(a.contentEquals(slice(BrainCtClass.ISCHEMIC, Difficulty.MEDIUM, 42)));
    assertFalse(a.contentEquals(slice(BrainCtClass.ISCHEMIC, Difficulty.MEDIUM, 43)));
  }

  @Test
  void tooSmallSizeIsRefused() {
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> new BrainCtPhantom(16, 64, Difficulty.EASY));
    assertTrue(e.getMessage().contains("16x64"), e.getMessage());
  }
}
