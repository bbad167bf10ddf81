package org.medvision.io.transform;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.medvision.api.MedvisionException;
import org.medvision.io.volume.Volume;

/**
 * Percentile normalisation: clip intensities at a low and a high percentile of the volume, then scale that range to
 * [0, 1] (e.g. 0 and 99.5 for SWI, as in the CMB/CSVD paper, so a few very bright voxels do not compress the rest).
 *
 * <p>Percentiles interpolate linearly between order statistics: with the {@code N} values sorted ascending as
 * {@code v[0..N-1]}, percentile {@code p} is at rank {@code h = p / 100 * (N - 1)}, giving {@code v[floor(h)] + (h -
 * floor(h)) * (v[floor(h) + 1] - v[floor(h)])} (Hyndman and Fan's definition 7, numpy's default).
 */
public final class PercentileNormalizer {
  private PercentileNormalizer() {}

  /**
   * Percentile {@code p} (0 to 100) of all voxels.
   *
   * @throws MedvisionException if {@code p} is outside [0, 100] or a voxel is NaN (naming its index)
   */
  public static double percentile(Volume volume, double p) {
    return percentiles(volume, p)[0];
  }

  /**
   * The volume clipped to [percentile {@code low}, percentile {@code high}] and scaled linearly to [0, 1]. A volume
   * whose two percentiles coincide (constant within the range) maps to 0 everywhere.
   *
   * @throws MedvisionException if the percentiles are outside [0, 100], {@code low > high}, or a voxel is NaN
   */
  public static Volume normalize(Volume volume, double low, double high) {
    if (low > high) {
      throw new MedvisionException("the low percentile " + low + " is above the high percentile " + high);
    }
    double[] bounds = percentiles(volume, low, high);
    double lo = bounds[0];
    double hi = bounds[1];
    double range = hi - lo;
    return volume.map(v -> range > 0 ? (Math.min(hi, Math.max(lo, v)) - lo) / range : 0);
  }

  private static double[] percentiles(Volume volume, double... ps) {
    for (double p : ps) {
      if (!(p >= 0 && p <= 100)) {
        throw new MedvisionException("a percentile must be in [0, 100], got " + p);
      }
    }
    FloatBuffer view = volume.voxels();
    float[] sorted = new float[view.remaining()];
    view.get(sorted);
    for (int i = 0; i < sorted.length; i++) {
      if (Float.isNaN(sorted[i])) {
        throw new MedvisionException("cannot take percentiles of " + volume + ": voxel " + i + " is NaN");
      }
    }
    Arrays.sort(sorted);
    double[] out = new double[ps.length];
    for (int k = 0; k < ps.length; k++) {
      double h = ps[k] / 100 * (sorted.length - 1);
      int below = (int) Math.floor(h);
      int above = Math.min(below + 1, sorted.length - 1);
      out[k] = sorted[below] + (h - below) * ((double) sorted[above] - sorted[below]);
    }
    return out;
  }
}
