package org.medvision.io.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;
import org.medvision.io.volume.Affine;
import org.medvision.io.volume.Volume;
import org.medvision.testkit.fixtures.TestData;

/** Write then read: voxels exact, affine within 1e-6; header bytes checked with the independent {@link RawNifti}. */
class NiftiWriterTest {
  @TempDir Path dir;

  /** An oblique LPS affine: 20 degrees about z, then 10 about x, spacing 0.7 x 0.9 x 2.5, origin off centre. */
  private static Affine oblique() {
    double a = Math.toRadians(20);
    double b = Math.toRadians(10);
    double[][] rz = {{Math.cos(a), -Math.sin(a), 0}, {Math.sin(a), Math.cos(a), 0}, {0, 0, 1}};
    double[][] rx = {{1, 0, 0}, {0, Math.cos(b), -Math.sin(b)}, {0, Math.sin(b), Math.cos(b)}};
    double[] spacing = {0.7, 0.9, 2.5};
    double[][] rows = new double[3][4];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        double v = 0;
        for (int k = 0; k < 3; k++) {
          v += rx[r][k] * rz[k][c];
        }
        rows[r][c] = v * spacing[c];
      }
    }
    rows[0][3] = -112.25;
    rows[1][3] = 87.5;
    rows[2][3] = -30.125;
    return Affine.ofRows(rows);
  }

  private static Volume randomVolume(int[] dims, Affine affine, long seed) {
    int n = 1;
    for (int d : dims) {
      n *= d;
    }
    float[] v = new float[n];
    Random random = new Random(seed);
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextGaussian() * 300);
    }
    return Volume.adopt(dims, v, affine);
  }

  private static void assertAffineClose(Affine expected, Affine actual, double relative) {
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 4; c++) {
        double e = expected.get(r, c);
        assertEquals(e, actual.get(r, c), relative * Math.max(1, Math.abs(e)), "affine[" + r + "][" + c + "]");
      }
    }
  }

  @Test
  void niftiOneRoundTripPlainAndGzipped() throws IOException {
    Volume volume = randomVolume(new int[] {7, 5, 4}, oblique(), 1);
    for (String name : List.of("a.nii", "a.nii.gz")) {
      Path file = dir.resolve(name);
      NiftiWriter.nifti1().write(volume, file);
      NiftiImage back = new NiftiReader().read(file);
      assertArrayEquals(volume.toArray(), back.volume().toArray(), name);
      // NIfTI-1 stores the sform as float32: relative precision 6e-8, so 1e-6 relative holds.
      assertAffineClose(volume.affine(), back.volume().affine(), 1e-6);
      // The qform written beside it describes the same geometry.
      assertAffineClose(back.header().sformRas(), back.header().qformRas(), 1e-6);
      RawNifti raw = RawNifti.of(file);
      assertEquals(352, raw.voxOffset());
      assertEquals(16, raw.datatype());
      assertEquals(1, raw.sformCode());
      assertEquals(1, raw.qformCode());
      assertEquals(-volume.affine().get(0, 3), raw.srow(0, 3), 1e-4, "srow_x is RAS: x negated");
      assertEquals(-volume.affine().get(1, 0), raw.srow(1, 0), 1e-6, "srow_y is RAS: y negated");
    }
    assertEquals("n+1", new String(Files.readAllBytes(dir.resolve("a.nii")), 344, 3, StandardCharsets.US_ASCII));
  }

  @Test
  void niftiTwoRoundTripKeepsDoublePrecisionAndExtraDimensions() throws IOException {
    Volume volume = randomVolume(new int[] {6, 5, 4, 3, 2}, oblique(), 2);
    Path file = dir.resolve("b.nii.gz");
    NiftiWriter.nifti2().write(volume, file);
    NiftiImage back = new NiftiReader().read(file);
    assertEquals(2, back.header().version());
    assertArrayEquals(volume.dims(), back.volume().dims());
    assertArrayEquals(volume.toArray(), back.volume().toArray());
    assertEquals(0, volume.affine().maxAbsDifference(back.volume().affine()), 1e-12);
    assertEquals(0, back.header().sformRas().maxAbsDifference(back.header().qformRas()), 1e-9);
  }

  @Test
  void leftHandedAndShearedAffines() throws IOException {
    // Left-handed (determinant < 0): the qform needs qfac = -1.
    Affine leftHanded = Affine.diagonal(0.5, 0.5, -2, 10, 20, 30);
    Path file = dir.resolve("left.nii");
    NiftiWriter.nifti1().write(randomVolume(new int[] {3, 3, 3}, leftHanded, 3), file);
    NiftiHeader h = new NiftiReader().readHeader(file);
    assertEquals(-1, h.pixdim()[0]);
    assertAffineClose(h.sformRas(), h.qformRas(), 1e-6);
    // A gantry-tilted grid is sheared: no quaternion can hold it, so only the sform is written.
    Affine sheared = Affine.ofRows(new double[][] {{0.5, 0, 0, 0}, {0, 0.5, 0.6, 0}, {0, 0, 2, 0}});
    Path tilted = dir.resolve("tilt.nii");
    NiftiWriter.nifti1().write(randomVolume(new int[] {3, 3, 3}, sheared, 4), tilted);
    NiftiImage back = new NiftiReader().read(tilted);
    assertEquals(0, back.header().qformCode());
    assertAffineClose(sheared, back.volume().affine(), 1e-6);
  }

  @Test
  void integerTypesRoundTripExactlyAndRefuseToRound() throws IOException {
    float[] values = {-1024, 0, 40, 3071};
    Volume ct = Volume.copyOf(new int[] {2, 2, 1}, values, Affine.identity());
    Path file = dir.resolve("ct.nii");
    NiftiWriter.nifti1().withDataType(NiftiDataType.INT16).write(ct, file);
    assertEquals(4, RawNifti.of(file).datatype());
    assertArrayEquals(values, new NiftiReader().read(file).volume().toArray());
    Volume fractional = Volume.copyOf(new int[] {2, 2, 1}, new float[] {0, 1.5f, 2, 3}, Affine.identity());
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> NiftiWriter.nifti1().withDataType(NiftiDataType.UINT8).write(fractional, dir.resolve("u8.nii")));
    assertTrue(e.getMessage().contains("voxel 1") && e.getMessage().contains("1.5"), e.getMessage());
    for (NiftiDataType type : NiftiDataType.values()) {
      Path typed = dir.resolve(type + ".nii");
      Volume small = Volume.copyOf(new int[] {2, 2, 1}, new float[] {0, 1, 100, 127}, Affine.identity());
      NiftiWriter.nifti2().withDataType(type).write(small, typed);
      assertArrayEquals(small.toArray(), new NiftiReader().read(typed).volume().toArray(), type.toString());
    }
  }

  @Test
  void writesAtomicallyOverAnExistingFile() throws IOException {
    Path file = dir.resolve("c.nii.gz");
    Files.writeString(file, "old content");
    Volume volume = randomVolume(new int[] {4, 4, 4}, Affine.identity(), 5);
    NiftiWriter.nifti1().write(volume, file);
    assertArrayEquals(volume.toArray(), new NiftiReader().read(file).volume().toArray());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of("c.nii.gz"), files.map(p -> p.getFileName().toString()).collect(Collectors.toList()),
          "no temporary file left behind");
    }
  }

  @Test
  void realFileSurvivesARoundTrip() throws IOException {
    Path source = TestData.debian("python3-nibabel",
        "usr/lib/python3/dist-packages/nibabel/tests/data/example4d.nii.gz");
    NiftiImage original = new NiftiReader().read(source);
    Path copy = dir.resolve("copy.nii.gz");
    NiftiWriter.nifti1().write(original.volume(), copy);
    NiftiImage back = new NiftiReader().read(copy);
    assertArrayEquals(original.volume().dims(), back.volume().dims());
    assertArrayEquals(original.volume().toArray(), back.volume().toArray());
    assertAffineClose(original.volume().affine(), back.volume().affine(), 1e-6);
  }
}
