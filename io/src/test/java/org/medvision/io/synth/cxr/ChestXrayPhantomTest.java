package org.medvision.io.synth.cxr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

/**
 * The radiograph phantom: deterministic, each finding drawn where and as it should be, and visible at 64 pixels. Every
 * check compares an image with the same image without the finding (same patient, positioning, exposure and noise), so
 * the difference is the finding alone.
 */
class ChestXrayPhantomTest {
  private static final int CASES = 16;
  /** Grey levels (of 255) a pixel must change by to count as showing the finding. */
  private static final int VISIBLE = 12;

  private static int[] grey(byte[] pixels) {
    int[] out = new int[pixels.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = pixels[k] & 0xFF;
    }
    return out;
  }

  private static int[] diff(ChestXrayPhantom p, int seed, Set<CxrFinding> with) {
    boolean ap = seed % 3 == 0;
    boolean female = seed % 2 == 0;
    int[] a = grey(p.draw(1000 + seed, 5000 + seed, ap, female, with).pixels());
    int[] b = grey(p.draw(1000 + seed, 5000 + seed, ap, female, Set.of()).pixels());
    int[] d = new int[a.length];
    for (int k = 0; k < d.length; k++) {
      d[k] = a[k] - b[k];
    }
    return d;
  }

  @Test
  void theSameSeedsGiveTheSamePixelsAndOtherSeedsOthers() {
    ChestXrayPhantom p = new ChestXrayPhantom(48);
    Set<CxrFinding> f = EnumSet.of(CxrFinding.EFFUSION, CxrFinding.NODULE);
    assertArrayEquals(p.draw(1, 2, false, true, f).pixels(), p.draw(1, 2, false, true, f).pixels());
    assertFalse(java.util.Arrays.equals(p.draw(1, 2, false, true, f).pixels(), p.draw(1, 3, false, true, f)
        .pixels()));
    assertEquals(48 * 48, p.draw(1, 2, false, true, f).pixels().length);
    assertThrows(MedvisionException.class, () -> new ChestXrayPhantom(31));
    assertThrows(MedvisionException.class, () -> new ChestXrayPhantom(1025));
  }

  @Test
  void cardiomegalyMakesTheHeartWiderThanHalfTheChestAndNothingElseDoes() {
    ChestXrayPhantom p = new ChestXrayPhantom(64);
    double with = 0;
    double without = 0;
    for (int s = 0; s < CASES; s++) {
      Set<CxrFinding> others = EnumSet.of(CxrFinding.values()[s % CxrFinding.values().length]);
      others.remove(CxrFinding.CARDIOMEGALY);
      Set<CxrFinding> enlarged = EnumSet.copyOf(others);
      enlarged.add(CxrFinding.CARDIOMEGALY);
      ChestXrayPhantom.Radiograph big = p.draw(s, 100 + s, s % 2 == 0, s % 3 == 0, enlarged);
      ChestXrayPhantom.Radiograph normal = p.draw(s, 100 + s, s % 2 == 0, s % 3 == 0, others);
      assertTrue(big.cardiothoracicRatio() >= CxrFinding.CARDIOMEGALY_CTR_MIN, "case " + s);
      assertTrue(normal.cardiothoracicRatio() <= Thorax.NORMAL_CTR_MAX, "case " + s + " with " + others);
      with += big.cardiothoracicRatio();
      without += normal.cardiothoracicRatio();
    }
    assertTrue(with / CASES > 0.55 && without / CASES < 0.45, with / CASES + " vs " + without / CASES);
  }

  @Test
  void theHeartDrawnIsAsWideAsTheGeometrySaysAboveTheDiaphragm() {
    ChestXrayPhantom p = new ChestXrayPhantom(64);
    for (int s = 0; s < CASES; s++) {
      Set<CxrFinding> f = s % 2 == 0 ? EnumSet.of(CxrFinding.CARDIOMEGALY) : Set.of();
      Thorax t = p.thorax(s, 300 + s, s % 3 == 0, true, f);
      // As a radiologist measures it: the silhouette's greatest reach to either side of the midline, at whatever
      // levels, where it lies above the hemidiaphragm; sampled on a 0.2 mm grid.
      double step = 0.02;
      double toLeft = 0;
      double toRight = 0;
      for (double y = t.apexY; y < t.fov; y += step) {
        for (double x = 0; x < t.fov; x += step) {
          if (t.heart(x, y) >= 0.5 && y < t.dome(t.sideOf(x), x)) {
            toLeft = Math.max(toLeft, t.midline() - x);
            toRight = Math.max(toRight, x - t.midline());
          }
        }
      }
      // Each side's reach is missed by under one step in x, plus a little for the sampled rows near the extreme.
      assertEquals(t.heartWidth(), toLeft + toRight, 3 * step, "case " + s);
      assertEquals(p.draw(s, 300 + s, s % 3 == 0, true, f).cardiothoracicRatio(), t.cardiothoracicRatio(), 1e-12);
    }
  }

