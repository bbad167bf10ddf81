package org.medvision.io.transform;

import java.util.Arrays;
import org.medvision.api.MedvisionException;
import org.medvision.io.volume.Affine;
import org.medvision.io.volume.Volume;

/**
 * Resamples a volume to a target voxel spacing along its own axes, keeping the field of view and every output voxel's
 * world position.
 *
 * <p>Convention: a voxel index names the voxel's centre, and voxel {@code i} covers {@code [i - 0.5, i + 0.5]}.
 * Along an axis with {@code n} voxels of spacing {@code s}, the output has {@code n' = max(1, round(n * s / s'))}
 * voxels of spacing {@code s'}, and output voxel {@code j} samples the input at the continuous index {@code x = (j +
 * 0.5) * f - 0.5} with {@code f = s' / s}: the two grids share their starting edge. The output affine is the input
 * affine composed with that index map, so world positions are preserved exactly. Samples beyond the outermost input
 * centres take the edge value (clamping), which only matters within half a voxel of the border.
 */
public final class Resampler {
  private Resampler() {}

  /**
   * The volume on a grid of {@code targetSpacing} (x, y, z, millimetres); extra dimensions are resampled frame by
   * frame.
   *
   * @throws MedvisionException if the spacing is not three positive finite values
   */
  public static Volume resample(Volume volume, double[] targetSpacing, Interpolation interpolation) {
    if (targetSpacing.length != 3) {
      throw new MedvisionException("target spacing needs 3 values (x, y, z), got " + Arrays.toString(targetSpacing));
    }
    for (double s : targetSpacing) {
      if (!(s > 0) || !Double.isFinite(s)) {
        throw new MedvisionException("target spacing must be positive and finite, got "
            + Arrays.toString(targetSpacing));
      }
    }
    double[] spacing = volume.spacing();
    int[] in = volume.dims();
    int[] outDims = in.clone();
    double[] factor = new double[3];
    for (int a = 0; a < 3; a++) {
      factor[a] = targetSpacing[a] / spacing[a];
      long n = Math.max(1, Math.round(in[a] / factor[a]));
      if (n > Integer.MAX_VALUE) {
        throw new MedvisionException("resampling " + volume + " to " + Arrays.toString(targetSpacing)
            + " mm gives too many voxels along axis " + a);
      }
      outDims[a] = (int) n;
    }
    long total = (long) outDims[0] * outDims[1] * outDims[2] * volume.frames();
    if (total > Volume.MAX_VOXELS) {
      throw new MedvisionException("resampling " + volume + " to " + Arrays.toString(targetSpacing) + " mm gives "
          + total + " voxels, more than a volume holds");
    }
    Axis ax = new Axis(in[0], outDims[0], factor[0]);
    Axis ay = new Axis(in[1], outDims[1], factor[1]);
    Axis az = new Axis(in[2], outDims[2], factor[2]);
    float[] src = volume.toArray();
    float[] out = new float[(int) total];
    int inFrame = volume.frameSize();
    int outFrame = outDims[0] * outDims[1] * outDims[2];
    boolean nearest = interpolation == Interpolation.NEAREST;
    int o = 0;
    for (int f = 0; f < volume.frames(); f++) {
      int base = f * inFrame;
      for (int z = 0; z < outDims[2]; z++) {
        for (int y = 0; y < outDims[1]; y++) {
          for (int x = 0; x < outDims[0]; x++) {
            out[o++] = nearest
                ? src[base + ax.nearest[x] + in[0] * (ay.nearest[y] + in[1] * az.nearest[z])]
                : trilinear(src, base, in, ax, ay, az, x, y, z);
          }
        }
      }
    }
    assert o == volume.frames() * outFrame;
    Affine indexMap = Affine.diagonal(factor[0], factor[1], factor[2], 0.5 * factor[0] - 0.5,
        0.5 * factor[1] - 0.5, 0.5 * factor[2] - 0.5);
    return Volume.adopt(outDims, out, volume.affine().multiply(indexMap));
  }

  private static float trilinear(float[] src, int base, int[] in, Axis ax, Axis ay, Axis az, int x, int y, int z) {
    int nx = in[0];
    int plane = in[0] * in[1];
    double tx = ax.weight[x];
    double ty = ay.weight[y];
    double tz = az.weight[z];
    int x0 = ax.low[x];
    int x1 = ax.high[x];
    int y0 = ay.low[y] * nx;
    int y1 = ay.high[y] * nx;
    int z0 = base + az.low[z] * plane;
    int z1 = base + az.high[z] * plane;
    double c00 = src[z0 + y0 + x0] * (1 - tx) + src[z0 + y0 + x1] * tx;
    double c10 = src[z0 + y1 + x0] * (1 - tx) + src[z0 + y1 + x1] * tx;
    double c01 = src[z1 + y0 + x0] * (1 - tx) + src[z1 + y0 + x1] * tx;
    double c11 = src[z1 + y1 + x0] * (1 - tx) + src[z1 + y1 + x1] * tx;
    double c0 = c00 * (1 - ty) + c10 * ty;
    double c1 = c01 * (1 - ty) + c11 * ty;
    return (float) (c0 * (1 - tz) + c1 * tz);
  }

  /** Per output index along one axis: the two input neighbours, the weight of the upper one, and the nearest. */
  private static final class Axis {
    final int[] low;
    final int[] high;
    final double[] weight;
    final int[] nearest;

    Axis(int n, int outN, double factor) {
      low = new int[outN];
      high = new int[outN];
      weight = new double[outN];
      nearest = new int[outN];
      for (int j = 0; j < outN; j++) {
        double x = Math.min(n - 1, Math.max(0, (j + 0.5) * factor - 0.5));
        int i0 = (int) Math.floor(x);
        low[j] = i0;
        high[j] = Math.min(i0 + 1, n - 1);
        weight[j] = x - i0;
        nearest[j] = Math.min(n - 1, (int) Math.floor(x + 0.5));
      }
    }
  }
}
