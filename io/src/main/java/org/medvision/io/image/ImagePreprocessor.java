package org.medvision.io.image;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import org.medvision.api.MedvisionException;
import org.medvision.api.task.ImagePreprocessing;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/**
 * Turns decoded images into model inputs as an {@link ImagePreprocessing} describes.
 *
 * <p>Steps, in order: RGB is reduced to luminance ({@code 0.299 R + 0.587 G + 0.114 B}, ITU-R BT.601, as PIL and
 * torchvision compute grayscale) when the model wants one channel; the image is resized bilinearly with the
 * half-pixel-centre convention (PyTorch {@code interpolate(mode="bilinear", align_corners=False)} without
 * antialiasing: source coordinate {@code (dst + 0.5) * in / out - 0.5}, clamped at the borders); grayscale is
 * replicated to the channel count; each channel c becomes {@code (x - mean[c]) / std[c]}. Channel reduction and
 * replication commute with the resize because both are per-pixel linear maps, so the cheaper order is used. It is
 * one pass, row by row, from the decoded tensor's data into the output tensor's: no whole-image intermediate.
 *
 * <p>Immutable and thread-safe.
 */
public final class ImagePreprocessor {
  static final float LUMA_R = 0.299f;
  static final float LUMA_G = 0.587f;
  static final float LUMA_B = 0.114f;

  private final ImagePreprocessing spec;
  private final float[] mean;
  private final float[] std;

  /**
   * A preprocessor for {@code spec}.
   *
   * @throws MedvisionException if the mean or std length differs from the channel count, a std is not positive, or
   *     a size is not positive
   */
  public ImagePreprocessor(ImagePreprocessing spec) {
    this.spec = spec;
    this.mean = spec.mean();
    this.std = spec.std();
    if (spec.channels() <= 0 || spec.height() <= 0 || spec.width() <= 0) {
      throw new MedvisionException("image preprocessing needs positive channels and size, got " + spec.channels()
          + " channels of " + spec.height() + "x" + spec.width());
    }
    if (mean.length != spec.channels() || std.length != spec.channels()) {
      throw new MedvisionException("image preprocessing for " + spec.channels() + " channels has " + mean.length
          + " means and " + std.length + " standard deviations");
    }
    for (float s : std) {
      if (!(s > 0)) {
        throw new MedvisionException("image preprocessing standard deviations must be positive, got " + s);
      }
    }
  }

  /** The preprocessing this applies. */
  public ImagePreprocessing spec() {
    return spec;
  }

  /** Reads {@code file} with {@link Images#read} and preprocesses it. */
  public Tensor load(Path file) {
    return apply(Images.read(file));
  }

  /**
   * Preprocesses one image.
   *
   * @param image float32 [C, H, W] with C = 1 or 3 (or already the target channel count), values in [0, 1]
   * @return float32 [channels, height, width]
   * @throws MedvisionException if the image is not rank 3 or its channel count cannot be adapted
   */
  public Tensor apply(Tensor image) {
    Shape s = image.shape();
    if (s.rank() != 3) {
      throw new MedvisionException("an image must be [C, H, W], got shape " + s);
    }
    int c = (int) s.dim(0);
    int h = (int) s.dim(1);
    int w = (int) s.dim(2);
    int target = spec.channels();
    boolean luminance = c == 3 && target == 1;
    if (!luminance && c != target && c != 1) {
      throw new MedvisionException("cannot turn a " + c + "-channel image into the " + target
          + " channels the model expects; give 1 (grayscale) or 3 (RGB) channels");
    }
    FloatBuffer pixels = image.dtype() == DType.FLOAT32 ? image.data().asFloatBuffer()
        : FloatBuffer.wrap(image.toFloatArray());
    SourceRows rows = new SourceRows(pixels, h, w, luminance);
    return Tensor.write(DType.FLOAT32, Shape.of(target, spec.height(), spec.width()),
        out -> onePass(rows, luminance || c == 1, h, w, out.asFloatBuffer()));
  }

