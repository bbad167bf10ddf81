package org.medvision.io.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.task.ImagePreprocessing;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/** Expected values are computed by hand from the half-pixel-centre bilinear rule in the class Javadoc. */
class ImagePreprocessorTest {
  private static final float TOL = 1e-6f;

  private static ImagePreprocessor plain(int channels, int h, int w) {
    float[] zeros = new float[channels];
    float[] ones = new float[channels];
    java.util.Arrays.fill(ones, 1f);
    return new ImagePreprocessor(new ImagePreprocessing(channels, h, w, zeros, ones));
  }

  @Test
  void upsamplesTwoByTwoToFourByFour() {
    // Source coordinates for out=4, in=2: 0.5*(i+0.5)-0.5 = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (past the last
    // pixel, so it repeats). Along a row [a, b]: a, 0.75a+0.25b, 0.25a+0.75b, b; the same along columns.
    Tensor in = Tensor.ofFloats(new float[] {0, 1, 2, 3}, 1, 2, 2);
    Tensor out = plain(1, 4, 4).apply(in);
    assertEquals(Shape.of(1, 4, 4), out.shape());
    assertArrayEquals(new float[] {
        0.0f, 0.25f, 0.75f, 1.0f,
        0.5f, 0.75f, 1.25f, 1.5f,
        1.5f, 1.75f, 2.25f, 2.5f,
        2.0f, 2.25f, 2.75f, 3.0f}, out.toFloatArray(), TOL);
  }

  @Test
  void halvingAveragesEachTwoByTwoBlock() {
    // out=2, in=4: source coordinates 0.5 and 2.5, each halfway between two pixels.
    float[] v = new float[16];
    for (int i = 0; i < 16; i++) {
      v[i] = i * i;
    }
    Tensor out = plain(1, 2, 2).apply(Tensor.ofFloats(v, 1, 4, 4));
    float[] expected = {
        (0 + 1 + 16 + 25) / 4f, (4 + 9 + 36 + 49) / 4f,
        (64 + 81 + 144 + 169) / 4f, (100 + 121 + 196 + 225) / 4f};
    assertArrayEquals(expected, out.toFloatArray(), 1e-4f);
  }

  @Test
  void threeToTwoUsesQuarterWeights() {
    // scale 1.5: source x = 0.25 and 1.75 -> 0.75*0 + 0.25*10 and 0.25*10 + 0.75*20.
    Tensor out = plain(1, 1, 2).apply(Tensor.ofFloats(new float[] {0, 10, 20}, 1, 1, 3));
    assertArrayEquals(new float[] {2.5f, 17.5f}, out.toFloatArray(), TOL);
  }

  @Test
  void grayIsReplicatedThenEachChannelNormalised() {
    ImagePreprocessor p = new ImagePreprocessor(ImagePreprocessing.imagenet(1));
    Tensor out = p.apply(Tensor.ofFloats(new float[] {0.5f}, 1, 1, 1));
    assertEquals(Shape.of(3, 1, 1), out.shape());
    assertArrayEquals(new float[] {(0.5f - 0.485f) / 0.229f, (0.5f - 0.456f) / 0.224f, (0.5f - 0.406f) / 0.225f},
        out.toFloatArray(), TOL);
  }

  @Test
  void rgbBecomesLuminanceForOneChannelModels() {
    ImagePreprocessor p = new ImagePreprocessor(new ImagePreprocessing(1, 1, 2, new float[] {0.5f},
        new float[] {0.25f}));
    Tensor rgb = Tensor.ofFloats(new float[] {1f, 0f, 0f, 1f, 0f, 1f}, 3, 1, 2);
    // pixel 0 = (1, 0, 0) -> 0.299; pixel 1 = (0, 1, 1) -> 0.587 + 0.114 = 0.701
    assertArrayEquals(new float[] {(0.299f - 0.5f) / 0.25f, (0.701f - 0.5f) / 0.25f}, p.apply(rgb).toFloatArray(),
        TOL);
  }

