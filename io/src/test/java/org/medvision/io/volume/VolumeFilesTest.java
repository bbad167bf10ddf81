package org.medvision.io.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;
import org.medvision.io.nifti.NiftiWriter;
import org.medvision.io.synth.BrainCtClass;
import org.medvision.io.synth.BrainCtDataset;
import org.medvision.io.synth.BrainCtDicomSeries;
import org.medvision.io.synth.BrainCtPhantom;
import org.medvision.io.synth.Difficulty;
import org.medvision.io.synth.Slice;

/** {@link VolumeFiles}: a scan is a NIfTI file or a DICOM series folder; masks must lie on its grid. */
class VolumeFilesTest {
  @TempDir Path dir;

  private static Volume ramp(int[] dims, Affine affine) {
    float[] v = new float[dims[0] * dims[1] * dims[2] * (dims.length > 3 ? dims[3] : 1)];
    for (int i = 0; i < v.length; i++) {
      v[i] = i;
    }
    return Volume.adopt(dims, v, affine);
  }

  @Test
  void niftiFilesAreReadWithTheirGeometryAndTheFirstFrameOfFourDimensions() {
    Affine a = Affine.diagonal(0.5, 0.75, 2, -10, 4, 30);
    Path gz = dir.resolve("scan.nii.gz");
    NiftiWriter.nifti1().write(ramp(new int[] {3, 4, 5}, a), gz);
    Volume v = VolumeFiles.read(gz);
    assertArrayEquals(new int[] {3, 4, 5}, v.dims());
    assertEquals(0, a.maxAbsDifference(v.affine()), 1e-6);
    assertEquals(59f, v.get(2, 3, 4));
    Path fourD = dir.resolve("series.NII");
    NiftiWriter.nifti1().write(ramp(new int[] {3, 4, 5, 2}, a), fourD);
    Volume first = VolumeFiles.read(fourD);
    assertArrayEquals(new int[] {3, 4, 5}, first.dims());
    assertEquals(59f, first.get(2, 3, 4));
    assertTrue(VolumeFiles.isNifti(gz) && VolumeFiles.isNifti(fourD));
    assertFalse(VolumeFiles.isNifti(dir.resolve("scan.nii.bak")));
  }

  @Test
  void aDicomSeriesFolderIsAssembledInPatientCoordinates() {
    BrainCtPhantom phantom = new BrainCtPhantom(40, 40, Difficulty.EASY);
    List<Slice> slices = List.of(phantom.generate(BrainCtClass.NORMAL, BrainCtDataset.randomFor(1, 0)),
        phantom.generate(BrainCtClass.HEMORRHAGIC, BrainCtDataset.randomFor(1, 1)),
        phantom.generate(BrainCtClass.ISCHEMIC, BrainCtDataset.randomFor(1, 2)));
    Path series = dir.resolve("case");
    new BrainCtDicomSeries().write(series, slices, "synth-x", "brain");
    Volume v = VolumeFiles.read(series);
    assertArrayEquals(new int[] {40, 40, 3}, v.dims());
    // A centred 240 mm field of 40 pixels (6 mm) and 5 mm slices, the first pixel centre at (-117, -117, 0).
    assertArrayEquals(new double[] {6, 6, 5}, v.spacing(), 1e-9);
    assertArrayEquals(new double[] {-117, -117, 0}, v.origin(), 1e-9);
    for (int z = 0; z < 3; z++) {
      float[] hu = slices.get(z).hu();
      for (int i = 0; i < hu.length; i++) {
        assertEquals(hu[i], v.get(i % 40, i / 40, z), BrainCtDicomSeries.RESCALE_SLOPE / 2 + 1e-6,
            "slice " + z + " pixel " + i);
      }
    }
  }

  @Test
  void aMissingScanIsNamed() {
    Path absent = dir.resolve("absent.nii");
    MedvisionException e = assertThrows(MedvisionException.class, () -> VolumeFiles.read(absent));
    assertEquals("scan not found: " + absent, e.getMessage());
  }

  @Test
  void aFolderWithoutDicomIsNamed() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    MedvisionException e = assertThrows(MedvisionException.class, () -> VolumeFiles.read(empty));
    assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
  }

  @Test
  void aMaskMustShareTheGridItsScanHas() {
    Affine a = Affine.diagonal(1, 1, 2, 0, 0, 0);
    Volume scan = ramp(new int[] {4, 3, 2}, a);
    Path s = Path.of("scan.nii");
    Path m = Path.of("mask.nii");
    VolumeFiles.checkAligned(scan, s, ramp(new int[] {4, 3, 2}, Affine.diagonal(1, 1, 2, 0.005, 0, 0)), m);
    String[][] cases = {
      {"size 4x3x3 vs 4x3x2"},
      {"spacing 1.000 x 1.000 x 3.000 mm vs 1.000 x 1.000 x 2.000 mm"},
      {"orientation (direction cosines differ along voxel axis x)"},
      {"origin (0.000, 0.500, 0.000) vs (0.000, 0.000, 0.000) mm"}};
    Volume[] masks = {
      ramp(new int[] {4, 3, 3}, a),
      ramp(new int[] {4, 3, 2}, Affine.diagonal(1, 1, 3, 0, 0, 0)),
      ramp(new int[] {4, 3, 2}, Affine.diagonal(-1, 1, 2, 0, 0, 0)),
      ramp(new int[] {4, 3, 2}, Affine.diagonal(1, 1, 2, 0, 0.5, 0))};
    for (int i = 0; i < masks.length; i++) {
      Volume mask = masks[i];
      MedvisionException e = assertThrows(MedvisionException.class, () -> VolumeFiles.checkAligned(scan, s, mask, m));
      assertEquals("mask mask.nii does not lie on the voxel grid of scan.nii: " + cases[i][0]
          + "; a mask must be made on the scan it belongs to", e.getMessage());
    }
  }
}
