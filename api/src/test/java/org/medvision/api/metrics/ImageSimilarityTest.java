package org.medvision.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

class ImageSimilarityTest {
  private static final double TOL = 1e-12;

  @Test
  void psnrByHand() {
    // One voxel of four off by 0.5: MSE 1/16, PSNR 10 log10(16).
    float[] truth = {0, 0, 0, 0};
    float[] test = {0.5f, 0, 0, 0};
    assertEquals(1.0 / 16, Psnr.meanSquaredError(truth, test), TOL);
    assertEquals(10 * Math.log10(16), Psnr.of(truth, test, 1), TOL);
    // A data range of 255 adds 20 log10(255).
    assertEquals(10 * Math.log10(16) + 20 * Math.log10(255), Psnr.of(truth, test, 255), 1e-10);
    assertEquals(Double.POSITIVE_INFINITY, Psnr.of(test, test, 1));
  }

  @Test
  void psnrRejectsBadInputs() {
    assertThrows(MedvisionException.class, () -> Psnr.of(new float[0], new float[0], 1));
    assertThrows(MedvisionException.class, () -> Psnr.of(new float[2], new float[3], 1));
    assertThrows(MedvisionException.class, () -> Psnr.of(new float[2], new float[2], 0));
    assertThrows(MedvisionException.class, () -> Psnr.of(new float[] {Float.NaN}, new float[1], 1));
  }

  @Test
  void constantImagesInOneWindowOnlyCompareLuminance() {
    // x = 0, y = 0.01 everywhere, R = 1: all variances vanish and SSIM = C1 / (0.01^2 + C1) with C1 = 1e-4, i.e.
    // one half, whatever the window and dimension.
    assertEquals(0.5, Ssim.mean(filled(49, 0), filled(49, 0.01f), new int[] {7, 7}, 1), 1e-6);
    assertEquals(0.5, Ssim.mean(filled(343, 0), filled(343, 0.01f), new int[] {7, 7, 7}, 1), 1e-6);
    assertEquals(0.5, Ssim.mean(filled(121, 0), filled(121, 0.01f), new int[] {11, 11}, 1, SsimOptions.GAUSSIAN),
        1e-6);
  }

  @Test
  void checkerboardAgainstItsNegativeByHand() {
    // 7 x 7 checkerboard of +-1 (25 ones): mean 1/49, E[x^2] 1, so the sample variance is
    // 49/48 (1 - 1/49^2) = 50/49, and y = -x has mean -1/49 and covariance -50/49. R = 2: C1 = 4e-4, C2 = 3.6e-3.
    double c1 = 4e-4;
    double c2 = 3.6e-3;
    double mu = 1.0 / 49;
    double v = 50.0 / 49;
    double expected2d = (-2 * mu * mu + c1) * (-2 * v + c2) / ((2 * mu * mu + c1) * (2 * v + c2));
    float[] x2 = checkerboard(7, 7, 1);
    assertEquals(expected2d, Ssim.mean(x2, negate(x2), new int[] {7, 7}, 2), TOL);
    // 7^3: 172 ones, mean 1/343, sample variance 343/342 (1 - 1/343^2) = 344/343.
    double mu3 = 1.0 / 343;
    double v3 = 344.0 / 343;
    double expected3d = (-2 * mu3 * mu3 + c1) * (-2 * v3 + c2) / ((2 * mu3 * mu3 + c1) * (2 * v3 + c2));
    float[] x3 = checkerboard(7, 7, 7);
    assertEquals(expected3d, Ssim.mean(x3, negate(x3), new int[] {7, 7, 7}, 2), TOL);
    // The population covariance drops the 49/48 factor: variance 1 - 1/49^2.
    double vp = 1 - mu * mu;
    double expectedPopulation = (-2 * mu * mu + c1) * (-2 * vp + c2) / ((2 * mu * mu + c1) * (2 * vp + c2));
    assertEquals(expectedPopulation, Ssim.mean(x2, negate(x2), new int[] {7, 7}, 2,
        SsimOptions.SKIMAGE_DEFAULT.withSampleCovariance(false)), TOL);
  }

