package org.medvision.io.image;

import java.nio.FloatBuffer;

/**
 * Pairs of rows of one channel of a decoded [C, H, W] image, read straight from the tensor's data as a bilinear
 * resize asks for them. For RGB fed to a one-channel model a row is the luminance of the three channels' rows.
 * The two rows read last stay in memory, because consecutive output rows read the same pair or move on by one.
 *
 * <p>One instance serves one pass of one thread.
 */
final class SourceRows {
  private final FloatBuffer pixels;
  private final int height;
  private final int width;
  private final boolean luminance;
  private final float[][] slots;
  private final float[] green; // luminance only: the green and blue rows beside the red one read into a slot
  private final float[] blue;
  private final int[] keys = {-1, -1};
  private float[] top;
  private float[] bottom;

  /**
   * Rows of {@code pixels}, an image of {@code height} × {@code width} planes.
   *
   * @param luminance whether a row is the BT.601 luminance of planes 0, 1 and 2 (then the channel is always 0)
   */
  SourceRows(FloatBuffer pixels, int height, int width, boolean luminance) {
    this.pixels = pixels;
    this.height = height;
    this.width = width;
    this.luminance = luminance;
    this.slots = new float[2][width];
    this.green = luminance ? new float[width] : null;
    this.blue = luminance ? new float[width] : null;
  }

  /** Makes rows {@code y0} ({@link #top}) and {@code y1} ({@link #bottom}) of {@code channel} available. */
  void load(int channel, int y0, int y1) {
    int k0 = channel * height + y0;
    int k1 = channel * height + y1;
    int s0 = slotOf(k0);
    if (s0 < 0) {
      s0 = keys[0] == k1 ? 1 : 0; // never the slot the other row is in
      fill(s0, channel, y0);
    }
    int s1 = slotOf(k1);
    if (s1 < 0) {
      s1 = 1 - s0;
      fill(s1, channel, y1);
    }
    top = slots[s0];
    bottom = slots[s1];
  }

  /** Row {@code y0} of the last {@link #load}; not to be written. */
  float[] top() {
    return top;
  }

  /** Row {@code y1} of the last {@link #load}; not to be written. */
  float[] bottom() {
    return bottom;
  }

  private int slotOf(int key) {
    return keys[0] == key ? 0 : keys[1] == key ? 1 : -1;
  }

  private void fill(int slot, int channel, int y) {
    keys[slot] = channel * height + y;
    float[] into = slots[slot];
    int plane = height * width;
    if (!luminance) {
      pixels.get(channel * plane + y * width, into);
      return;
    }
    pixels.get(y * width, into);
    pixels.get(plane + y * width, green);
    pixels.get(2 * plane + y * width, blue);
    for (int x = 0; x < width; x++) {
      into[x] = ImagePreprocessor.LUMA_R * into[x] + ImagePreprocessor.LUMA_G * green[x]
          + ImagePreprocessor.LUMA_B * blue[x];
    }
  }
}
