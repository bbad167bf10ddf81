package org.medvision.api.task;

/**
 * How raw images become a model input: channel count, size, per-channel normalisation.
 *
 * <p>An image with values in [0, 1] is resized (bilinear) to {@code height x width}, grayscale is replicated to
 * {@code channels} channels, and each channel c becomes {@code (x - mean[c]) / std[c]}.
 *
 * @param channels channels the model expects (3 for ImageNet-pretrained encoders)
 * @param height input height
 * @param width input width
 * @param mean per-channel mean, in [0, 1] units
 * @param std per-channel standard deviation, in [0, 1] units
 */
public record ImagePreprocessing(int channels, int height, int width, float[] mean, float[] std) {
  /** ImageNet statistics, as torchvision and timm use them. */
  public static ImagePreprocessing imagenet(int size) {
    return new ImagePreprocessing(3, size, size, new float[] {0.485f, 0.456f, 0.406f},
        new float[] {0.229f, 0.224f, 0.225f});
  }

  /** Defensive copies. */
  public ImagePreprocessing {
    mean = mean.clone();
    std = std.clone();
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] std() {
    return std.clone();
  }

  /** Equal when every field agrees, means and deviations compared by content. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ImagePreprocessing p && channels == p.channels && height == p.height && width == p.width
        && java.util.Arrays.equals(mean, p.mean) && java.util.Arrays.equals(std, p.std);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(channels, height, width, java.util.Arrays.hashCode(mean),
        java.util.Arrays.hashCode(std));
  }

  @Override
  public String toString() {
    return channels + "x" + height + "x" + width + " mean " + java.util.Arrays.toString(mean) + " std "
        + java.util.Arrays.toString(std);
  }
}
