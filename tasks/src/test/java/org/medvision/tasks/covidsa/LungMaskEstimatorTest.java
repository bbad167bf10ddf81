package org.medvision.tasks.covidsa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link LungMaskEstimator} on a synthetic chest: a soft-tissue body (40 HU) in air (−1000 HU) that reaches the
 * in-plane border, two lungs (−850 HU) cut by the first and last slices, a consolidation (30 HU) inside the left lung,
 * and a pocket of bowel gas (−900 HU) between them.
 */
class LungMaskEstimatorTest {
  private static final int NX = 48;
  private static final int NY = 40;
  private static final int NZ = 20;
  private static final double[] SPACING = {0.8, 0.8, 2.5};

  /** A voxel of the volume, x fastest. */
  private static int index(int x, int y, int z) {
    return (z * NY + y) * NX + x;
  }

  private static boolean inEllipsoid(int x, int y, int z, double cx, double cy, double cz, double rx, double ry,
      double rz) {
    double dx = (x - cx) / rx;
    double dy = (y - cy) / ry;
    double dz = (z - cz) / rz;
    return dx * dx + dy * dy + dz * dz <= 1;
  }

  private static boolean leftLung(int x, int y, int z) {
    return inEllipsoid(x, y, z, 14, 20, 10, 7, 10, 12);
  }

  private static boolean rightLung(int x, int y, int z, double scale) {
    return inEllipsoid(x, y, z, 34, 20, 10, 6 * scale, 9 * scale, 12 * scale);
  }

  /** The chest; {@code rightScale} shrinks the right lung. */
  private static float[] chest(double rightScale) {
    float[] v = new float[NX * NY * NZ];
    for (int z = 0; z < NZ; z++) {
      for (int y = 0; y < NY; y++) {
        for (int x = 0; x < NX; x++) {
          float hu = -1000;
          if (inEllipsoid(x, y, 0, 24, 20, 0, 20, 16, 1)) {
            hu = 40;
          }
          if (leftLung(x, y, z) || rightLung(x, y, z, rightScale)) {
            hu = -850;
          }
          if (inEllipsoid(x, y, z, 14, 20, 10, 3, 3, 3)) {
            hu = 30;
          }
          if (inEllipsoid(x, y, z, 24, 30, 4, 1.5, 1.5, 1.5)) {
            hu = -900;
          }
          v[index(x, y, z)] = hu;
        }
      }
    }
    return v;
  }

  @Test
  void findsBothLungsWithTheConsolidationAndNothingElse() {
    byte[] mask = LungMaskEstimator.standard().estimate(chest(1), new int[] {NX, NY, NZ}, SPACING);
    byte[] truth = new byte[mask.length];
    int lungVoxels = 0;
    for (int z = 0; z < NZ; z++) {
      for (int y = 0; y < NY; y++) {
        for (int x = 0; x < NX; x++) {
          if (leftLung(x, y, z) || rightLung(x, y, z, 1)) {
            truth[index(x, y, z)] = 1;
            lungVoxels++;
          }
        }
      }
    }
    assertTrue(lungVoxels > 5000, "lungs of " + lungVoxels + " voxels");
    assertArrayEquals(truth, mask, "the lungs, consolidation filled, without outside air and bowel gas");
    assertEquals(1, mask[index(14, 20, 10)], "the consolidation's centre");
    assertEquals(1, mask[index(14, 20, 0)], "the lungs reach the first slice, which is not border");
    assertEquals(0, mask[index(24, 30, 4)], "bowel gas");
    assertEquals(0, mask[index(0, 0, 10)], "outside air");
  }

  @Test
  void aSecondComponentBelowTheFractionIsLeftOut() {
    // A right "lung" 0.3 times the size in each direction (about 70 voxels) holds under 10% of the left's voxels but
    // more than the bowel gas (19), so it is the second-largest component.
    byte[] mask = LungMaskEstimator.standard().estimate(chest(0.3), new int[] {NX, NY, NZ}, SPACING);
    assertEquals(0, mask[index(34, 20, 10)], "small second component");
    assertEquals(1, mask[index(14, 25, 10)], "left lung");
    byte[] kept = new LungMaskEstimator(LungMaskEstimator.AIR_HU, 0.0).estimate(chest(0.3),
        new int[] {NX, NY, NZ}, SPACING);
    assertEquals(1, kept[index(34, 20, 10)], "kept when any second component counts");
  }

  @Test
  void noEnclosedAirGivesAnEmptyMask() {
    float[] v = new float[NX * NY * NZ];
    java.util.Arrays.fill(v, 40);
    for (int y = 0; y < NY; y++) {
      v[index(0, y, 5)] = -1000;
    }
    byte[] mask = LungMaskEstimator.standard().estimate(v, new int[] {NX, NY, NZ}, SPACING);
    for (byte b : mask) {
      assertEquals(0, b);
    }
  }

  @Test
  void describesItselfAndChecksItsInput() {
    LungMaskEstimator e = LungMaskEstimator.standard();
    assertTrue(e.description().contains("-400 HU") && e.description().contains("10%"), e.description());
    assertEquals(e, LungMaskEstimator.standard(), "equal estimators keep data schemas equal");
    assertThrows(IllegalArgumentException.class, () -> e.estimate(new float[10], new int[] {2, 2, 2}, SPACING));
    assertThrows(IllegalArgumentException.class, () -> new LungMaskEstimator(-400, 1.5));
  }
}
