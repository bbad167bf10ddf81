package org.medvision.io.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.io.volume.Affine;
import org.medvision.io.volume.Volume;

/** Resampling, crop/pad and percentile normalisation against hand-computed values. */
class GeometryTransformsTest {
  private static final Affine OBLIQUE = Affine.ofRows(new double[][] {
    {0, 0, 2, -5}, {1, 0, 0, 3}, {0, 1, 0, 11}});

  /** A 4x1x1 ramp 0, 10, 20, 30 along x, spacing 1 mm. */
  private static Volume ramp() {
    return Volume.copyOf(new int[] {4, 1, 1}, new float[] {0, 10, 20, 30}, Affine.diagonal(1, 1, 1, 0, 0, 0));
  }

  @Test
  void downsamplingByTwoAveragesPairs() {
    // f = 2: output j samples x = (j + 0.5) * 2 - 0.5 = 2j + 0.5, halfway between voxels 2j and 2j + 1.
    Volume out = Resampler.resample(ramp(), new double[] {2, 1, 1}, Interpolation.TRILINEAR);
    assertArrayEquals(new int[] {2, 1, 1}, out.dims());
    assertArrayEquals(new float[] {5, 25}, out.toArray(), 1e-6f);
    // The new voxel 0 centre is at x = 0.5 mm in the world: between the old centres 0 and 1.
    assertArrayEquals(new double[] {0.5, 0, 0}, out.voxelToWorld(0, 0, 0), 1e-12);
    assertArrayEquals(new double[] {2, 1, 1}, out.spacing(), 1e-12);
  }

  @Test
  void upsamplingByTwoInterpolatesAndClampsAtTheEdges() {
    // f = 0.5: x = (j + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, ... 3.25; outside [0, 3] the edge value is used.
    Volume out = Resampler.resample(ramp(), new double[] {0.5, 1, 1}, Interpolation.TRILINEAR);
    assertArrayEquals(new float[] {0, 2.5f, 7.5f, 12.5f, 17.5f, 22.5f, 27.5f, 30}, out.toArray(), 1e-5f);
    Volume mask = Volume.copyOf(new int[] {4, 1, 1}, new float[] {0, 1, 1, 2}, ramp().affine());
    Volume nearest = Resampler.resample(mask, new double[] {0.5, 1, 1}, Interpolation.NEAREST);
    // Nearest of x = -0.25, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3.25 -> 0, 0, 1, 1, 2, 2, 3, 3.
    assertArrayEquals(new float[] {0, 0, 1, 1, 1, 1, 2, 2}, nearest.toArray(), 0);
  }

  @Test
  void resamplingPreservesWorldPositionsOnAnObliqueGrid() {
    // A volume whose value is a linear function of world position: trilinear sampling reproduces it exactly inside.
    int[] dims = {5, 6, 7};
    float[] v = new float[5 * 6 * 7];
    Volume probe = Volume.adopt(dims, v, OBLIQUE);
    for (int z = 0; z < 7; z++) {
      for (int y = 0; y < 6; y++) {
        for (int x = 0; x < 5; x++) {
          double[] w = probe.voxelToWorld(x, y, z);
          v[x + 5 * (y + 6 * z)] = (float) (3 * w[0] - 2 * w[1] + 0.5 * w[2]);
        }
      }
    }
    // Spacing of OBLIQUE is (1, 1, 2); resample to (0.5, 2, 1).
    Volume out = Resampler.resample(probe, new double[] {0.5, 2, 1}, Interpolation.TRILINEAR);
    assertArrayEquals(new int[] {10, 3, 14}, out.dims());
    assertArrayEquals(new double[] {0.5, 2, 1}, out.spacing(), 1e-12);
    assertArrayEquals(OBLIQUE.direction()[2], out.direction()[2], 1e-12);
    for (int z = 1; z < 13; z++) {
      for (int y = 0; y < 3; y++) {
        for (int x = 1; x < 9; x++) {
          double[] w = out.voxelToWorld(x, y, z);
          assertEquals(3 * w[0] - 2 * w[1] + 0.5 * w[2], out.get(x, y, z), 1e-4, "voxel " + x + "," + y + "," + z);
        }
      }
    }
    assertThrows(MedvisionException.class, () -> Resampler.resample(probe, new double[] {1, 0, 1},
        Interpolation.NEAREST));
  }

  @Test
  void centredCropAndPad() {
    float[] v = new float[5 * 3 * 1];
    for (int i = 0; i < v.length; i++) {
      v[i] = i;
    }
    Volume volume = Volume.copyOf(new int[] {5, 3, 1}, v, Affine.diagonal(2, 3, 4, 100, 200, 300));
    // x: 5 -> 2, start floor(3 / 2) = 1; y: 3 -> 5, start floor(-2 / 2) = -1; z: 1 -> 1.
    Volume out = CropPad.centered(volume, new int[] {2, 5, 1}, -7);
    assertArrayEquals(new int[] {2, 5, 1}, out.dims());
    assertArrayEquals(new float[] {-7, -7, 1, 2, 6, 7, 11, 12, -7, -7}, out.toArray(), 0);
    // Output voxel (0, 0, 0) is input (1, -1, 0): world (100 + 2, 200 - 3, 300).
    assertArrayEquals(new double[] {102, 197, 300}, out.origin(), 1e-12);
    assertArrayEquals(volume.voxelToWorld(1, 1, 0), out.voxelToWorld(0, 2, 0), 1e-12);
    Volume boxed = CropPad.box(volume, new int[] {4, 2, 0}, new int[] {3, 1, 1}, 0);
    assertArrayEquals(new float[] {14, 0, 0}, boxed.toArray(), 0);
    assertThrows(MedvisionException.class, () -> CropPad.centered(volume, new int[] {0, 1, 1}, 0));
  }

  @Test
  void percentileNormalisationClipsAndScales() {
    float[] v = new float[100];
    for (int i = 0; i < 100; i++) {
      v[i] = i + 1;
    }
    Volume volume = Volume.copyOf(new int[] {10, 10, 1}, v, Affine.identity());
    // Rank h = 0.995 * 99 = 98.505 between 99 and 100: 99 + 0.505 = 99.505.
    assertEquals(99.505, PercentileNormalizer.percentile(volume, 99.5), 1e-9);
    assertEquals(1, PercentileNormalizer.percentile(volume, 0), 0);
    assertEquals(50.5, PercentileNormalizer.percentile(volume, 50), 1e-12);
    float[] out = PercentileNormalizer.normalize(volume, 0, 99.5).toArray();
    assertEquals(0, out[0], 0);
    assertEquals((50 - 1) / 98.505, out[49], 1e-6);
    assertEquals(1, out[99], 0, "100 is clipped to the 99.5th percentile");
    assertEquals((99 - 1) / 98.505, out[98], 1e-6, "99 is just below the clip");
    Volume constant = Volume.copyOf(new int[] {2, 1, 1}, new float[] {3, 3}, Affine.identity());
    assertArrayEquals(new float[] {0, 0}, PercentileNormalizer.normalize(constant, 1, 99).toArray(), 0);
    Volume withNan = Volume.copyOf(new int[] {2, 1, 1}, new float[] {3, Float.NaN}, Affine.identity());
    assertThrows(MedvisionException.class, () -> PercentileNormalizer.normalize(withNan, 0, 99.5));
  }
}
