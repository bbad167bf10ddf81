package org.medvision.io.transform;

import org.medvision.api.MedvisionException;

/**
 * Operations on dense 3-D float arrays stored x fastest, then y, then z (a volume's {@code [D, H, W]} layout), as the
 * data pipeline needs them: cropping to a mask's bounding box, intensity scaling, trilinear resizing and reduction to
 * a coarse grid.
 */
public final class VolumeOps {
  private VolumeOps() {}

  /**
   * The bounding box of the nonzero voxels of {@code mask} widened by {@code margin} voxels per axis and clamped to
   * the volume, as {x0, y0, z0, x1, y1, z1} with exclusive ends, or null when the mask is empty.
   */
  public static int[] boundingBox(float[] mask, int[] dims, int[] margin) {
    int nx = dims[0];
    int ny = dims[1];
    int nz = dims[2];
    int[] lo = {nx, ny, nz};
    int[] hi = {-1, -1, -1};
    int i = 0;
    for (int z = 0; z < nz; z++) {
      for (int y = 0; y < ny; y++) {
        for (int x = 0; x < nx; x++, i++) {
          if (mask[i] != 0) {
            lo[0] = Math.min(lo[0], x);
            lo[1] = Math.min(lo[1], y);
            lo[2] = Math.min(lo[2], z);
            hi[0] = Math.max(hi[0], x);
            hi[1] = Math.max(hi[1], y);
            hi[2] = Math.max(hi[2], z);
          }
        }
      }
    }
    if (hi[0] < 0) {
      return null;
    }
    int[] box = new int[6];
    for (int a = 0; a < 3; a++) {
      box[a] = Math.max(0, lo[a] - margin[a]);
      box[a + 3] = Math.min(dims[a], hi[a] + 1 + margin[a]);
    }
    return box;
  }

  /** The voxels of {@code box} ({x0, y0, z0, x1, y1, z1}, exclusive ends) of a volume of {@code dims}. */
  public static float[] crop(float[] v, int[] dims, int[] box) {
    int cx = box[3] - box[0];
    int cy = box[4] - box[1];
    int cz = box[5] - box[2];
    float[] out = new float[cx * cy * cz];
    int i = 0;
    for (int z = box[2]; z < box[5]; z++) {
      for (int y = box[1]; y < box[4]; y++) {
        System.arraycopy(v, (z * dims[1] + y) * dims[0] + box[0], out, i, cx);
        i += cx;
      }
    }
    return out;
  }

  /** Clips every value to [low, high] and maps that range linearly onto [0, 1], in place. */
  public static void clipAndScale(float[] v, double low, double high) {
    double range = high - low;
    for (int i = 0; i < v.length; i++) {
      double x = Math.min(high, Math.max(low, v[i]));
      v[i] = (float) ((x - low) / range);
    }
  }

  /**
   * Trilinear resize of a volume of {@code dims} (x, y, z) to {@code out} (x, y, z) with PyTorch's
   * {@code F.interpolate(mode="trilinear", align_corners=False)} sampling: output index o reads source position
   * (o + 0.5)·in/out − 0.5, clamped at 0 and at the last voxel.
   */
  public static float[] resize(float[] v, int[] dims, int[] out) {
    float[] x = resizeAxis(v, dims, 0, out[0]);
    int[] d1 = {out[0], dims[1], dims[2]};
    float[] y = resizeAxis(x, d1, 1, out[1]);
    int[] d2 = {out[0], out[1], dims[2]};
    return resizeAxis(y, d2, 2, out[2]);
  }