  @Test
  void theMeanCoversOnlyWindowsInsideTheImage() {
    // An 8 x 7 image holds two whole 7 x 7 windows (rows 0-6 and 1-7); the mean SSIM is the mean of the two.
    SplittableRandom random = new SplittableRandom(3);
    float[] x = randomImage(random, 56);
    float[] y = randomImage(random, 56);
    double whole = Ssim.mean(x, y, new int[] {8, 7}, 1);
    double top = Ssim.mean(Arrays.copyOfRange(x, 0, 49), Arrays.copyOfRange(y, 0, 49), new int[] {7, 7}, 1);
    double bottom = Ssim.mean(Arrays.copyOfRange(x, 7, 56), Arrays.copyOfRange(y, 7, 56), new int[] {7, 7}, 1);
    assertEquals((top + bottom) / 2, whole, TOL);
  }

  @Test
  void identicalImagesScoreOneAndSsimIsSymmetric() {
    SplittableRandom random = new SplittableRandom(5);
    float[] x = randomImage(random, 9 * 10 * 11);
    float[] y = randomImage(random, 9 * 10 * 11);
    int[] shape = {9, 10, 11};
    assertEquals(1, Ssim.mean(x, x, shape, 1), TOL);
    assertEquals(1, Ssim.mean(filled(100, 3), filled(100, 3), new int[] {10, 10}, 1), TOL);
    assertEquals(Ssim.mean(x, y, shape, 1), Ssim.mean(y, x, shape, 1), TOL);
    double s = Ssim.mean(x, y, shape, 1);
    assertTrue(s < 0.2 && s > -0.2, "independent noise should score near 0, got " + s);
  }

  @Test
  void gaussianWindowMatchesScipysKernel() {
    assertEquals(11, SsimOptions.GAUSSIAN.windowSize());
    assertEquals(7, SsimOptions.SKIMAGE_DEFAULT.windowSize());
    double[] k = SsimOptions.GAUSSIAN.kernel();
    assertEquals(1, Arrays.stream(k).sum(), TOL);
    // Neighbouring weights differ by exp((2x + 1) / (2 sigma^2)); sigma 1.5 and x = 0 gives exp(1 / 4.5).
    assertEquals(Math.exp(1 / 4.5), k[5] / k[6], TOL);
    assertEquals(k[0], k[10], 0);
    // sigma 1 truncated at 3.5 gives radius (int) 4.0 = 4.
    assertEquals(9, SsimOptions.gaussian(1).windowSize());
  }

  @Test
  void rejectsBadShapesAndSettings() {
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> Ssim.mean(new float[36], new float[36], new int[] {6, 6}, 1));
    assertTrue(e.getMessage().contains("fewer than the 7-wide window"), e.getMessage());
    assertThrows(MedvisionException.class, () -> Ssim.mean(new float[49], new float[48], new int[] {7, 7}, 1));
    assertThrows(MedvisionException.class, () -> Ssim.mean(new float[49], new float[49], new int[] {7, 7}, 0));
    assertThrows(MedvisionException.class, () -> Ssim.mean(new float[49], new float[49], new int[] {7, 7}, 1,
        SsimOptions.GAUSSIAN));
    assertThrows(MedvisionException.class, () -> Ssim.mean(new float[49], new float[49], new int[0], 1));
    float[] nan = new float[49];
    nan[3] = Float.NaN;
    assertThrows(MedvisionException.class, () -> Ssim.mean(nan, new float[49], new int[] {7, 7}, 1));
    assertThrows(MedvisionException.class, () -> SsimOptions.uniform(6));
    assertThrows(MedvisionException.class, () -> SsimOptions.uniform(1));
    assertThrows(MedvisionException.class, () -> SsimOptions.gaussian(0));
    assertThrows(MedvisionException.class, () -> new SsimOptions(true, 7, 1.5, 0.01, 0.03, false));
    assertThrows(MedvisionException.class, () -> SsimOptions.SKIMAGE_DEFAULT.withConstants(0, 0.03));
  }

  static float[] filled(int n, float value) {
    float[] a = new float[n];
    Arrays.fill(a, value);
    return a;
  }

  private static float[] checkerboard(int... shape) {
    int n = 1;
    for (int s : shape) {
      n *= s;
    }
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      int rest = i;
      int parity = 0;
      for (int d = shape.length - 1; d >= 0; d--) {
        parity += rest % shape[d];
        rest /= shape[d];
      }
      a[i] = parity % 2 == 0 ? 1 : -1;
    }
    return a;
  }

  private static float[] negate(float[] a) {
    float[] b = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = -a[i];
    }
    return b;
  }

  private static float[] randomImage(SplittableRandom random, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) random.nextDouble();
    }
    return a;
  }
}
