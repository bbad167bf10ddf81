package org.medvision.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compares PSNR and SSIM with scikit-image ({@code skimage.metrics}) on random and structured 2-D images and 3-D
 * volumes, computed at test time by {@link PythonReference}. scikit-image gets the same float32 values widened to
 * float64, the precision we compute in.
 */
class SkimageAgreementTest {
  /** Relative tolerance for SSIM and PSNR; the brief allows 1e-6, double precision on both sides does far better. */
  private static final double RELATIVE_TOL = 1e-10;

  private static final String SCRIPT = String.join("\n",
      "import sys, warnings, numpy as np",
      "from skimage.metrics import structural_similarity as ssim, peak_signal_noise_ratio as psnr",
      "warnings.simplefilter('ignore')",
      "a = sys.argv[1:]",
      "for c in range(0, len(a), 5):",
      "    shape = tuple(int(s) for s in a[c].split('x'))",
      "    r = float(a[c + 1])",
      "    x = np.fromfile(a[c + 2], '<f8').reshape(shape)",
      "    y = np.fromfile(a[c + 3], '<f8').reshape(shape)",
      "    big = min(shape) >= 11",
      "    nan = float('nan')",
      "    out = [ssim(x, y, data_range=r),",
      "           ssim(x, y, data_range=r, win_size=5),",
      "           ssim(x, y, data_range=r, gaussian_weights=True, sigma=1.5, use_sample_covariance=False)",
      "               if big else nan,",
      "           ssim(x, y, data_range=r, gaussian_weights=True, sigma=1.5) if big else nan,",
      "           psnr(x, y, data_range=r),",
      "           ssim(x.astype(np.float32), y.astype(np.float32), data_range=r),",
      "           ssim(x.astype(np.float32), y.astype(np.float32), data_range=r, gaussian_weights=True,",
      "               sigma=1.5, use_sample_covariance=False) if big else nan]",
      "    np.asarray(out, '<f8').tofile(a[c + 4])");

  @TempDir
  Path dir;

  private record Case(String name, int[] shape, double range, float[] x, float[] y) {
  }

  @Test
  void ssimAndPsnrAgreeWithScikitImage() {
    PythonReference.requireModules("numpy", "scipy", "skimage");
    List<Case> cases = cases();
    List<String> args = new ArrayList<>();
    for (int c = 0; c < cases.size(); c++) {
      Case k = cases.get(c);
      Path x = dir.resolve("x" + c);
      Path y = dir.resolve("y" + c);
      PythonReference.write(x, k.x());
      PythonReference.write(y, k.y());
      StringBuilder shape = new StringBuilder();
      for (int s : k.shape()) {
        shape.append(shape.length() == 0 ? "" : "x").append(s);
      }
      args.addAll(List.of(shape.toString(), Double.toString(k.range()), x.toString(), y.toString(),
          dir.resolve("out" + c).toString()));
    }
    PythonReference.run(SCRIPT, args.toArray(new String[0]));
    double worstSsim = 0;
    double worstGaussian = 0;
    double worstPsnr = 0;
    double float32Uniform = 0;
    double float32Gaussian = 0;
    int gaussianCases = 0;
    for (int c = 0; c < cases.size(); c++) {
      Case k = cases.get(c);
      double[] ref = PythonReference.read(dir.resolve("out" + c));
      String at = k.name() + " " + Arrays.toString(k.shape());
      double ours = Ssim.mean(k.x(), k.y(), k.shape(), k.range());
      worstSsim = Math.max(worstSsim, check(ref[0], ours, at + " SSIM (defaults)"));
      worstSsim = Math.max(worstSsim, check(ref[1],
          Ssim.mean(k.x(), k.y(), k.shape(), k.range(), SsimOptions.uniform(5)), at + " SSIM (5-wide)"));
      if (Arrays.stream(k.shape()).min().orElseThrow() >= 11) {
        gaussianCases++;
        double gaussian = Ssim.mean(k.x(), k.y(), k.shape(), k.range(), SsimOptions.GAUSSIAN);
        worstGaussian = Math.max(worstGaussian, check(ref[2], gaussian, at + " SSIM (Gaussian)"));
        worstGaussian = Math.max(worstGaussian, check(ref[3], Ssim.mean(k.x(), k.y(), k.shape(), k.range(),
            SsimOptions.GAUSSIAN.withSampleCovariance(true)), at + " SSIM (Gaussian, sample covariance)"));
        float32Gaussian = Math.max(float32Gaussian, PythonReference.relativeDifference(gaussian, ref[6]));
      }
      worstPsnr = Math.max(worstPsnr, check(ref[4], Psnr.of(k.x(), k.y(), k.range()), at + " PSNR"));
      float32Uniform = Math.max(float32Uniform, PythonReference.relativeDifference(ours, ref[5]));
    }
    assertTrue(gaussianCases >= 4, "too few cases exercise the Gaussian window: " + gaussianCases);
    System.out.printf("scikit-image, %d cases: max relative difference SSIM %.3g, Gaussian SSIM %.3g, PSNR %.3g;"
        + " scikit-image on float32 input differs from our double result by up to %.3g (uniform), %.3g"
        + " (Gaussian)%n", cases.size(), worstSsim, worstGaussian, worstPsnr, float32Uniform, float32Gaussian);
  }

