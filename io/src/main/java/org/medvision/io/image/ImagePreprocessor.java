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
 * replication commute with the resize because both are per-pixel linear maps, so the cheaper order is used.
 *
 * <p>Immutable and thread-safe.
 */
public final class ImagePreprocessor {
  private static final float[] LUMA = {0.299f, 0.587f, 0.114f};

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
    float[] pixels = image.toFloatArray();
    int sourceChannels = c;
    if (c == 3 && target == 1) {
      pixels = luminance(pixels, h * w);
      sourceChannels = 1;
    } else if (c != target && c != 1) {
      throw new MedvisionException("cannot turn a " + c + "-channel image into the " + target
          + " channels the model expects; give 1 (grayscale) or 3 (RGB) channels");
    }
    int oh = spec.height();
    int ow = spec.width();
    float[] resized = resize(pixels, sourceChannels, h, w, oh, ow);
    float[] out = new float[target * oh * ow];
    int plane = oh * ow;
    for (int ch = 0; ch < target; ch++) {
      int from = (sourceChannels == 1 ? 0 : ch) * plane;
      float m = mean[ch];
      float inv = 1f / std[ch];
      for (int i = 0; i < plane; i++) {
        out[ch * plane + i] = (resized[from + i] - m) * inv;
      }
    }
    return Tensor.of(Shape.of(target, oh, ow), out);
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

  private static float[] luminance(float[] rgb, int plane) {
    float[] out = new float[plane];
    for (int i = 0; i < plane; i++) {
      out[i] = LUMA[0] * rgb[i] + LUMA[1] * rgb[plane + i] + LUMA[2] * rgb[2 * plane + i];
    }
    return out;
  }

  /** Bilinear resize of {@code channels} planes, half-pixel centres; returns the input when the size is unchanged. */
  static float[] resize(float[] in, int channels, int h, int w, int oh, int ow) {
    if (h == oh && w == ow) {
      return in;
    }
    int[] y0 = new int[oh];
    int[] y1 = new int[oh];
    float[] fy = new float[oh];
    sourceIndices(h, oh, y0, y1, fy);
    int[] x0 = new int[ow];
    int[] x1 = new int[ow];
    float[] fx = new float[ow];
    sourceIndices(w, ow, x0, x1, fx);
    float[] out = new float[channels * oh * ow];
    for (int c = 0; c < channels; c++) {
      int src = c * h * w;
      int dst = c * oh * ow;
      for (int y = 0; y < oh; y++) {
        int r0 = src + y0[y] * w;
        int r1 = src + y1[y] * w;
        float wy = fy[y];
        for (int x = 0; x < ow; x++) {
          float top = in[r0 + x0[x]] + fx[x] * (in[r0 + x1[x]] - in[r0 + x0[x]]);
          float bottom = in[r1 + x0[x]] + fx[x] * (in[r1 + x1[x]] - in[r1 + x0[x]]);
          out[dst + y * ow + x] = top + wy * (bottom - top);
        }
      }
    }
    return out;
  }

  /** For each output index: the two source indices and the weight of the second (PyTorch's convention). */
  private static void sourceIndices(int in, int out, int[] lo, int[] hi, float[] frac) {
    double scale = (double) in / out;
    for (int i = 0; i < out; i++) {
      double src = Math.max((i + 0.5) * scale - 0.5, 0.0);
      int i0 = Math.min((int) Math.floor(src), in - 1);
      lo[i] = i0;
      hi[i] = Math.min(i0 + 1, in - 1);
      frac[i] = (float) (src - i0);
    }
  }
}
