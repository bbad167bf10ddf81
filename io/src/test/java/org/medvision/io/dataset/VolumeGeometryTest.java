package org.medvision.io.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.io.transform.VolumeOps;
import org.medvision.io.volume.Affine;
import org.medvision.io.volume.Reorientation;
import org.medvision.io.volume.Volume;

/**
 * {@link VolumeGeometry#toSource}: maps on a tensor's grid land on the source voxels they were read from, through a
 * transposed and flipped storage order and a crop.
 */
class VolumeGeometryTest {
  /**
   * A source stored like a sagittal series: 5 x 3 x 4 voxels, index i running inferior (3 mm), j posterior (2 mm), k
   * towards the right (1.5 mm). Voxel values are 1 + the flat source index.
   */
  private static Volume source() {
    int[] dims = {5, 3, 4};
    float[] v = new float[60];
    for (int i = 0; i < v.length; i++) {
      v[i] = i + 1;
    }
    Affine a = Affine.ofRows(new double[][] {{0, 0, -1.5, 30}, {0, 2, 0, -8}, {-3, 0, 0, 40}});
    return Volume.adopt(dims, v, a);
  }

  /** The crop box in canonical voxels: x 1..2, y 0..1, z 1..3 (canonical extents are 4 x 3 x 5). */
  private static final int[] BOX = {1, 0, 1, 3, 2, 4};

  /** The canonical index of source voxel (i, j, k), found through world coordinates. */
  private static int[] canonicalIndex(Volume canonical, Volume src, int i, int j, int k) {
    double[] w = src.voxelToWorld(i, j, k);
    double[] c = canonical.worldToVoxel(w[0], w[1], w[2]);
    return new int[] {(int) Math.round(c[0]), (int) Math.round(c[1]), (int) Math.round(c[2])};
  }

  private static boolean inBox(int[] c) {
    return c[0] >= BOX[0] && c[0] < BOX[3] && c[1] >= BOX[1] && c[1] < BOX[4] && c[2] >= BOX[2] && c[2] < BOX[5];
  }

  @Test
  void aMapOnTheCroppedTensorGridComesBackOnItsSourceVoxels() {
    Volume src = source();
    Reorientation r = Reorientation.of(src.affine());
    Volume canonical = r.apply(src);
    assertArrayEquals(new int[] {4, 3, 5}, canonical.dims());
    // The tensor is the crop itself (D, H, W = 3, 2, 2), so each cell is one source voxel and holds its value.
    float[] crop = VolumeOps.crop(canonical.toArray(), canonical.dims(), BOX);
    VolumeGeometry g = new VolumeGeometry(src.dims(), src.affine(), r, BOX, new int[] {3, 2, 2});
    Volume back = g.toSource(Tensor.of(Shape.of(3, 2, 2), crop));
    assertArrayEquals(src.dims(), back.dims());
    assertEquals(src.affine(), back.affine());
    int inside = 0;
    for (int k = 0; k < 4; k++) {
      for (int j = 0; j < 3; j++) {
        for (int i = 0; i < 5; i++) {
          boolean in = inBox(canonicalIndex(canonical, src, i, j, k));
          assertEquals(in ? src.get(i, j, k) : 0f, back.get(i, j, k), "source voxel " + i + "," + j + "," + k);
          inside += in ? 1 : 0;
        }
      }
    }
    assertEquals(12, inside);
  }

  @Test
  void aCoarseMapIsResampledOverTheBoxAndZeroOutside() {
    Volume src = source();
    Reorientation r = Reorientation.of(src.affine());
    Volume canonical = r.apply(src);
    VolumeGeometry g = new VolumeGeometry(src.dims(), src.affine(), r, BOX, new int[] {3, 2, 2});
    // Two cells along D (superior): the box's three slices read the map at -1/6 (clamped), 1/2 and 7/6 (clamped).
    Volume back = g.toSource(Tensor.of(Shape.of(2, 1, 1), 0.2f, 0.8f));
    float[] bySlice = {0.2f, 0.5f, 0.8f};
    for (int k = 0; k < 4; k++) {
      for (int j = 0; j < 3; j++) {
        for (int i = 0; i < 5; i++) {
          int[] c = canonicalIndex(canonical, src, i, j, k);
          float want = inBox(c) ? bySlice[c[2] - BOX[2]] : 0f;
          assertEquals(want, back.get(i, j, k), 1e-6f, "source voxel " + i + "," + j + "," + k);
        }
      }
    }
    // Source i runs inferior, so the most superior slice of the box (0.8) is at the smallest i inside it.
    assertEquals(0.8f, back.get(1, 0, 1), 1e-6f);
    assertEquals(0.2f, back.get(3, 0, 1), 1e-6f);
  }

  @Test
  void onlyThreeDimensionalMapsAreAccepted() {
    Volume src = source();
    VolumeGeometry g = new VolumeGeometry(src.dims(), src.affine(), Reorientation.of(src.affine()), BOX,
        new int[] {3, 2, 2});
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> g.toSource(Tensor.zeros(org.medvision.api.tensor.DType.FLOAT32, Shape.of(1, 3, 2, 2))));
    assertTrue(e.getMessage().contains("[d, h, w]"), e.getMessage());
  }
}
