package org.medvision.api.metrics;

import java.util.Arrays;
import org.medvision.api.MedvisionException;

/**
 * Settings of {@link Ssim}, named after the keyword arguments of scikit-image's
 * {@code skimage.metrics.structural_similarity}.
 *
 * <p>{@link #SKIMAGE_DEFAULT} is that function's default: a uniform 7-wide window (7^d voxels in d dimensions),
 * K1 = 0.01, K2 = 0.03 and the sample covariance (variances scaled by NP/(NP - 1), NP = 7^d).
 * {@link #GAUSSIAN} is the setting its documentation gives for matching Wang et al. 2004 ({@code
 * gaussian_weights=True, sigma=1.5, use_sample_covariance=False}): Gaussian weights of standard deviation 1.5
 * truncated at 3.5 standard deviations, i.e. radius {@code (int) (3.5 * 1.5 + 0.5) = 5} and an 11-wide window.
 *
 * @param gaussianWeights whether the local statistics use Gaussian weights instead of a uniform window
 * @param windowSize odd window width per axis; for Gaussian weights it must be {@code 2 * (int) (3.5 * sigma + 0.5)
 *     + 1}, the width scipy's filter uses, which the factories compute
 * @param sigma standard deviation of the Gaussian weights, in voxels; ignored (and conventionally 1.5) for the
 *     uniform window
 * @param k1 the luminance constant, C1 = (K1 * dataRange)^2; positive
 * @param k2 the contrast constant, C2 = (K2 * dataRange)^2; positive
 * @param sampleCovariance whether variances and the covariance are scaled by NP/(NP - 1), NP = windowSize^d
 */
public record SsimOptions(boolean gaussianWeights, int windowSize, double sigma, double k1, double k2,
    boolean sampleCovariance) {
  /** How many standard deviations the Gaussian weights extend, as scikit-image passes to scipy. */
  public static final double TRUNCATE = 3.5;

  /** scikit-image's defaults: uniform 7-wide window, K1 0.01, K2 0.03, sample covariance. */
  public static final SsimOptions SKIMAGE_DEFAULT = uniform(7);

  /** Wang et al. 2004 as scikit-image reproduces it: Gaussian sigma 1.5 (11-wide), population covariance. */
  public static final SsimOptions GAUSSIAN = gaussian(1.5);

  /** Validates the settings. */
  public SsimOptions {
    if (windowSize < 1 || windowSize % 2 == 0) {
      throw new MedvisionException("SSIM: window size must be odd and positive, got " + windowSize);
    }
    if (!(k1 > 0 && k2 > 0 && Double.isFinite(k1) && Double.isFinite(k2))) {
      throw new MedvisionException("SSIM: K1 and K2 must be positive and finite, got " + k1 + " and " + k2);
    }
    if (gaussianWeights) {
      if (!(sigma > 0 && Double.isFinite(sigma))) {
        throw new MedvisionException("SSIM: Gaussian sigma must be positive and finite, got " + sigma);
      }
      if (windowSize != gaussianWidth(sigma)) {
        throw new MedvisionException("SSIM: with Gaussian weights of sigma " + sigma + " the window is "
            + gaussianWidth(sigma) + " wide, got " + windowSize);
      }
    }
    if (sampleCovariance && windowSize == 1) {
      throw new MedvisionException("SSIM: the sample covariance needs a window of more than one voxel");
    }
  }

  /** A uniform window of odd width {@code windowSize} with scikit-image's other defaults. */
  public static SsimOptions uniform(int windowSize) {
    return new SsimOptions(false, windowSize, 1.5, 0.01, 0.03, true);
  }

  /** Gaussian weights of standard deviation {@code sigma}, population covariance, K1 0.01, K2 0.03. */
  public static SsimOptions gaussian(double sigma) {
    return new SsimOptions(true, sigma > 0 && Double.isFinite(sigma) ? gaussianWidth(sigma) : 1, sigma, 0.01, 0.03,
        false);
  }

  /** These settings with other constants K1 and K2. */
  public SsimOptions withConstants(double k1, double k2) {
    return new SsimOptions(gaussianWeights, windowSize, sigma, k1, k2, sampleCovariance);
  }

  /** These settings with the sample (true) or population (false) covariance. */
  public SsimOptions withSampleCovariance(boolean sample) {
    return new SsimOptions(gaussianWeights, windowSize, sigma, k1, k2, sample);
  }

  /**
   * The 1-D weights of the window: {@code 1 / windowSize} each, or {@code exp(-x^2 / (2 sigma^2))} for
   * {@code x = -r..r} normalised to sum 1 (scipy's {@code gaussian_filter1d} kernel).
   */
  double[] kernel() {
    double[] k = new double[windowSize];
    if (!gaussianWeights) {
      Arrays.fill(k, 1.0 / windowSize);
      return k;
    }
    int r = windowSize / 2;
    double sum = 0;
    for (int t = 0; t < windowSize; t++) {
      double x = t - r;
      k[t] = Math.exp(-0.5 / (sigma * sigma) * x * x);
      sum += k[t];
    }
    for (int t = 0; t < windowSize; t++) {
      k[t] /= sum;
    }
    return k;
  }

  private static int gaussianWidth(double sigma) {
    return 2 * (int) (TRUNCATE * sigma + 0.5) + 1;
  }
}