  private static float[] resizeAxis(float[] v, int[] dims, int axis, int size) {
    int n = dims[axis];
    if (n == size) {
      return v;
    }
    int[] outDims = dims.clone();
    outDims[axis] = size;
    int stride = axis == 0 ? 1 : axis == 1 ? dims[0] : dims[0] * dims[1];
    int outStride = axis == 0 ? 1 : axis == 1 ? outDims[0] : outDims[0] * outDims[1];
    int[] i0 = new int[size];
    int[] i1 = new int[size];
    float[] w = new float[size];
    double scale = (double) n / size;
    for (int o = 0; o < size; o++) {
      double src = Math.max(0, (o + 0.5) * scale - 0.5);
      int lo = Math.min((int) Math.floor(src), n - 1);
      i0[o] = lo;
      i1[o] = Math.min(lo + 1, n - 1);
      w[o] = (float) (src - lo);
    }
    float[] out = new float[outDims[0] * outDims[1] * outDims[2]];
    int outer = axis == 2 ? 1 : (axis == 1 ? dims[2] : dims[1] * dims[2]);
    int inner = axis == 0 ? 1 : (axis == 1 ? dims[0] : dims[0] * dims[1]);
    for (int a = 0; a < outer; a++) {
      int inBase = a * n * inner;
      int outBase = a * size * inner;
      for (int o = 0; o < size; o++) {
        int p = inBase + i0[o] * stride;
        int q = inBase + i1[o] * stride;
        int r = outBase + o * outStride;
        float t = w[o];
        for (int j = 0; j < inner; j++) {
          out[r + j] = v[p + j] + t * (v[q + j] - v[p + j]);
        }
      }
    }
    return out;
  }

  /**
   * The fraction of nonzero voxels of {@code mask} in each cell of a coarser grid (adaptive average pooling: cell i
   * of n along an axis of N voxels covers [⌊i·N/n⌋, ⌈(i+1)·N/n⌉)), thresholded: 1 where the fraction is at least
   * {@code threshold}, else 0.
   *
   * @throws MedvisionException if the grid is finer than the mask along some axis
   */
  public static float[] reduce(float[] mask, int[] dims, int[] grid, double threshold) {
    for (int a = 0; a < 3; a++) {
      if (grid[a] > dims[a] || grid[a] < 1) {
        throw new MedvisionException("cannot reduce a mask of " + dims[0] + "x" + dims[1] + "x" + dims[2]
            + " voxels to a grid of " + grid[0] + "x" + grid[1] + "x" + grid[2]);
      }
    }
    float[] out = new float[grid[0] * grid[1] * grid[2]];
    int k = 0;
    for (int gz = 0; gz < grid[2]; gz++) {
      int z0 = gz * dims[2] / grid[2];
      int z1 = ceilDiv((gz + 1) * dims[2], grid[2]);
      for (int gy = 0; gy < grid[1]; gy++) {
        int y0 = gy * dims[1] / grid[1];
        int y1 = ceilDiv((gy + 1) * dims[1], grid[1]);
        for (int gx = 0; gx < grid[0]; gx++, k++) {
          int x0 = gx * dims[0] / grid[0];
          int x1 = ceilDiv((gx + 1) * dims[0], grid[0]);
          long inside = 0;
          for (int z = z0; z < z1; z++) {
            for (int y = y0; y < y1; y++) {
              int row = (z * dims[1] + y) * dims[0];
              for (int x = x0; x < x1; x++) {
                if (mask[row + x] != 0) {
                  inside++;
                }
              }
            }
          }
          long total = (long) (z1 - z0) * (y1 - y0) * (x1 - x0);
          out[k] = (double) inside / total >= threshold ? 1f : 0f;
        }
      }
    }
    return out;
  }

  private static int ceilDiv(int a, int b) {
    return -Math.floorDiv(-a, b);
  }

  /** 1 where {@code v} is at least 0.5, else 0, in place (a resampled mask made binary again). */
  public static void binarize(float[] v) {
    for (int i = 0; i < v.length; i++) {
      v[i] = v[i] >= 0.5f ? 1f : 0f;
    }
  }

  /** The number of nonzero values. */
  public static long count(float[] v) {
    long n = 0;
    for (float x : v) {
      if (x != 0) {
        n++;
      }
    }
    return n;
  }
}
