package org.medvision.io.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.io.volume.Affine;

/**
 * NIfTI-1 files laid out byte by byte here (independently of {@link NiftiWriter}) to cover every datatype, both byte
 * orders, scaling, the pixdim-only transform and each malformed-header error.
 */
class NiftiCraftedFilesTest {
  @TempDir Path dir;

  /** A 2x2x1 NIfTI-1 image; the caller fills the voxels at byte 352. */
  private static ByteBuffer header(ByteOrder order, int datatype, int bitpix, int voxelBytes) {
    ByteBuffer b = ByteBuffer.allocate(352 + 4 * voxelBytes).order(order);
    b.putInt(0, 348);
    short[] dim = {3, 2, 2, 1, 1, 1, 1, 1};
    float[] pixdim = {1, 0.5f, 0.25f, 3, 0, 0, 0, 0};
    for (int i = 0; i < 8; i++) {
      b.putShort(40 + 2 * i, dim[i]);
      b.putFloat(76 + 4 * i, pixdim[i]);
    }
    b.putShort(70, (short) datatype);
    b.putShort(72, (short) bitpix);
    b.putFloat(108, 352);
    b.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1').put(347, (byte) 0);
    return b;
  }

  private Path write(String name, ByteBuffer b) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, b.array());
    return file;
  }

  @Test
  void everyDatatypeInBothByteOrders() throws IOException {
    for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
      String tag = order == ByteOrder.BIG_ENDIAN ? "be" : "le";
      ByteBuffer u8 = header(order, 2, 8, 1);
      u8.put(352, (byte) 0).put(353, (byte) 7).put(354, (byte) 200).put(355, (byte) 255);
      check(write("u8" + tag + ".nii", u8), 0, 7, 200, 255);

      ByteBuffer i8 = header(order, 256, 8, 1);
      i8.put(352, (byte) -128).put(353, (byte) -1).put(354, (byte) 0).put(355, (byte) 127);
      check(write("i8" + tag + ".nii", i8), -128, -1, 0, 127);

      ByteBuffer i16 = header(order, 4, 16, 2);
      i16.putShort(352, (short) -32768).putShort(354, (short) -1024).putShort(356, (short) 3).putShort(358,
          (short) 32767);
      check(write("i16" + tag + ".nii", i16), -32768, -1024, 3, 32767);

      ByteBuffer u16 = header(order, 512, 16, 2);
      u16.putShort(352, (short) 0).putShort(354, (short) 40000).putShort(356, (short) 65535).putShort(358,
          (short) 1);
      check(write("u16" + tag + ".nii", u16), 0, 40000, 65535, 1);

      ByteBuffer i32 = header(order, 8, 32, 4);
      i32.putInt(352, -100000).putInt(356, 0).putInt(360, 16777216).putInt(364, -5);
      check(write("i32" + tag + ".nii", i32), -100000, 0, 16777216, -5);

      ByteBuffer u32 = header(order, 768, 32, 4);
      u32.putInt(352, (int) 3000000000L).putInt(356, 1).putInt(360, 0).putInt(364, 65536);
      check(write("u32" + tag + ".nii", u32), 3e9f, 1, 0, 65536);

      ByteBuffer i64 = header(order, 1024, 64, 8);
      i64.putLong(352, -1L << 40).putLong(360, 12345).putLong(368, 0).putLong(376, -7);
      check(write("i64" + tag + ".nii", i64), (float) -(1L << 40), 12345, 0, -7);

      ByteBuffer f32 = header(order, 16, 32, 4);
      f32.putFloat(352, -1.5f).putFloat(356, 0.25f).putFloat(360, 1e30f).putFloat(364, -0f);
      check(write("f32" + tag + ".nii", f32), -1.5f, 0.25f, 1e30f, -0f);

      ByteBuffer f64 = header(order, 64, 64, 8);
      f64.putDouble(352, Math.PI).putDouble(360, -2.5).putDouble(368, 1e-3).putDouble(376, 4096);
      check(write("f64" + tag + ".nii", f64), (float) Math.PI, -2.5f, 1e-3f, 4096);
    }
  }

  private static void check(Path file, float... expected) {
    NiftiImage image = new NiftiReader().read(file);
    assertArrayEquals(new int[] {2, 2, 1}, image.volume().dims(), file.toString());
    assertArrayEquals(expected, image.volume().toArray(), file.toString());
  }

  @Test
  void slopeAndInterceptScaleEveryType() throws IOException {
    ByteBuffer i16 = header(ByteOrder.BIG_ENDIAN, 4, 16, 2);
    i16.putFloat(112, 0.5f).putFloat(116, -1024);
    i16.putShort(352, (short) 0).putShort(354, (short) 2048).putShort(356, (short) -2).putShort(358, (short) 3);
    // 0.5 * raw - 1024
    check(write("scaled.nii", i16), -1024, 0, -1025, -1022.5f);
    ByteBuffer f32 = header(ByteOrder.LITTLE_ENDIAN, 16, 32, 4);
    f32.putFloat(112, 0).putFloat(116, 99);
    f32.putFloat(352, 1).putFloat(356, 2).putFloat(360, 3).putFloat(364, 4);
    // A zero slope means "no scaling", whatever the intercept says.
    check(write("unscaled.nii", f32), 1, 2, 3, 4);
  }

  @Test
  void withoutQformOrSformThePixdimsGiveTheAffine() throws IOException {
    NiftiImage image = new NiftiReader().read(write("pixdim.nii", header(ByteOrder.LITTLE_ENDIAN, 2, 8, 1)));
    assertEquals("pixdim", image.header().transformSource());
    // RAS diag(0.5, 0.25, 3) becomes LPS diag(-0.5, -0.25, 3).
    assertEquals(0, Affine.diagonal(-0.5, -0.25, 3, 0, 0, 0).maxAbsDifference(image.volume().affine()), 0);
  }

  @Test
  void absurdDimensionsAreRejectedNamingTheField() throws IOException {
    ByteBuffer tooMany = header(ByteOrder.LITTLE_ENDIAN, 2, 8, 1);
    tooMany.putShort(40, (short) 9);
    assertMessage(write("ndim.nii", tooMany), "dim[0]");
    ByteBuffer negative = header(ByteOrder.LITTLE_ENDIAN, 2, 8, 1);
    negative.putShort(44, (short) -4);
    assertMessage(write("negative.nii", negative), "dim[2] is -4");
    ByteBuffer huge = header(ByteOrder.LITTLE_ENDIAN, 2, 8, 1);
    huge.putShort(40, (short) 4).putShort(42, (short) 32767).putShort(44, (short) 32767).putShort(46, (short) 32767)
        .putShort(48, (short) 32767);
    assertMessage(write("huge.nii", huge), "more than the limit");
    ByteBuffer small = header(ByteOrder.LITTLE_ENDIAN, 2, 8, 1);
    assertThrows(NiftiFormatException.class, () -> new NiftiReader(3).read(write("limit.nii", small)));
  }

  @Test
  void unsupportedDatatypeIsNamed() throws IOException {
    assertMessage(write("rgb.nii", header(ByteOrder.LITTLE_ENDIAN, 128, 24, 3)), "RGB24 (128)");
    assertMessage(write("complex.nii", header(ByteOrder.LITTLE_ENDIAN, 32, 64, 8)), "COMPLEX64 (32)");
  }

  @Test
  void badMagicAndLayoutAreRejected() throws IOException {
    ByteBuffer pair = header(ByteOrder.LITTLE_ENDIAN, 2, 8, 1);
    pair.put(345, (byte) 'i');
    assertMessage(write("pair.nii", pair), "two-file");
    ByteBuffer analyze = header(ByteOrder.LITTLE_ENDIAN, 2, 8, 1);
    analyze.put(344, (byte) 0).put(345, (byte) 0).put(346, (byte) 0);
    assertMessage(write("analyze.nii", analyze), "magic");
    ByteBuffer early = header(ByteOrder.LITTLE_ENDIAN, 2, 8, 1);
    early.putFloat(108, 100);
    assertMessage(write("early.nii", early), "vox_offset is 100");
  }

  @Test
  void extensionsAreSkippedAndBadOnesRejected() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(384 + 4).order(ByteOrder.LITTLE_ENDIAN);
    b.put(header(ByteOrder.LITTLE_ENDIAN, 2, 8, 1).array(), 0, 352);
    b.putFloat(108, 384);
    b.put(348, (byte) 1);
    b.putInt(352, 32).putInt(356, 6);
    b.put(360, "a comment, 24 bytes long".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    b.put(384, (byte) 9).put(385, (byte) 8).put(386, (byte) 7).put(387, (byte) 6);
    NiftiImage image = new NiftiReader().read(write("ext.nii", b));
    assertEquals(1, image.header().extensions().size());
    assertEquals(new NiftiHeader.Extension(6, 32), image.header().extensions().get(0));
    assertArrayEquals(new float[] {9, 8, 7, 6}, image.volume().toArray());

    b.putInt(352, 64);
    assertMessage(write("badext.nii", b), "esize 64");
  }

  private static void assertMessage(Path file, String fragment) {
    NiftiFormatException e = assertThrows(NiftiFormatException.class, () -> new NiftiReader().read(file));
    assertTrue(e.getMessage().contains(fragment) && e.getMessage().contains(file.getFileName().toString()),
        e.getMessage());
  }
}
