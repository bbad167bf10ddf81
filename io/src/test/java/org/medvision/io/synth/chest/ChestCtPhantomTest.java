package org.medvision.io.synth.chest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.io.volume.Volume;

class ChestCtPhantomTest {
  private static final ChestCtPhantom PHANTOM = new ChestCtPhantom(48);

  private static ChestCtScan scan(ChestCtClass c, double ratio, long seed) {
    return PHANTOM.generate(c, ratio, new SplittableRandom(seed), new SplittableRandom(~seed));
  }

  /** Voxel values of {@code t} in the final image, sorted. */
  private static int[] huOf(ChestCtScan s, ChestTissue t) {
    ScanGeometry g = s.geometry();
    int[] out = new int[g.voxels()];
    int n = 0;
    for (int z = 0; z < g.slices(); z++) {
      for (int y = 0; y < g.size(); y++) {
        for (int x = 0; x < g.size(); x++) {
          if (s.tissue(x, y, z) == t) {
            out[n++] = s.hu(x, y, z);
          }
        }
      }
    }
    int[] sorted = Arrays.copyOf(out, n);
    Arrays.sort(sorted);
    return sorted;
  }

  private static int median(int[] sorted) {
    return sorted[sorted.length / 2];
  }

  @Test
  void everyNoiseFreeValueLiesInItsTissuesRangeAndImageMediansStayNear() {
    Map<ChestTissue, Integer> seen = new EnumMap<>(ChestTissue.class);
    for (long seed = 1; seed <= 6; seed++) {
      ChestCtClass c = seed % 2 == 0 ? ChestCtClass.COVID : ChestCtClass.CAP;
      ChestCtScan s = scan(c, seed <= 2 ? 0.3 : 0.05, seed);
      ScanGeometry g = s.geometry();
      for (int z = 0; z < g.slices(); z++) {
        for (int y = 0; y < g.size(); y++) {
          for (int x = 0; x < g.size(); x++) {
            ChestTissue t = s.tissue(x, y, z);
            float v = s.cleanHu(x, y, z);
            assertTrue(v >= t.minHu() && v <= t.maxHu(), t + " at " + x + "," + y + "," + z + " is " + v);
            int hu = s.hu(x, y, z);
            assertTrue(hu >= -1024 && hu <= 3071, "image value " + hu);
            seen.merge(t, 1, Integer::sum);
          }
        }
      }
      // Noise and blur move single voxels, but the bulk of each tissue stays where it belongs.
      assertEquals(-1000, median(huOf(s, ChestTissue.AIR)), 40);
      assertTrue(Math.abs(median(huOf(s, ChestTissue.LUNG)) + 820) < 100, "lung " + median(huOf(s, ChestTissue.LUNG)));
      assertTrue(Math.abs(median(huOf(s, ChestTissue.SOFT_TISSUE)) - 40) < 45, "soft tissue");
      assertTrue(median(huOf(s, ChestTissue.FAT)) < -40, "fat " + median(huOf(s, ChestTissue.FAT)));
      assertTrue(median(huOf(s, ChestTissue.BONE)) > 200, "bone " + median(huOf(s, ChestTissue.BONE)));
      ChestTissue lesion = c == ChestCtClass.COVID ? ChestTissue.GROUND_GLASS : ChestTissue.CONSOLIDATION;
      int m = median(huOf(s, lesion));
      assertTrue(m > lesion.minHu() - 120 && m < lesion.maxHu() + 60, lesion + " median " + m);
    }
    for (ChestTissue t : ChestTissue.values()) {
      if (t != ChestTissue.DENSE_OPACITY) {
        assertTrue(seen.containsKey(t), "no " + t + " drawn");
      }
    }
  }

  @Test
  void covidShowsGroundGlassAndNeverConsolidationCapTheReverse() {
    int dense = 0;
    for (long seed = 10; seed < 20; seed++) {
      ChestCtScan covid = scan(ChestCtClass.COVID, 0.2, seed);
      assertTrue(huOf(covid, ChestTissue.GROUND_GLASS).length > 0);
      assertEquals(0, huOf(covid, ChestTissue.CONSOLIDATION).length);
      dense += huOf(covid, ChestTissue.DENSE_OPACITY).length > 0 ? 1 : 0;
      ChestCtScan cap = scan(ChestCtClass.CAP, 0.2, seed);
      assertTrue(huOf(cap, ChestTissue.CONSOLIDATION).length > 0);
      assertEquals(0, huOf(cap, ChestTissue.DENSE_OPACITY).length);
    }
    assertTrue(dense > 0 && dense < 10, "COVID-19 scans with a dense core: " + dense + " of 10");
  }

