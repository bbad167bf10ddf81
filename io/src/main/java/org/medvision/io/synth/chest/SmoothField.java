package org.medvision.io.synth.chest;

import java.util.SplittableRandom;

/**
 * A smooth random scalar field in [-1, 1] over millimetre space: a few plane waves of random direction, wavelength
 * and phase, normalised by their summed amplitude. Used to make boundaries irregular and intensities uneven without
 * any grid, so the same field gives the same shape at every voxel spacing.
 */
final class SmoothField {
  private final double[] kx;
  private final double[] ky;
  private final double[] kz;
  private final double[] phase;
  private final double[] weight;

  /**
   * Draws {@code waves} waves with wavelengths in {@code [minWavelength, maxWavelength]} mm.
   */
  SmoothField(SplittableRandom rng, int waves, double minWavelength, double maxWavelength) {
    kx = new double[waves];
    ky = new double[waves];
    kz = new double[waves];
    phase = new double[waves];
    weight = new double[waves];
    double total = 0;
    for (int i = 0; i < waves; i++) {
      double[] d = Draw.unitVector(rng);
      double k = 2 * Math.PI / Draw.uniform(rng, minWavelength, maxWavelength);
      kx[i] = k * d[0];
      ky[i] = k * d[1];
      kz[i] = k * d[2];
      phase[i] = Draw.uniform(rng, 0, 2 * Math.PI);
      weight[i] = Draw.uniform(rng, 0.5, 1.0);
      total += weight[i];
    }
    for (int i = 0; i < waves; i++) {
      weight[i] /= total;
    }
  }

  /** The field at {@code (x, y, z)} mm, in [-1, 1]. */
  double at(double x, double y, double z) {
    double sum = 0;
    for (int i = 0; i < kx.length; i++) {
      sum += weight[i] * Math.cos(kx[i] * x + ky[i] * y + kz[i] * z + phase[i]);
    }
    return sum;
  }
}