  private static double check(double expected, double actual, String what) {
    double relative = PythonReference.relativeDifference(actual, expected);
    assertEquals(expected, actual, RELATIVE_TOL * Math.abs(expected), what + " (relative difference " + relative
        + ")");
    return relative;
  }

  private static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(2024);
    cases.add(noisy("random 2-D", random, new int[] {32, 40}, 1, 0.1));
    cases.add(noisy("smallest 2-D", random, new int[] {7, 9}, 1, 0.3));
    cases.add(noisy("random 3-D", random, new int[] {12, 14, 16}, 1, 0.05));
    cases.add(noisy("thin 3-D", random, new int[] {7, 8, 13}, 1, 0.2));
    cases.add(structured("structured 2-D", random, new int[] {48, 64}, 1));
    cases.add(structured("structured 3-D", random, new int[] {20, 22, 24}, 1));
    cases.add(structured("CT-like 3-D in HU", random, new int[] {16, 18, 11}, 2000));
    cases.add(structured("CT-like 2-D in HU", random, new int[] {23, 31}, 2000));
    return cases;
  }

  /** Uniform noise in [0, range) and a copy with Gaussian noise of {@code sigma * range} added. */
  private static Case noisy(String name, SplittableRandom random, int[] shape, double range, double sigma) {
    int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    float[] x = new float[n];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (range * random.nextDouble());
      y[i] = (float) (x[i] + sigma * range * random.nextGaussian());
    }
    return new Case(name, shape, range, x, y);
  }

  /**
   * A smooth ramp with a bright ball and a dark constant slab, then a copy shifted by one voxel along the last axis,
   * dimmed by 10% and given mild noise. With {@code range} 2000 the values are Hounsfield-like, -1000 to 1000.
   */
  private static Case structured(String name, SplittableRandom random, int[] shape, double range) {
    int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    double offset = range > 1 ? -range / 2 : 0;
    float[] x = new float[n];
    int[] coordinate = new int[shape.length];
    for (int i = 0; i < n; i++) {
      int rest = i;
      for (int d = shape.length - 1; d >= 0; d--) {
        coordinate[d] = rest % shape[d];
        rest /= shape[d];
      }
      double ramp = 0.3 * coordinate[0] / shape[0];
      double r2 = 0;
      for (int d = 0; d < shape.length; d++) {
        double u = (coordinate[d] - shape[d] / 2.0) / (shape[d] / 4.0);
        r2 += u * u;
      }
      double value = r2 < 1 ? 0.9 : coordinate[shape.length - 1] < 3 ? 0.05 : 0.2 + ramp;
      x[i] = (float) (offset + range * value);
    }
    float[] y = new float[n];
    int last = shape[shape.length - 1];
    for (int i = 0; i < n; i++) {
      int along = i % last;
      float shifted = along + 1 < last ? x[i + 1] : x[i];
      y[i] = (float) (offset + 0.9 * (shifted - offset) + 0.02 * range * random.nextGaussian());
    }
    return new Case(name, shape, range, x, y);
  }
}