  @Test
  void vesselsShowThroughGroundGlassButNotConsolidationWhichCarriesAirBronchograms() {
    int withBronchograms = 0;
    int capWithoutHalo = 0;
    int vesselsInGroundGlass = 0;
    for (long seed = 30; seed < 36; seed++) {
      int[] cap = inLesion(scan(ChestCtClass.CAP, 0.25, seed));
      withBronchograms += cap[ChestTissue.AIRWAY.ordinal()] > 0 ? 1 : 0;
      if (cap[ChestTissue.GROUND_GLASS.ordinal()] == 0) {
        capWithoutHalo++;
        assertEquals(0, cap[ChestTissue.VESSEL.ordinal()], "a vessel shows through consolidation, seed " + seed);
      }
      int[] covid = inLesion(scan(ChestCtClass.COVID, 0.25, seed));
      vesselsInGroundGlass += covid[ChestTissue.VESSEL.ordinal()] > 0 ? 1 : 0;
    }
    assertTrue(withBronchograms >= 5, "CAP scans with air bronchograms: " + withBronchograms + " of 6");
    assertTrue(capWithoutHalo > 0, "every CAP scan had a halo");
    assertTrue(vesselsInGroundGlass >= 5, "COVID-19 scans with vessels in the lesions: " + vesselsInGroundGlass);
  }

  /** Infected voxels per tissue. */
  private static int[] inLesion(ChestCtScan s) {
    ScanGeometry g = s.geometry();
    Volume infection = s.infectionMask();
    int[] counts = new int[ChestTissue.values().length];
    for (int z = 0; z < g.slices(); z++) {
      for (int y = 0; y < g.size(); y++) {
        for (int x = 0; x < g.size(); x++) {
          if (infection.get(x, y, z) > 0) {
            counts[s.tissue(x, y, z).ordinal()]++;
          }
        }
      }
    }
    return counts;
  }

  @Test
  void masksAreBinaryOnTheCtGridAndInfectionLiesInsideTheLungs() {
    for (ChestCtClass c : ChestCtClass.values()) {
      ChestCtScan s = scan(c, 0.1, 41);
      Volume ct = s.ct();
      Volume lung = s.lungMask();
      Volume infection = s.infectionMask();
      assertArrayEquals(ct.dims(), lung.dims());
      assertArrayEquals(ct.dims(), infection.dims());
      assertEquals(ct.affine(), lung.affine());
      assertEquals(ct.affine(), infection.affine());
      assertEquals(s.geometry().affine(), ct.affine());
      int lungCount = 0;
      int infected = 0;
      for (int i = 0; i < ct.size(); i++) {
        float l = lung.voxels().get(i);
        float f = infection.voxels().get(i);
        assertTrue(l == 0 || l == 1);
        assertTrue(f == 0 || f == 1);
        assertTrue(f <= l, "infected voxel " + i + " outside the lungs");
        lungCount += (int) l;
        infected += (int) f;
      }
      assertEquals(s.lungVoxels(), lungCount);
      assertEquals(s.infectedVoxels(), infected);
      assertEquals(0.1, s.infectionRatio(), 1.0 / lungCount + 1e-9, c + " hits its target ratio to the voxel");
      assertTrue(lungCount > 0.04 * ct.size(), "lungs fill a good part of the scan: " + lungCount);
    }
  }

  @Test
  void geometryVariesWithinTheDocumentedRanges() {
    double[] spacings = new double[8];
    for (int i = 0; i < 8; i++) {
      ScanGeometry g = scan(ChestCtClass.COVID, 0.05, 50 + i).geometry();
      assertEquals(48, g.size());
      assertEquals(24, g.slices());
      double fov = g.size() * g.pixelSpacing();
      assertTrue(fov >= 319.9 && fov <= 400.1, "field of view " + fov);
      double ratio = g.sliceSpacing() / g.pixelSpacing();
      assertTrue(ratio >= 1.5 - 1e-3 && ratio <= 3.0, "slice/pixel spacing " + ratio);
      assertEquals(-(g.size() - 1) / 2.0 * g.pixelSpacing(), g.originX(), 0.006);
      spacings[i] = g.pixelSpacing();
    }
    assertTrue(Arrays.stream(spacings).distinct().count() > 4, "spacing varies: " + Arrays.toString(spacings));
  }

