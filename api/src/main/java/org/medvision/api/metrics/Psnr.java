package org.medvision.api.metrics;

import org.medvision.api.MedvisionException;

/**
 * Peak signal-to-noise ratio, as scikit-image's {@code skimage.metrics.peak_signal_noise_ratio(truth, test,
 * data_range=R)}: {@code 10 log10(R^2 / MSE)} with {@code MSE = mean((truth - test)^2)} in double precision.
 *
 * <p>The data range is always given, never guessed from the values: R is the distance between the smallest and
 * largest possible value (1 for [0, 1] images, the window width for windowed CT). Identical images have MSE 0 and
 * PSNR {@code +Infinity}, which is what scikit-image returns (with a division warning).
 */
public final class Psnr {
  private Psnr() {
  }

  /**
   * PSNR in decibels.
   *
   * @param truth reference image, any shape, flattened in any order
   * @param test image to score, flattened in the same order
   * @param dataRange R, positive and finite
   * @return the PSNR, {@code +Infinity} for identical images
   * @throws MedvisionException if the images are empty or differ in length, a value is not finite, or
   *     {@code dataRange} is not positive and finite
   */
  public static double of(float[] truth, float[] test, double dataRange) {
    if (!(dataRange > 0 && Double.isFinite(dataRange))) {
      throw new MedvisionException("PSNR: data range must be positive and finite, got " + dataRange);
    }
    return 10 * Math.log10(dataRange * dataRange / meanSquaredError(truth, test));
  }

  /**
   * Mean squared difference, accumulated in double.
   *
   * @throws MedvisionException if the images are empty or differ in length, or a value is not finite
   */
  public static double meanSquaredError(float[] truth, float[] test) {
    if (truth.length != test.length || truth.length == 0) {
      throw new MedvisionException("PSNR: need two non-empty images of the same size, got " + truth.length + " and "
          + test.length + " voxels");
    }
    double sum = 0;
    for (int i = 0; i < truth.length; i++) {
      if (!Float.isFinite(truth[i]) || !Float.isFinite(test[i])) {
        throw new MedvisionException("PSNR: voxel " + i + " is not finite (" + truth[i] + ", " + test[i] + ")");
      }
      double d = (double) truth[i] - test[i];
      sum += d * d;
    }
    return sum / truth.length;
  }
}
