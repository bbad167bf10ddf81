package org.medvision.io.transform;

import java.util.Arrays;
import org.medvision.api.MedvisionException;
import org.medvision.io.volume.Volume;

/**
 * Cuts a box out of a volume, padding where the box reaches beyond it; the affine moves with the box so every kept
 * voxel keeps its world position.
 *
 * <p>Output voxel {@code (x, y, z)} is input voxel {@code (x + start[0], y + start[1], z + start[2])} when that lies
 * inside the input, else the pad value. Extra dimensions are carried through unchanged.
 */
public final class CropPad {
  private CropPad() {}

  /**
   * The centred box of {@code size}: {@code start[a] = floor((n[a] - size[a]) / 2)}, so an odd surplus leaves the
   * extra voxel at the high end (crop) and an odd shortfall puts the extra padding at the high end (pad).
   *
   * @throws MedvisionException if {@code size} is not three positive values
   */
  public static Volume centered(Volume volume, int[] size, float padValue) {
    checkSize(size);
    int[] start = new int[3];
    for (int a = 0; a < 3; a++) {
      start[a] = Math.floorDiv(volume.dims()[a] - size[a], 2);
    }
    return box(volume, start, size, padValue);
  }

  /**
   * The box of {@code size} whose first voxel is input voxel {@code start} (which may be negative or beyond the
   * input: padding).
   *
   * @throws MedvisionException if {@code size} is not three positive values or {@code start} not three values
   */
  public static Volume box(Volume volume, int[] start, int[] size, float padValue) {
    checkSize(size);
    if (start.length != 3) {
      throw new MedvisionException("a crop/pad start needs 3 values (x, y, z), got " + Arrays.toString(start));
    }
    int[] in = volume.dims();
    int[] outDims = in.clone();
    System.arraycopy(size, 0, outDims, 0, 3);
    long total = (long) size[0] * size[1] * size[2] * volume.frames();
    if (total > Volume.MAX_VOXELS) {
      throw new MedvisionException("crop/pad of " + volume + " to " + Arrays.toString(size) + " gives " + total
          + " voxels, more than a volume holds");
    }
    float[] src = volume.toArray();
    float[] out = new float[(int) total];
    Arrays.fill(out, padValue);
    int inFrame = volume.frameSize();
    int outFrame = size[0] * size[1] * size[2];
    // Only the overlap along x is copied, as one run per row.
    int x0 = Math.max(0, -start[0]);
    int x1 = Math.min(size[0], in[0] - start[0]);
    for (int f = 0; f < volume.frames(); f++) {
      for (int z = 0; z < size[2]; z++) {
        int iz = z + start[2];
        if (iz < 0 || iz >= in[2]) {
          continue;
        }
        for (int y = 0; y < size[1]; y++) {
          int iy = y + start[1];
          if (iy < 0 || iy >= in[1] || x1 <= x0) {
            continue;
          }
          int from = f * inFrame + in[0] * (iy + in[1] * iz) + x0 + start[0];
          int to = f * outFrame + size[0] * (y + size[1] * z) + x0;
          System.arraycopy(src, from, out, to, x1 - x0);
        }
      }
    }
    double[] origin = volume.voxelToWorld(start[0], start[1], start[2]);
    return Volume.adopt(outDims, out, volume.affine().withOrigin(origin));
  }

  private static void checkSize(int[] size) {
    if (size.length != 3 || size[0] < 1 || size[1] < 1 || size[2] < 1) {
      throw new MedvisionException("a crop/pad size needs 3 positive values (x, y, z), got " + Arrays.toString(size));
    }
  }
}
