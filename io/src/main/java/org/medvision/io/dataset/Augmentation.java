package org.medvision.io.dataset;

import java.util.SplittableRandom;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.Seeds;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/**
 * Seeded training augmentation of one decoded image (float32 [C, H, W], values in [0, 1]) before preprocessing.
 *
 * <p>Steps, in order, with parameters drawn per image from a stream that depends only on the run seed, the epoch and
 * the image's dataset index (so the same seed gives the same images, a resumed run replays them, and the result does
 * not depend on batching or threads):
 * <ol>
 *   <li>rotation by an angle uniform in ±{@value #MAX_ROTATION_DEGREES}° about the image centre ((W−1)/2, (H−1)/2),
 *       positive angles counter-clockwise as displayed, bilinear sampling; pixels that come from outside the image
 *       are 0 (black, which is air in a windowed CT slice and torchvision's {@code RandomRotation} default fill);
 *   <li>horizontal flip with probability {@value #FLIP_PROBABILITY};
 *   <li>brightness: every value times b, b uniform in 1 ± {@value #MAX_INTENSITY_CHANGE}, clamped to [0, 1];
 *   <li>contrast: {@code mean + c·(x − mean)} with c uniform in 1 ± {@value #MAX_INTENSITY_CHANGE} and the mean over
 *       all pixels and channels after brightness, clamped to [0, 1] (torchvision's {@code ColorJitter} clamps float
 *       images after each of the two steps too).
 * </ol>
 * Immutable and thread-safe.
 */
public final class Augmentation {
  /** Probability of a horizontal flip. */
  public static final double FLIP_PROBABILITY = 0.5;
  /** Largest rotation, in degrees, either way. */
  public static final double MAX_ROTATION_DEGREES = 10;
  /** Largest relative brightness and contrast change. */
  public static final double MAX_INTENSITY_CHANGE = 0.1;

  private final long seed;

  /** Augmentation drawing from {@code seed}. */
  public Augmentation(long seed) {
    this.seed = seed;
  }

  /**
   * The parameters of one image's augmentation.
   *
   * @param degrees rotation angle, counter-clockwise as displayed
   * @param flip whether to mirror left-right
   * @param brightness brightness factor
   * @param contrast contrast factor
   */
  public record Params(double degrees, boolean flip, double brightness, double contrast) {
    /** No change. */
    public static final Params IDENTITY = new Params(0, false, 1, 1);
  }

  /** The parameters drawn for image {@code index} in epoch {@code epoch}. */
  public Params params(int epoch, int index) {
    SplittableRandom rng = new SplittableRandom(mix(mix(seed, epoch), index));
    double degrees = (2 * rng.nextDouble() - 1) * MAX_ROTATION_DEGREES;
    boolean flip = rng.nextDouble() < FLIP_PROBABILITY;
    double brightness = 1 + (2 * rng.nextDouble() - 1) * MAX_INTENSITY_CHANGE;
    double contrast = 1 + (2 * rng.nextDouble() - 1) * MAX_INTENSITY_CHANGE;
    return new Params(degrees, flip, brightness, contrast);
  }

  /** Image {@code index} of epoch {@code epoch}, augmented. */
  public Tensor apply(Tensor image, int epoch, int index) {
    return apply(image, params(epoch, index));
  }

  /**
   * A mask [C, H, W] of 0 and 1 moved with {@code p} as its image is (rotation and flip, no intensity change), then
   * thresholded at 0.5 so it stays binary.
   *
   * @throws MedvisionException if the mask is not [C, H, W]
   */
  public static Tensor applyToMask(Tensor mask, Params p) {
    Tensor moved = apply(mask, new Params(p.degrees(), p.flip(), 1, 1));
    float[] v = moved.toFloatArray();
    for (int i = 0; i < v.length; i++) {
      v[i] = v[i] >= 0.5f ? 1f : 0f;
    }
    return Tensor.of(moved.shape(), v);
  }

  /**
   * {@code image} transformed with {@code p}.
   *
   * @throws MedvisionException if the image is not [C, H, W]
   */
  public static Tensor apply(Tensor image, Params p) {
    Shape s = image.shape();
    if (s.rank() != 3) {
      throw new MedvisionException("augmentation needs an image [C, H, W], got shape " + s);
    }
    int c = (int) s.dim(0);
    int h = (int) s.dim(1);
    int w = (int) s.dim(2);
    float[] x = image.toFloatArray();
    if (p.degrees() != 0) {
      x = rotate(x, c, h, w, p.degrees());
    }
    if (p.flip()) {
      flip(x, c, h, w);
    }
    if (p.brightness() != 1 || p.contrast() != 1) {
      jitter(x, p.brightness(), p.contrast());
    }
    return Tensor.of(s, x);
  }

  private static float[] rotate(float[] in, int channels, int h, int w, double degrees) {
    double theta = Math.toRadians(degrees);
    double cos = Math.cos(theta);
    double sin = Math.sin(theta);
    double cx = (w - 1) / 2.0;
    double cy = (h - 1) / 2.0;
    float[] out = new float[in.length];
    int plane = h * w;
    for (int y = 0; y < h; y++) {
      double dy = y - cy;
      for (int x = 0; x < w; x++) {
        double dx = x - cx;
        // Inverse mapping: the output pixel shows the input point rotated back by the angle (y grows downwards).
        double sx = cx + cos * dx - sin * dy;
        double sy = cy + sin * dx + cos * dy;
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        double fx = sx - x0;
        double fy = sy - y0;
        for (int ch = 0; ch < channels; ch++) {
          int base = ch * plane;
          double v = (1 - fy) * ((1 - fx) * at(in, base, h, w, y0, x0) + fx * at(in, base, h, w, y0, x0 + 1))
              + fy * ((1 - fx) * at(in, base, h, w, y0 + 1, x0) + fx * at(in, base, h, w, y0 + 1, x0 + 1));
          out[base + y * w + x] = (float) v;
        }
      }
    }
    return out;
  }

  private static double at(float[] in, int base, int h, int w, int y, int x) {
    return y < 0 || y >= h || x < 0 || x >= w ? 0 : in[base + y * w + x];
  }

  private static void flip(float[] x, int channels, int h, int w) {
    for (int r = 0; r < channels * h; r++) {
      int row = r * w;
      for (int i = 0, j = w - 1; i < j; i++, j--) {
        float t = x[row + i];
        x[row + i] = x[row + j];
        x[row + j] = t;
      }
    }
  }

  private static void jitter(float[] x, double brightness, double contrast) {
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.min(1, Math.max(0, x[i] * brightness));
      sum += x[i];
    }
    double mean = sum / x.length;
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.min(1, Math.max(0, mean + contrast * (x[i] - mean)));
    }
  }

  private static long mix(long a, long b) {
    return Seeds.mix(a, b);
  }
}