  @Test
  void everyFindingChangesClearlyVisiblePixelsAt64() {
    ChestXrayPhantom p = new ChestXrayPhantom(64);
    for (CxrFinding f : CxrFinding.values()) {
      int shown = 0;
      for (int s = 0; s < CASES; s++) {
        int visible = 0;
        for (int d : diff(p, s, EnumSet.of(f))) {
          visible += Math.abs(d) >= VISIBLE ? 1 : 0;
        }
        shown += visible >= 4 ? 1 : 0;
      }
      assertTrue(shown >= CASES - 1, f + " visible in " + shown + " of " + CASES + " images");
    }
  }

  @Test
  void opacitiesBrightenAndLucenciesDarken() {
    ChestXrayPhantom p = new ChestXrayPhantom(64);
    Set<CxrFinding> brighter = EnumSet.of(CxrFinding.EFFUSION, CxrFinding.NODULE, CxrFinding.MASS,
        CxrFinding.CONSOLIDATION, CxrFinding.PNEUMONIA, CxrFinding.EDEMA, CxrFinding.PLEURAL_THICKENING);
    Set<CxrFinding> darker = EnumSet.of(CxrFinding.EMPHYSEMA, CxrFinding.PNEUMOTHORAX, CxrFinding.HERNIA);
    for (int s = 0; s < CASES; s++) {
      for (CxrFinding f : brighter) {
        long sum = 0;
        for (int d : diff(p, s, EnumSet.of(f))) {
          sum += d;
        }
        assertTrue(sum > 0, f + " case " + s + ": " + sum);
      }
      for (CxrFinding f : darker) {
        int darkest = 0;
        for (int d : diff(p, s, EnumSet.of(f))) {
          darkest = Math.min(darkest, d);
        }
        assertTrue(darkest <= -VISIBLE, f + " case " + s + ": " + darkest);
      }
    }
  }

  @Test
  void noduleAndMassAreRoundOpacitiesOfTheirSizeAndTouchNothingElse() {
    ChestXrayPhantom p = new ChestXrayPhantom(128);
    for (int s = 0; s < CASES; s++) {
      int[] nodule = diff(p, s, EnumSet.of(CxrFinding.NODULE));
      int[] mass = diff(p, s, EnumSet.of(CxrFinding.MASS));
      int noduleArea = 0;
      int massArea = 0;
      int untouched = 0;
      for (int k = 0; k < nodule.length; k++) {
        noduleArea += nodule[k] >= VISIBLE ? 1 : 0;
        massArea += mass[k] >= VISIBLE ? 1 : 0;
        untouched += nodule[k] == 0 && mass[k] == 0 ? 1 : 0;
        assertTrue(nodule[k] >= -2 && mass[k] >= -2, "a solid lesion only adds density");
      }
      Thorax t = p.thorax(1000 + s, 5000 + s, s % 3 == 0, s % 2 == 0, Set.of());
      double pixel = t.fov / 128;
      // Up to three nodules under 3 cm against one mass over 3 cm: the mass covers more than any single nodule can.
      double oneNoduleMax = Math.PI * Math.pow(Lesions.THREE_CM / 2 / pixel + 1, 2);
      double massMin = Math.PI * Math.pow(Lesions.THREE_CM / 2 / pixel, 2) * 0.8;
      assertTrue(noduleArea > 0 && noduleArea <= 3 * oneNoduleMax, "nodules " + noduleArea + " case " + s);
      assertTrue(massArea >= massMin, "mass " + massArea + " < " + massMin + " case " + s);
      assertTrue(untouched > nodule.length * 0.8, "the rest of the film is unchanged, case " + s);
    }
  }
}
