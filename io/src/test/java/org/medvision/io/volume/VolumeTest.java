package org.medvision.io.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

/** Volume storage order, geometry accessors, world/voxel maps and the world-space comparison. */
class VolumeTest {
  private static final Affine GEOMETRY = Affine.ofRows(new double[][] {
    {0, 0, -2, 30}, {0.5, 0, 0, -10}, {0, 0.25, 0, 5}});

  @Test
  void storageIsXFastestWithFrames() {
    float[] v = new float[2 * 3 * 4 * 2];
    for (int i = 0; i < v.length; i++) {
      v[i] = i;
    }
    Volume volume = Volume.copyOf(new int[] {2, 3, 4, 2}, v, Affine.identity());
    v[0] = -1;
    assertEquals(0, volume.get(0, 0, 0), "copyOf copies");
    assertEquals(1 + 2 * (2 + 3 * (3 + 4 * 1)), volume.get(1, 2, 3, 1));
    assertEquals(2, volume.frames());
    assertEquals(24, volume.frame(1).get(0, 0, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> volume.get(2, 0, 0));
    assertTrue(volume.voxels().isReadOnly());
    assertThrows(MedvisionException.class, () -> Volume.adopt(new int[] {2, 2, 2}, new float[7], Affine.identity()));
  }

  @Test
  void geometryAccessorsAndWorldVoxelMaps() {
    Volume volume = Volume.adopt(new int[] {4, 4, 4}, new float[64], GEOMETRY);
    // Columns: x steps 0.5 along world y, y steps 0.25 along world z, z steps 2 along world -x.
    assertArrayEquals(new double[] {0.5, 0.25, 2}, volume.spacing(), 1e-15);
    assertArrayEquals(new double[] {0, 1, 0}, volume.direction()[0], 1e-15);
    assertArrayEquals(new double[] {0, 0, 1}, volume.direction()[1], 1e-15);
    assertArrayEquals(new double[] {-1, 0, 0}, volume.direction()[2], 1e-15);
    assertArrayEquals(new double[] {30, -10, 5}, volume.origin(), 0);
    // Voxel (1, 2, 3): x = 30 - 2 * 3 = 24, y = -10 + 0.5 * 1 = -9.5, z = 5 + 0.25 * 2 = 5.5.
    assertArrayEquals(new double[] {24, -9.5, 5.5}, volume.voxelToWorld(1, 2, 3), 1e-12);
    assertArrayEquals(new double[] {1, 2, 3}, volume.worldToVoxel(24, -9.5, 5.5), 1e-12);
    assertEquals(0, GEOMETRY.multiply(GEOMETRY.inverse()).maxAbsDifference(Affine.identity()), 1e-12);
    assertTrue(GEOMETRY.isOrthogonal(1e-12));
    assertEquals(GEOMETRY, GEOMETRY.flipXy().flipXy());
    assertThrows(MedvisionException.class, () -> Affine.diagonal(1, 0, 1, 0, 0, 0).inverse());
  }

  @Test
  void comparisonInWorldCoordinatesSeesThroughFlippedStorage() {
    int nx = 3;
    int ny = 4;
    int nz = 2;
    float[] a = new float[nx * ny * nz];
    float[] b = new float[a.length];
    for (int z = 0; z < nz; z++) {
      for (int y = 0; y < ny; y++) {
        for (int x = 0; x < nx; x++) {
          a[x + nx * (y + ny * z)] = 100 * z + 10 * y + x;
          // b stores rows bottom-up, as dcm2niix does for many DICOM series.
          b[x + nx * ((ny - 1 - y) + ny * z)] = 100 * z + 10 * y + x;
        }
      }
    }
    Affine affineA = Affine.diagonal(0.5, 0.5, 2, -20, 30, 7);
    // b's row 0 is a's row ny - 1: origin moves by (ny - 1) * 0.5 along y, and the y step is negated.
    Affine affineB = Affine.ofRows(new double[][] {{0.5, 0, 0, -20}, {0, -0.5, 0, 31.5}, {0, 0, 2, 7}});
    Volume va = Volume.adopt(new int[] {nx, ny, nz}, a, affineA);
    Volume vb = Volume.adopt(new int[] {nx, ny, nz}, b, affineB);
    VolumeComparison.Result same = VolumeComparison.compare(va, vb, 1e-6);
    assertTrue(same.equalWithin(0), same.toString());
    b[0] += 0.25f;
    VolumeComparison.Result changed = VolumeComparison.compare(va, vb, 1e-6);
    assertEquals(0.25, changed.maxAbsDifference(), 1e-6);
    assertArrayEquals(new int[] {0, ny - 1, 0, 0}, changed.worstVoxel());
    VolumeComparison.Result shifted = VolumeComparison.compare(va, vb.withAffine(affineB.withOrigin(
        new double[] {-20.25, 31.5, 7})), 1e-6);
    assertFalse(shifted.sameGrid(), "half a voxel off: nothing matches");
    assertEquals(0, shifted.compared());
  }
}
