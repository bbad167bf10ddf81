package org.medvision.io.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link Reorientation}: one physical volume stored three ways (canonical, in NIfTI's usual RAS order, and transposed
 * and flipped like a sagittal acquisition) comes out as the same canonical voxels with the same affine, and every
 * voxel keeps its world position.
 */
class ReorientationTest {
  /** The canonical grid: x towards the patient's left, y posterior, z superior. */
  private static final int[] DIMS = {4, 3, 5};
  private static final Affine CANONICAL = Affine.diagonal(1.5, 2, 3, -10, 20, 5);

  /** Canonical voxel (x, y, z) holds 1 + its flat index, so every voxel is told apart. */
  private static Volume canonical() {
    float[] v = new float[DIMS[0] * DIMS[1] * DIMS[2]];
    for (int i = 0; i < v.length; i++) {
      v[i] = i + 1;
    }
    return Volume.adopt(DIMS, v, CANONICAL);
  }

  private static float canonicalValue(int x, int y, int z) {
    return 1 + x + DIMS[0] * (y + DIMS[1] * z);
  }

  /**
   * Stored in RAS order, as NIfTI tools write it: index i runs towards the right (canonical x reversed), j towards
   * anterior (y reversed), k superior.
   */
  private static Volume rasStored() {
    int[] dims = {4, 3, 5};
    float[] v = new float[60];
    int n = 0;
    for (int k = 0; k < dims[2]; k++) {
      for (int j = 0; j < dims[1]; j++) {
        for (int i = 0; i < dims[0]; i++) {
          v[n++] = canonicalValue(3 - i, 2 - j, k);
        }
      }
    }
    double[] origin = CANONICAL.apply(3, 2, 0);
    Affine a = Affine.ofRows(new double[][] {{-1.5, 0, 0, origin[0]}, {0, -2, 0, origin[1]}, {0, 0, 3, origin[2]}});
    return Volume.adopt(dims, v, a);
  }

  /**
   * Stored transposed and flipped, like a sagittal series: index i runs inferior (canonical z reversed), j posterior
   * (y), k towards the right (x reversed).
   */
  private static Volume sagittalStored() {
    int[] dims = {5, 3, 4};
    float[] v = new float[60];
    int n = 0;
    for (int k = 0; k < dims[2]; k++) {
      for (int j = 0; j < dims[1]; j++) {
        for (int i = 0; i < dims[0]; i++) {
          v[n++] = canonicalValue(3 - k, j, 4 - i);
        }
      }
    }
    double[] origin = CANONICAL.apply(3, 0, 4);
    Affine a = Affine.ofRows(new double[][] {{0, 0, -1.5, origin[0]}, {0, 2, 0, origin[1]}, {-3, 0, 0, origin[2]}});
    return Volume.adopt(dims, v, a);
  }

  @Test
  void rasStorageIsFlippedAlongXAndY() {
    Reorientation r = Reorientation.of(rasStored().affine());
    assertArrayEquals(new int[] {0, 1, 2}, r.permutation());
    assertArrayEquals(new boolean[] {true, true, false}, r.flip());
    assertFalse(r.isIdentity());
    assertCanonical(r.apply(rasStored()));
  }

  @Test
  void transposedAndFlippedStorageIsPermutedBack() {
    Reorientation r = Reorientation.of(sagittalStored().affine());
    // Canonical x comes from stored k (reversed), y from j, z from i (reversed).
    assertArrayEquals(new int[] {2, 1, 0}, r.permutation());
    assertArrayEquals(new boolean[] {true, false, true}, r.flip());
    assertCanonical(r.apply(sagittalStored()));
  }

  @Test
  void everyVoxelKeepsItsWorldPosition() {
    for (Volume stored : new Volume[] {rasStored(), sagittalStored()}) {
      Volume out = Reorientation.of(stored.affine()).apply(stored);
      int[] d = stored.dims();
      for (int k = 0; k < d[2]; k++) {
        for (int j = 0; j < d[1]; j++) {
          for (int i = 0; i < d[0]; i++) {
            double[] world = stored.voxelToWorld(i, j, k);
            double[] c = out.worldToVoxel(world[0], world[1], world[2]);
            int x = (int) Math.round(c[0]);
            int y = (int) Math.round(c[1]);
            int z = (int) Math.round(c[2]);
            assertArrayEquals(new double[] {x, y, z}, c, 1e-9, "voxel " + i + "," + j + "," + k);
            assertEquals(stored.get(i, j, k), out.get(x, y, z), "voxel " + i + "," + j + "," + k);
          }
        }
      }
    }
  }

  @Test
  void canonicalStorageIsLeftAsItIs() {
    Volume c = canonical();
    Reorientation r = Reorientation.of(c.affine());
    assertTrue(r.isIdentity());
    assertSame(c, r.apply(c));
  }

  @Test
  void obliqueAxesGoToTheNearestWorldAxis() {
    // Rotated 20 degrees about z: still x/y; rotated 70 degrees: index i is nearest to posterior, j to the right.
    Reorientation slight = Reorientation.of(rotatedAboutZ(20));
    assertTrue(slight.isIdentity());
    Reorientation steep = Reorientation.of(rotatedAboutZ(70));
    assertArrayEquals(new int[] {1, 0, 2}, steep.permutation());
    assertArrayEquals(new boolean[] {true, false, false}, steep.flip());
  }

  private static Affine rotatedAboutZ(double degrees) {
    double c = Math.cos(Math.toRadians(degrees));
    double s = Math.sin(Math.toRadians(degrees));
    return Affine.of(new double[] {1, 1, 1}, new double[][] {{c, s, 0}, {-s, c, 0}, {0, 0, 1}},
        new double[] {0, 0, 0});
  }

  private static void assertCanonical(Volume out) {
    Volume want = canonical();
    assertArrayEquals(want.dims(), out.dims());
    assertArrayEquals(want.toArray(), out.toArray());
    assertEquals(0, want.affine().maxAbsDifference(out.affine()), 1e-9, out.affine().toString());
  }
}
