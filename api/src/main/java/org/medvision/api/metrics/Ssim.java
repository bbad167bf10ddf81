package org.medvision.api.metrics;

import java.util.Arrays;
import org.medvision.api.MedvisionException;

/**
 * Mean structural similarity (SSIM) of two images or volumes, computed as scikit-image's
 * {@code skimage.metrics.structural_similarity(x, y, data_range=R, ...)} computes it, in double precision.
 *
 * <p>With local means {@code mu}, variances {@code v} and covariance {@code v_xy} from the window of
 * {@link SsimOptions} (variance = {@code cov_norm * (E[x^2] - mu^2)}, cov_norm = NP/(NP - 1) for the sample
 * covariance, else 1), C1 = (K1 R)^2 and C2 = (K2 R)^2, the SSIM map is
 * {@code (2 mu_x mu_y + C1)(2 v_xy + C2) / ((mu_x^2 + mu_y^2 + C1)(v_x + v_y + C2))}. The mean is taken over the
 * positions at least {@code (windowSize - 1) / 2} voxels from every border, i.e. over the map scikit-image crops
 * before averaging, so how a filter would pad the border never matters.
 *
 * <p>Edge cases: identical images give exactly 1 (constant ones included, since C1 and C2 are positive); an axis
 * shorter than the window is an error, as in scikit-image. Agreement: equal to scikit-image on float64 input up to
 * rounding; scikit-image run on float32 arrays filters in float32 and differs by about 1e-6.
 */
public final class Ssim {
  private Ssim() {
  }

  /**
   * Mean SSIM with scikit-image's defaults ({@link SsimOptions#SKIMAGE_DEFAULT}).
   *
   * @see #mean(float[], float[], int[], double, SsimOptions)
   */
  public static double mean(float[] x, float[] y, int[] shape, double dataRange) {
    return mean(x, y, shape, dataRange, SsimOptions.SKIMAGE_DEFAULT);
  }

  /**
   * Mean SSIM of {@code x} and {@code y}.
   *
   * @param x first image, row-major (last axis fastest), e.g. a 2-D slice [H, W] or a volume [D, H, W]
   * @param y second image of the same shape; SSIM is symmetric in x and y
   * @param shape extent of each axis (any number of axes, each at least the window width)
   * @param dataRange R, the distance between the smallest and largest possible value (e.g. 1 for [0, 1] data, the
   *     window width for windowed CT); positive
   * @param options window and constants
   * @return the mean SSIM, at most 1
   * @throws MedvisionException if the lengths do not match the shape, an axis is shorter than the window, a value
   *     is not finite or {@code dataRange} is not positive and finite
   */
  public static double mean(float[] x, float[] y, int[] shape, double dataRange, SsimOptions options) {
    check(x, y, shape, dataRange, options.windowSize());
    int n = x.length;
    double[] a = new double[n];
    double[] b = new double[n];
    double[] aa = new double[n];
    double[] bb = new double[n];
    double[] ab = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = x[i];
      b[i] = y[i];
      aa[i] = a[i] * a[i];
      bb[i] = b[i] * b[i];
      ab[i] = a[i] * b[i];
    }
    double[] kernel = options.kernel();
    double[] ux = SeparableFilter.valid(a, shape, kernel);
    double[] uy = SeparableFilter.valid(b, shape, kernel);
    double[] uxx = SeparableFilter.valid(aa, shape, kernel);
    double[] uyy = SeparableFilter.valid(bb, shape, kernel);
    double[] uxy = SeparableFilter.valid(ab, shape, kernel);
    double np = Math.pow(options.windowSize(), shape.length);
    double covNorm = options.sampleCovariance() ? np / (np - 1) : 1.0;
    double c1 = Math.pow(options.k1() * dataRange, 2);
    double c2 = Math.pow(options.k2() * dataRange, 2);
    double sum = 0;
    for (int i = 0; i < ux.length; i++) {
      double vx = covNorm * (uxx[i] - ux[i] * ux[i]);
      double vy = covNorm * (uyy[i] - uy[i] * uy[i]);
      double vxy = covNorm * (uxy[i] - ux[i] * uy[i]);
      double numerator = (2 * ux[i] * uy[i] + c1) * (2 * vxy + c2);
      double denominator = (ux[i] * ux[i] + uy[i] * uy[i] + c1) * (vx + vy + c2);
      sum += numerator / denominator;
    }
    return sum / ux.length;
  }

  private static void check(float[] x, float[] y, int[] shape, double dataRange, int windowSize) {
    if (shape.length == 0) {
      throw new MedvisionException("SSIM: the shape has no axes");
    }
    long voxels = 1;
    for (int d = 0; d < shape.length; d++) {
      if (shape[d] < windowSize) {
        throw new MedvisionException("SSIM: axis " + d + " has " + shape[d] + " voxels, fewer than the "
            + windowSize + "-wide window; use a smaller window or compute SSIM on larger images");
      }
      voxels *= shape[d];
    }
    if (x.length != voxels || y.length != voxels) {
      throw new MedvisionException("SSIM: shape " + Arrays.toString(shape) + " holds " + voxels
          + " voxels but the images have " + x.length + " and " + y.length);
    }
    if (!(dataRange > 0 && Double.isFinite(dataRange))) {
      throw new MedvisionException("SSIM: data range must be positive and finite, got " + dataRange);
    }
    for (int i = 0; i < x.length; i++) {
      if (!Float.isFinite(x[i]) || !Float.isFinite(y[i])) {
        throw new MedvisionException("SSIM: voxel " + i + " is not finite (" + x[i] + ", " + y[i] + ")");
      }
    }
  }
}
