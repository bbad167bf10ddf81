package org.medvision.io.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/** Real files written with ImageIO, read back, compared with the samples that were written. */
class ImagesTest {
  private static final float EXACT = 1e-7f;

  @TempDir Path dir;

  private Path write(BufferedImage image, String format, String name) throws IOException {
    Path file = dir.resolve(name);
    assertTrue(ImageIO.write(image, format, file.toFile()), "no ImageIO writer for " + format);
    return file;
  }

  @Test
  void eightBitGrayIsScaledBy255() throws IOException {
    BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
    int[] values = {0, 1, 128, 200, 254, 255};
    img.getRaster().setPixels(0, 0, 3, 2, values);
    Tensor t = Images.read(write(img, "png", "gray8.png"));
    assertEquals(Shape.of(1, 2, 3), t.shape());
    float[] expected = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      expected[i] = values[i] / 255f;
    }
    assertArrayEquals(expected, t.toFloatArray(), EXACT);
  }

  @Test
  void sixteenBitGrayIsScaledBy65535() throws IOException {
    BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_USHORT_GRAY);
    int[] values = {0, 1000, 40000, 65535};
    img.getRaster().setPixels(0, 0, 2, 2, values);
    Tensor t = Images.read(write(img, "png", "gray16.png"));
    assertEquals(Shape.of(1, 2, 2), t.shape());
    assertArrayEquals(new float[] {0f, 1000f / 65535, 40000f / 65535, 1f}, t.toFloatArray(), EXACT);
  }

  @Test
  void rgbBecomesThreePlanesInRgbOrder() throws IOException {
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, 0x102030);
    img.setRGB(1, 0, 0xFF8000);
    Tensor t = Images.read(write(img, "png", "rgb.png"));
    assertEquals(Shape.of(3, 1, 2), t.shape());
    assertArrayEquals(new float[] {0x10 / 255f, 1f, 0x20 / 255f, 0x80 / 255f, 0x30 / 255f, 0f}, t.toFloatArray(),
        EXACT);
  }

  @Test
  void rgbaDropsAlphaWithoutCompositing() throws IOException {
    BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
    img.setRGB(0, 0, 0x40C08020);
    Tensor t = Images.read(write(img, "png", "rgba.png"));
    assertEquals(Shape.of(3, 1, 1), t.shape());
    assertArrayEquals(new float[] {0xC0 / 255f, 0x80 / 255f, 0x20 / 255f}, t.toFloatArray(), EXACT);
  }

  @Test
  void paletteIsExpandedToRgb() throws IOException {
    byte[] r = {(byte) 255, 0, 10};
    byte[] g = {0, (byte) 255, 20};
    byte[] b = {0, 0, 30};
    IndexColorModel palette = new IndexColorModel(2, 3, r, g, b);
    BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
    WritableRaster raster = img.getRaster();
    raster.setPixels(0, 0, 3, 1, new int[] {2, 0, 1});
    Tensor t = Images.read(write(img, "png", "palette.png"));
    assertEquals(Shape.of(3, 1, 3), t.shape());
    assertArrayEquals(new float[] {10 / 255f, 1f, 0f, 20 / 255f, 0f, 1f, 30 / 255f, 0f, 0f}, t.toFloatArray(),
        EXACT);
  }

  @Test
  void bmpIsRead() throws IOException {
    BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_3BYTE_BGR);
    img.setRGB(1, 1, 0x0A141E);
    Tensor t = Images.read(write(img, "bmp", "x.bmp"));
    assertEquals(Shape.of(3, 2, 2), t.shape());
    float[] v = t.toFloatArray();
    assertEquals(10 / 255f, v[3], EXACT);
    assertEquals(20 / 255f, v[7], EXACT);
    assertEquals(30 / 255f, v[11], EXACT);
    assertEquals(0f, v[0], EXACT);
  }

  @Test
  void jpegGrayIsReadWithinCompressionError() throws IOException {
    BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
    int[] flat = new int[256];
    Arrays.fill(flat, 100);
    img.getRaster().setPixels(0, 0, 16, 16, flat);
    Tensor t = Images.read(write(img, "jpeg", "flat.jpg"));
    assertEquals(Shape.of(1, 16, 16), t.shape());
    // A flat block survives JPEG's DCT quantisation up to rounding: within 2 grey levels.
    for (float v : t.toFloatArray()) {
      assertEquals(100 / 255f, v, 2 / 255f);
    }
  }

  @Test
  void missingFileIsNamed() {
    Path missing = dir.resolve("nope.png");
    ImageReadException e = assertThrows(ImageReadException.class, () -> Images.read(missing));
    assertEquals("image file not found: " + missing, e.getMessage());
  }

  @Test
  void bytesThatAreNoImageAreRejectedNamingTheFile() throws IOException {
    Path file = dir.resolve("notes.png");
    byte[] junk = new byte[300];
    new SplittableRandom(3).nextBytes(junk);
    junk[0] = 'x';
    Files.write(file, junk);
    ImageReadException e = assertThrows(ImageReadException.class, () -> Images.read(file));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("not an image"), e.getMessage());
  }

  @Test
  void truncatedPngIsRejectedNamingTheFile() throws IOException {
    Path file = truncated(noisy(BufferedImage.TYPE_BYTE_GRAY), "png", "cut.png");
    ImageReadException e = assertThrows(ImageReadException.class, () -> Images.read(file));
    assertTrue(e.getMessage().startsWith("cannot decode image " + file), e.getMessage());
  }

  @Test
  void truncatedJpegIsRejectedRatherThanGreyFilled() throws IOException {
    Path file = truncated(noisy(BufferedImage.TYPE_3BYTE_BGR), "jpeg", "cut.jpg");
    ImageReadException e = assertThrows(ImageReadException.class, () -> Images.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void directoryIsRejected() {
    ImageReadException e = assertThrows(ImageReadException.class, () -> Images.read(dir));
    assertTrue(e.getMessage().contains(dir + " is a folder, not a file"), e.getMessage());
  }

  private static BufferedImage noisy(int type) {
    BufferedImage img = new BufferedImage(64, 64, type);
    SplittableRandom random = new SplittableRandom(11);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        img.setRGB(x, y, random.nextInt(0x1000000));
      }
    }
    return img;
  }

  private Path truncated(BufferedImage img, String format, String name) throws IOException {
    Path whole = write(img, format, "whole-" + name);
    byte[] bytes = Files.readAllBytes(whole);
    Path file = dir.resolve(name);
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
    return file;
  }
}
