package org.medvision.io.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

/** Hand-worked cases of {@link VolumeOps}; {@link VolumeResizeTorchTest} checks resizing against PyTorch. */
class VolumeOpsTest {
  /** Index of voxel (x, y, z) in a volume of {@code dims}, x fastest. */
  private static int at(int[] dims, int x, int y, int z) {
    return (z * dims[1] + y) * dims[0] + x;
  }

  @Test
  void boundingBoxIsWidenedByTheMarginAndClampedToTheVolume() {
    int[] dims = {5, 4, 3};
    float[] mask = new float[60];
    mask[at(dims, 1, 2, 0)] = 1;
    mask[at(dims, 3, 1, 2)] = 0.5f;
    assertArrayEquals(new int[] {1, 1, 0, 4, 3, 3}, VolumeOps.boundingBox(mask, dims, new int[] {0, 0, 0}));
    // x: [1, 3] widened by 1 -> [0, 5); y: [1, 2] by 0 -> [1, 3); z: [0, 2] by 2 -> [-2, 5) clamped to [0, 3).
    assertArrayEquals(new int[] {0, 1, 0, 5, 3, 3}, VolumeOps.boundingBox(mask, dims, new int[] {1, 0, 2}));
    assertNull(VolumeOps.boundingBox(new float[60], dims, new int[] {1, 1, 1}));
  }

  @Test
  void cropKeepsTheBoxInStorageOrder() {
    int[] dims = {4, 3, 2};
    float[] v = new float[24];
    for (int i = 0; i < v.length; i++) {
      v[i] = i;
    }
    // x 1..2, y 1..2, z 0..1: rows (y, z) = (1, 0), (2, 0), (1, 1), (2, 1), each x = 1, 2.
    assertArrayEquals(new float[] {5, 6, 9, 10, 17, 18, 21, 22}, VolumeOps.crop(v, dims, new int[] {1, 1, 0, 3, 3, 2}));
    assertArrayEquals(v, VolumeOps.crop(v, dims, new int[] {0, 0, 0, 4, 3, 2}));
  }

  @Test
  void clipAndScaleMapsTheRangeOntoZeroToOne() {
    float[] v = {-100, 0, 50, 200, 300};
    VolumeOps.clipAndScale(v, 0, 200);
    assertArrayEquals(new float[] {0, 0, 0.25f, 1, 1}, v);
    float[] hu = {-1200, -300, 600};
    VolumeOps.clipAndScale(hu, -1200, 600);
    assertArrayEquals(new float[] {0, 0.5f, 1}, hu, 1e-7f);
  }

  @Test
  void resizeSamplesAtPixelCentresAndClampsAtTheEdges() {
    // Up 2 -> 4: sources -0.25 (clamped to 0), 0.25, 0.75, 1.25 (past the last voxel: its value).
    assertArrayEquals(new float[] {0, 0.25f, 0.75f, 1}, VolumeOps.resize(new float[] {0, 1}, new int[] {2, 1, 1},
        new int[] {4, 1, 1}));
    // Down 4 -> 2: sources 0.5 and 2.5.
    assertArrayEquals(new float[] {0.5f, 2.5f}, VolumeOps.resize(new float[] {0, 1, 2, 3}, new int[] {4, 1, 1},
        new int[] {2, 1, 1}));
    // Down 5 -> 2 (not divisible): sources 0.75 and 3.25.
    float[] five = {0, 10, 20, 30, 40};
    assertArrayEquals(new float[] {7.5f, 32.5f}, VolumeOps.resize(five, new int[] {5, 1, 1}, new int[] {2, 1, 1}));
    // The same along y and along z.
    assertArrayEquals(new float[] {7.5f, 32.5f}, VolumeOps.resize(five, new int[] {1, 5, 1}, new int[] {1, 2, 1}));
    assertArrayEquals(new float[] {7.5f, 32.5f}, VolumeOps.resize(five, new int[] {1, 1, 5}, new int[] {1, 1, 2}));
    float[] same = {1, 2, 3};
    assertSame(same, VolumeOps.resize(same, new int[] {3, 1, 1}, new int[] {3, 1, 1}));
  }