  @Test
  void theRightLungIsTheLargerAndFollowUpsShareTheAnatomy() {
    for (long seed = 0; seed < 8; seed++) {
      Thorax t = new Thorax(new SplittableRandom(seed), 1.0);
      long[] volume = new long[2];
      for (double z = -40; z < t.lungHeight() + 10; z += 4) {
        for (double y = -160; y < 160; y += 4) {
          for (double x = -200; x < 200; x += 4) {
            if (t.lungs().depth(x, y, z) > 0) {
              volume[t.lungs().side(x)]++;
            }
          }
        }
      }
      assertTrue(volume[Lungs.RIGHT] > volume[Lungs.LEFT], "patient " + seed + ": " + Arrays.toString(volume));
      assertTrue(volume[Lungs.LEFT] > 0.6 * volume[Lungs.RIGHT], "patient " + seed + ": " + Arrays.toString(volume));
    }
    ChestCtScan first = PHANTOM.generate(ChestCtClass.CAP, 0.05, new SplittableRandom(5), new SplittableRandom(1));
    ChestCtScan again = PHANTOM.generate(ChestCtClass.CAP, 0.05, new SplittableRandom(5), new SplittableRandom(1));
    ChestCtScan followUp = PHANTOM.generate(ChestCtClass.CAP, 0.05, new SplittableRandom(5), new SplittableRandom(2));
    assertArrayEquals(first.ct().toArray(), again.ct().toArray(), 0f);
    assertArrayEquals(first.infectionMask().toArray(), again.infectionMask().toArray(), 0f);
    assertFalse(Arrays.equals(first.ct().toArray(), followUp.ct().toArray()));
    assertEquals(first.lungVoxels(), followUp.lungVoxels(), 0.25 * first.lungVoxels(), "same patient, similar lungs");
  }

  @Test
  void covidIsPosteriorAndBasalCapUsuallyOneSided() {
    int posterior = 0;
    int basal = 0;
    int oneSidedCap = 0;
    int bilateralCovid = 0;
    int scans = 10;
    for (long seed = 60; seed < 60 + scans; seed++) {
      double[] covid = centroids(scan(ChestCtClass.COVID, 0.08, seed));
      posterior += covid[1] > covid[4] ? 1 : 0;
      basal += covid[2] < covid[5] ? 1 : 0;
      bilateralCovid += covid[6] > 0 && covid[7] > 0 ? 1 : 0;
      double[] cap = centroids(scan(ChestCtClass.CAP, 0.02, seed));
      oneSidedCap += cap[6] == 0 || cap[7] == 0 ? 1 : 0;
    }
    assertTrue(posterior >= 8, "COVID-19 infection behind the lung centroid in " + posterior + " of " + scans);
    assertTrue(basal >= 7, "COVID-19 infection below the lung centroid in " + basal + " of " + scans);
    assertTrue(bilateralCovid >= 8, "bilateral COVID-19 in " + bilateralCovid + " of " + scans);
    assertTrue(oneSidedCap >= 7, "one-sided CAP in " + oneSidedCap + " of " + scans);
  }

  /**
   * Infection centroid (x, y, z), lung centroid (x, y, z), infected voxels left and right of the lungs' middle column.
   */
  private static double[] centroids(ChestCtScan s) {
    ScanGeometry g = s.geometry();
    Volume lung = s.lungMask();
    Volume infection = s.infectionMask();
    double[] sum = new double[8];
    int lungs = 0;
    int infected = 0;
    double minX = g.size();
    double maxX = 0;
    for (int z = 0; z < g.slices(); z++) {
      for (int y = 0; y < g.size(); y++) {
        for (int x = 0; x < g.size(); x++) {
          if (lung.get(x, y, z) > 0) {
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
          }
        }
      }
    }
    double middle = (minX + maxX) / 2;
    for (int z = 0; z < g.slices(); z++) {
      for (int y = 0; y < g.size(); y++) {
        for (int x = 0; x < g.size(); x++) {
          if (lung.get(x, y, z) > 0) {
            sum[3] += x;
            sum[4] += y;
            sum[5] += z;
            lungs++;
          }
          if (infection.get(x, y, z) > 0) {
            sum[0] += x;
            sum[1] += y;
            sum[2] += z;
            sum[x < middle ? 6 : 7]++;
            infected++;
          }
        }
      }
    }
    for (int i = 0; i < 3; i++) {
      sum[i] /= infected;
      sum[i + 3] /= lungs;
    }
    return sum;
  }

  @Test
  void refusesSizesAndRatiosOutsideTheRange() {
    MedvisionException small = assertThrows(MedvisionException.class, () -> new ChestCtPhantom(31));
    assertTrue(small.getMessage().contains("32 to 256") && small.getMessage().contains("31"), small.getMessage());
    assertThrows(MedvisionException.class, () -> new ChestCtPhantom(257));
    MedvisionException ratio = assertThrows(MedvisionException.class, () -> scan(ChestCtClass.CAP, 0, 1));
    assertTrue(ratio.getMessage().contains("between 0 and 1"), ratio.getMessage());
    assertThrows(MedvisionException.class, () -> scan(ChestCtClass.CAP, 1, 1));
  }
}