  @Test
  void rgbKeepsItsChannelsForRgbModels() {
    Tensor rgb = Tensor.ofFloats(new float[] {0.1f, 0.2f, 0.3f}, 3, 1, 1);
    assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f}, plain(3, 1, 1).apply(rgb).toFloatArray(), TOL);
  }

  @Test
  void batchStacksInOrder() {
    Tensor a = Tensor.ofFloats(new float[] {1, 2}, 1, 1, 2);
    Tensor b = Tensor.ofFloats(new float[] {3, 4}, 1, 1, 2);
    Tensor batch = ImagePreprocessor.batch(List.of(a, b, a));
    assertEquals(Shape.of(3, 1, 1, 2), batch.shape());
    assertArrayEquals(new float[] {1, 2, 3, 4, 1, 2}, batch.toFloatArray(), 0f);
  }

  @Test
  void batchOfDifferentShapesNamesTheImage() {
    Tensor a = Tensor.ofFloats(new float[] {1, 2}, 1, 1, 2);
    Tensor b = Tensor.ofFloats(new float[] {3}, 1, 1, 1);
    MedvisionException e = assertThrows(MedvisionException.class, () -> ImagePreprocessor.batch(List.of(a, b)));
    assertTrue(e.getMessage().contains("image 1 is [1, 1, 1]"), e.getMessage());
  }

  @Test
  void unadaptableInputsAreRejected() {
    assertThrows(MedvisionException.class, () -> plain(3, 2, 2).apply(Tensor.ofFloats(new float[4], 2, 1, 2)));
    assertThrows(MedvisionException.class, () -> plain(3, 2, 2).apply(Tensor.ofFloats(new float[4], 2, 2)));
    assertThrows(MedvisionException.class,
        () -> new ImagePreprocessor(new ImagePreprocessing(3, 2, 2, new float[3], new float[] {1, 0, 1})));
    assertThrows(MedvisionException.class,
        () -> new ImagePreprocessor(new ImagePreprocessing(3, 2, 2, new float[1], new float[] {1})));
  }

  @Test
  void onePassMatchesWholeImageStepsBitForBit() {
    // The one-pass preprocessor must give exactly what the plain sequence of whole-image steps gives.
    SplittableRandom random = new SplittableRandom(7);
    float[] m3 = {0.485f, 0.456f, 0.406f};
    float[] s3 = {0.229f, 0.224f, 0.225f};
    int[][] cases = { // source channels, h, w, target channels, out h, out w
        {1, 24, 24, 3, 24, 24}, {1, 37, 53, 3, 24, 24}, {3, 20, 30, 1, 45, 33}, {3, 17, 19, 3, 8, 40},
        {1, 16, 16, 1, 16, 16}, {3, 9, 9, 1, 9, 9}, {1, 10, 12, 1, 10, 7}};
    for (int[] k : cases) {
      ImagePreprocessing spec = k[3] == 3 ? new ImagePreprocessing(3, k[4], k[5], m3, s3)
          : new ImagePreprocessing(1, k[4], k[5], new float[] {0.4f}, new float[] {0.3f});
      float[] pixels = new float[k[0] * k[1] * k[2]];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (float) random.nextDouble();
      }
      float[] expected = wholeImageSteps(spec, pixels, k[0], k[1], k[2]);
      Tensor out = new ImagePreprocessor(spec).apply(Tensor.ofFloats(pixels, k[0], k[1], k[2]));
      assertEquals(Shape.of(k[3], k[4], k[5]), out.shape());
      assertArrayEquals(expected, out.toFloatArray(), java.util.Arrays.toString(k));
    }
  }

  /** Luminance, resize, replication and normalisation, each over the whole image, as the class Javadoc states. */
  private static float[] wholeImageSteps(ImagePreprocessing spec, float[] in, int c, int h, int w) {
    int plane = h * w;
    float[] src = in;
    int channels = c;
    if (c == 3 && spec.channels() == 1) {
      src = new float[plane];
      for (int i = 0; i < plane; i++) {
        src[i] = 0.299f * in[i] + 0.587f * in[plane + i] + 0.114f * in[2 * plane + i];
      }
      channels = 1;
    }
    int oh = spec.height();
    int ow = spec.width();
    float[] resized = src;
    if (h != oh || w != ow) {
      resized = new float[channels * oh * ow];
      for (int ch = 0; ch < channels; ch++) {
        for (int y = 0; y < oh; y++) {
          double sy = Math.max((y + 0.5) * ((double) h / oh) - 0.5, 0.0);
          int y0 = Math.min((int) Math.floor(sy), h - 1);
          int y1 = Math.min(y0 + 1, h - 1);
          float wy = (float) (sy - y0);
          for (int x = 0; x < ow; x++) {
            double sx = Math.max((x + 0.5) * ((double) w / ow) - 0.5, 0.0);
            int x0 = Math.min((int) Math.floor(sx), w - 1);
            int x1 = Math.min(x0 + 1, w - 1);
            float wx = (float) (sx - x0);
            int base = ch * plane;
            float top = src[base + y0 * w + x0] + wx * (src[base + y0 * w + x1] - src[base + y0 * w + x0]);
            float bottom = src[base + y1 * w + x0] + wx * (src[base + y1 * w + x1] - src[base + y1 * w + x0]);
            resized[ch * oh * ow + y * ow + x] = top + wy * (bottom - top);
          }
        }
      }
    }
    int outPlane = oh * ow;
    float[] out = new float[spec.channels() * outPlane];
    for (int ch = 0; ch < spec.channels(); ch++) {
      int from = (channels == 1 ? 0 : ch) * outPlane;
      for (int i = 0; i < outPlane; i++) {
        out[ch * outPlane + i] = (resized[from + i] - spec.mean()[ch]) * (1f / spec.std()[ch]);
      }
    }
    return out;
  }
}