  @Test
  void resizeOfALinearFunctionIsThatFunctionAtTheClampedSourcePositions() {
    int[] in = {3, 4, 5};
    int[] out = {5, 2, 7};
    float[] v = new float[60];
    for (int z = 0; z < in[2]; z++) {
      for (int y = 0; y < in[1]; y++) {
        for (int x = 0; x < in[0]; x++) {
          v[at(in, x, y, z)] = x + 10 * y + 100 * z;
        }
      }
    }
    float[] r = VolumeOps.resize(v, in, out);
    for (int z = 0; z < out[2]; z++) {
      for (int y = 0; y < out[1]; y++) {
        for (int x = 0; x < out[0]; x++) {
          double want = source(x, in[0], out[0]) + 10 * source(y, in[1], out[1]) + 100 * source(z, in[2], out[2]);
          assertEquals(want, r[at(out, x, y, z)], 1e-4, "voxel " + x + "," + y + "," + z);
        }
      }
    }
  }

  /** Where output index o of an axis of n → m samples its source: (o + 0.5)·n/m − 0.5, clamped to [0, n − 1]. */
  private static double source(int o, int n, int m) {
    return Math.min(n - 1, Math.max(0, (o + 0.5) * n / m - 0.5));
  }

  @Test
  void reduceThresholdsTheInsideFractionOfOverlappingCells() {
    // Five voxels into two cells: [0, 3) and [2, 5) (adaptive pooling; voxel 2 is in both).
    float[] row = {1, 1, 0, 0, 1};
    int[] dims = {5, 1, 1};
    int[] grid = {2, 1, 1};
    assertArrayEquals(new float[] {1, 0}, VolumeOps.reduce(row, dims, grid, 0.5)); // 2/3 and 1/3
    assertArrayEquals(new float[] {1, 1}, VolumeOps.reduce(row, dims, grid, 1 / 3.0));
    assertArrayEquals(new float[] {0, 0}, VolumeOps.reduce(row, dims, grid, 0.7));
  }

  @Test
  void reduceInThreeDimensionsWithANonDivisibleAxis() {
    // 4 x 3 x 2 voxels to a 2 x 2 x 1 grid: x cells [0, 2), [2, 4); y cells [0, 2), [1, 3); z [0, 2). 8 voxels each.
    int[] dims = {4, 3, 2};
    float[] m = new float[24];
    for (int z = 0; z < 2; z++) {
      m[at(dims, 0, 0, z)] = 1;
      m[at(dims, 1, 0, z)] = 1;
    }
    m[at(dims, 3, 1, 0)] = 1;
    m[at(dims, 2, 2, 0)] = 1;
    m[at(dims, 2, 2, 1)] = 1;
    m[at(dims, 3, 2, 1)] = 1;
    // Cells (x, y): (0, 0) 4/8; (1, 0) 1/8 (voxel (3, 1, 0)); (0, 1) 0/8; (1, 1) 4/8 (y = 1 and 2).
    int[] grid = {2, 2, 1};
    assertArrayEquals(new float[] {1, 0, 0, 1}, VolumeOps.reduce(m, dims, grid, 0.5));
    assertArrayEquals(new float[] {1, 1, 0, 1}, VolumeOps.reduce(m, dims, grid, 0.125));
    assertArrayEquals(new float[] {0, 0, 0, 0}, VolumeOps.reduce(m, dims, grid, 0.6));
    // A grid equal to the mask keeps it.
    assertArrayEquals(m, VolumeOps.reduce(m, dims, dims, 1));
  }

  @Test
  void reduceRefusesAFinerGrid() {
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> VolumeOps.reduce(new float[6], new int[] {3, 2, 1}, new int[] {3, 3, 1}, 0.5));
    assertTrue(e.getMessage().contains("3x2x1 voxels to a grid of 3x3x1"), e.getMessage());
  }

  @Test
  void binarizeAndCount() {
    float[] v = {0.49f, 0.5f, 1.2f, -1, 0};
    VolumeOps.binarize(v);
    assertArrayEquals(new float[] {0, 1, 1, 0, 0}, v);
    assertEquals(2, VolumeOps.count(v));
    assertEquals(3, VolumeOps.count(new float[] {-1, 0, 2, 0.1f}));
  }
}