  /**
   * Resizes and normalises row by row straight into {@code out}: each resized row of a source channel is normalised
   * into every output channel it feeds (all of them for one source channel, else its own), so no whole-image
   * intermediate exists. The arithmetic per value is the same as resizing the whole image first.
   */
  private void onePass(SourceRows rows, boolean oneSource, int h, int w, FloatBuffer out) {
    int oh = spec.height();
    int ow = spec.width();
    int target = spec.channels();
    Bilinear ys = new Bilinear(h, oh);
    Bilinear xs = new Bilinear(w, ow);
    boolean sameSize = h == oh && w == ow;
    float[] resized = new float[ow];
    float[] normalised = new float[ow];
    int plane = oh * ow;
    for (int source = 0; source < (oneSource ? 1 : target); source++) {
      for (int y = 0; y < oh; y++) {
        rows.load(source, ys.lo[y], sameSize ? ys.lo[y] : ys.hi[y]);
        float[] row = sameSize ? rows.top() : xs.interpolate(rows.top(), rows.bottom(), ys.frac[y], resized);
        for (int ch = oneSource ? 0 : source; ch < (oneSource ? target : source + 1); ch++) {
          float m = mean[ch];
          float inv = 1f / std[ch];
          for (int x = 0; x < ow; x++) {
            normalised[x] = (row[x] - m) * inv;
          }
          out.put(ch * plane + y * ow, normalised);
        }
      }
    }
  }

  /**
   * Stacks preprocessed images into one batch.
   *
   * @param images one or more float32 tensors of one shape [C, H, W]
   * @return float32 [N, C, H, W]
   * @throws MedvisionException if the list is empty or the shapes differ, naming the first that differs
   */
  public static Tensor batch(List<Tensor> images) {
    if (images.isEmpty()) {
      throw new MedvisionException("cannot batch zero images");
    }
    Shape first = images.get(0).shape();
    long[] dims = new long[first.rank() + 1];
    dims[0] = images.size();
    System.arraycopy(first.dims(), 0, dims, 1, first.rank());
    Shape batchShape = Shape.of(dims);
    float[] all = new float[Math.toIntExact(batchShape.size())];
    FloatBuffer dst = FloatBuffer.wrap(all);
    for (int i = 0; i < images.size(); i++) {
      Tensor t = images.get(i);
      if (!t.shape().equals(first)) {
        throw new MedvisionException("cannot batch images of different shapes: image 0 is " + first + ", image " + i
            + " is " + t.shape());
      }
      if (t.dtype() == DType.FLOAT32) {
        dst.put(t.data().asFloatBuffer());
      } else {
        dst.put(t.toFloatArray());
      }
    }
    return Tensor.of(batchShape, all);
  }

  /**
   * The half-pixel-centre bilinear sampling of one axis (PyTorch's convention): for each output index the two source
   * indices and the weight of the second.
   */
  private static final class Bilinear {
    final int[] lo;
    final int[] hi;
    final float[] frac;

    Bilinear(int in, int out) {
      lo = new int[out];
      hi = new int[out];
      frac = new float[out];
      double scale = (double) in / out;
      for (int i = 0; i < out; i++) {
        double src = Math.max((i + 0.5) * scale - 0.5, 0.0);
        int i0 = Math.min((int) Math.floor(src), in - 1);
        lo[i] = i0;
        hi[i] = Math.min(i0 + 1, in - 1);
        frac[i] = (float) (src - i0);
      }
    }

    /** Row {@code top} blended towards row {@code bottom} by {@code wy}, sampled along this axis, into {@code into}. */
    float[] interpolate(float[] top, float[] bottom, float wy, float[] into) {
      for (int x = 0; x < into.length; x++) {
        float t = top[lo[x]] + frac[x] * (top[hi[x]] - top[lo[x]]);
        float b = bottom[lo[x]] + frac[x] * (bottom[hi[x]] - bottom[lo[x]]);
        into[x] = t + wy * (b - t);
      }
      return into;
    }
  }
}
