package org.medvision.io.synth.chest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomReader;
import org.medvision.dicom.Tags;
import org.medvision.dicom.Uids;
import org.medvision.io.ProgressListener;
import org.medvision.io.dicom.DicomSeries;
import org.medvision.io.dicom.StudyScanner;
import org.medvision.io.nifti.NiftiDataType;
import org.medvision.io.nifti.NiftiImage;
import org.medvision.io.nifti.NiftiReader;
import org.medvision.io.volume.Volume;
import org.medvision.testkit.fixtures.TestData;

class ChestCtDatasetTest {
  private static final int SIZE = 32;

  @TempDir Path dir;

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static NiftiImage nifti(Path file) {
    return new NiftiReader().read(file);
  }

  private static ChestCtDataset.Result write(Path out, int count, long seed, String format) {
    return ChestCtDataset.generate(out, count, SIZE, seed, format, false, ProgressListener.NONE);
  }

  @Test
  void niftiSetHasAManifestOfRelativePathsAndCtsAndMasksOnOneGrid() throws IOException {
    Path out = dir.resolve("chest");
    ChestCtDataset.Result result = write(out, 26, 3, "nifti");
    assertEquals(out.toAbsolutePath().resolve("manifest.csv"), result.manifest());
    assertTrue(Files.readString(result.manifest()).startsWith("ct,lung_mask,infection_mask,label,patient_id\n"));
    List<ChestCtManifest.Row> rows = ChestCtManifest.read(result.manifest());
    assertEquals(26, rows.size());
    ChestCtPhantom phantom = new ChestCtPhantom(SIZE);
    List<ChestCtCase> plan = ChestCtCohort.plan(26, 3);
    int missing = 0;
    for (int i = 0; i < rows.size(); i++) {
      ChestCtManifest.Row row = rows.get(i);
      ChestCtCase c = plan.get(i);
      assertEquals("ct/" + c.caseId() + ".nii.gz", row.ct());
      assertEquals("masks/" + c.caseId() + "_lung.nii.gz", row.lungMask());
      assertEquals(c.diagnosis().label(), row.label());
      assertEquals(c.patientId(), row.patientId());
      NiftiImage ct = nifti(out.resolve(row.ct()));
      NiftiImage lung = nifti(out.resolve(row.lungMask()));
      assertEquals(NiftiDataType.INT16, ct.header().dataType());
      assertEquals(NiftiDataType.UINT8, lung.header().dataType());
      ChestCtScan scan = c.draw(phantom);
      assertArrayEquals(scan.ct().toArray(), ct.volume().toArray(), 0f, "CT round trip of " + c.caseId());
      assertTrue(scan.geometry().affine().maxAbsDifference(ct.volume().affine()) < 1e-4, c.caseId());
      assertArrayEquals(ct.volume().dims(), lung.volume().dims());
      assertEquals(ct.volume().affine(), lung.volume().affine());
      assertArrayEquals(scan.lungMask().toArray(), lung.volume().toArray(), 0f);
      Path infectionFile = out.resolve("masks/" + c.caseId() + "_infection.nii.gz");
      if (row.infectionMask().isEmpty()) {
        missing++;
        assertTrue(c.infectionMaskMissing());
        assertFalse(Files.exists(infectionFile), "a left-out mask was written: " + infectionFile);
        continue;
      }
      assertEquals("masks/" + c.caseId() + "_infection.nii.gz", row.infectionMask().get());
      Volume infection = nifti(infectionFile).volume();
      assertEquals(ct.volume().affine(), infection.affine());
      float[] l = lung.volume().toArray();
      float[] f = infection.toArray();
      int infected = 0;
      for (int v = 0; v < f.length; v++) {
        assertTrue(f[v] == 0 || f[v] == 1 && l[v] == 1, "voxel " + v + " of " + c.caseId());
        infected += (int) f[v];
      }
      assertEquals(result.entries().get(i).infectionRatio(), infected / (double) scan.lungVoxels(), 1e-12);
    }
    assertEquals(1, missing);
    assertEquals(List.of(out.resolve("ct"), out.resolve("manifest.csv"), out.resolve("masks")),
        Files.list(out).sorted().toList());
  }

  @Test
  void drawnRatiosFollowThePlanAndTheSummaryQuantilesOrderTheClasses() {
    ChestCtDataset.Result result = write(dir.resolve("chest"), 40, 21, "nifti");
    for (ChestCtDataset.Entry e : result.entries()) {
      double target = e.plan().targetRatio();
      if (e.plan().diagnosis() == ChestCtClass.COVID) {
        assertEquals(target, e.infectionRatio(), 0.01 * target + 2e-3, e.plan().caseId());
      } else {
        assertTrue(e.infectionRatio() <= target + 2e-3 && e.infectionRatio() > 0, e.plan().caseId());
      }
    }
    assertEquals(24, result.perClass().get(ChestCtClass.COVID));
    assertEquals(16, result.perClass().get(ChestCtClass.CAP));
    double[] covid = result.ratioQuantiles(ChestCtClass.COVID, 0, 0.5, 1);
    double[] cap = result.ratioQuantiles(ChestCtClass.CAP, 0, 0.5, 1);
    assertTrue(covid[1] > cap[1], "median COVID-19 " + covid[1] + " vs CAP " + cap[1]);
    assertTrue(covid[0] <= covid[1] && covid[1] <= covid[2]);
    assertTrue(result.patients() < 40 && result.patients() > 25, "patients " + result.patients());
  }

  @Test
  void theSameSeedWritesTheSameBytesInBothFormats() throws IOException {
    for (String format : ChestCtDataset.FORMATS) {
      Path a = dir.resolve(format + "-a");
      Path b = dir.resolve(format + "-b");
      write(a, 10, 5, format);
      write(b, 10, 5, format);
      List<Path> fa = files(a);
      List<Path> fb = files(b);
      assertEquals(fa.stream().map(a::relativize).toList(), fb.stream().map(b::relativize).toList());
      for (int i = 0; i < fa.size(); i++) {
        assertArrayEquals(Files.readAllBytes(fa.get(i)), Files.readAllBytes(fb.get(i)), format + " " + fa.get(i));
      }
    }
    Path other = dir.resolve("other");
    write(other, 10, 6, "nifti");
    assertFalse(Files.readString(other.resolve("manifest.csv"))
        .equals(Files.readString(dir.resolve("nifti-a/manifest.csv"))));
  }

  @Test
  void dicomSeriesAssembleToTheNiftiVolumeOnTheMasksGrid() throws IOException {
    Path dicomSet = dir.resolve("dicom");
    Path niftiSet = dir.resolve("nifti");
    ChestCtDataset.Result result = write(dicomSet, 12, 9, "dicom");
    write(niftiSet, 12, 9, "nifti");
    List<ChestCtManifest.Row> rows = ChestCtManifest.read(result.manifest());
    List<ChestCtManifest.Row> niftiRows = ChestCtManifest.read(niftiSet.resolve("manifest.csv"));
    Set<String> studies = new HashSet<>();
    Set<String> series = new HashSet<>();
    for (int i = 0; i < rows.size(); i++) {
      ChestCtManifest.Row row = rows.get(i);
      Path folder = dicomSet.resolve(row.ct());
      assertTrue(Files.isDirectory(folder), row.ct());
      ScanGeometry g = result.entries().get(i).geometry();
      assertEquals(g.slices(), files(folder).size());
      List<DicomSeries> found = new StudyScanner().scan(folder).series();
      assertEquals(1, found.size(), row.ct());
      DicomSeries s = found.get(0);
      assertTrue(s.findings().stream().noneMatch(f -> f.toString().contains("ERROR")), s.findings().toString());
      Volume assembled = s.volume();
      Volume fromNifti = nifti(niftiSet.resolve(niftiRows.get(i).ct())).volume();
      Volume lung = nifti(dicomSet.resolve(row.lungMask())).volume();
      assertArrayEquals(fromNifti.dims(), assembled.dims());
      assertArrayEquals(lung.dims(), assembled.dims());
      assertArrayEquals(fromNifti.toArray(), assembled.toArray(), 0f, "HU of " + row.ct());
      assertTrue(g.affine().maxAbsDifference(assembled.affine()) < 1e-6, assembled.affine() + " vs " + g.affine());
      assertTrue(lung.affine().maxAbsDifference(assembled.affine()) < 1e-3,
          lung.affine() + " vs " + assembled.affine());

      List<DataSet> slices = new ArrayList<>();
      for (Path f : files(folder)) {
        slices.add(DicomReader.readFile(f).dataSet());
      }
      DataSet first = slices.get(0);
      assertEquals(row.patientId(), first.getString(Tags.PATIENT_ID));
      assertEquals("SYNTH^" + row.patientId().toUpperCase(Locale.ROOT), first.getString(Tags.PATIENT_NAME));
      assertEquals(Uids.CT_IMAGE_STORAGE, first.getString(Tags.SOP_CLASS_UID));
      assertEquals(-1024, first.getDouble(Tags.RESCALE_INTERCEPT));
      assertEquals(1, first.getDouble(Tags.RESCALE_SLOPE));
      for (DataSet ds : slices) {
        for (int tag : new int[] {Tags.STUDY_INSTANCE_UID, Tags.SERIES_INSTANCE_UID, Tags.FRAME_OF_REFERENCE_UID}) {
          assertEquals(first.getString(tag), ds.getString(tag));
          assertTrue(Uids.isValid(ds.getString(tag)), ds.getString(tag));
        }
        assertEquals(g.sliceSpacing(), ds.getDouble(Tags.SPACING_BETWEEN_SLICES), 1e-9);
        assertEquals(g.sliceSpacing(), ds.getDouble(Tags.SLICE_THICKNESS), 1e-9);
        assertArrayEquals(new double[] {g.pixelSpacing(), g.pixelSpacing()}, ds.doubles(Tags.PIXEL_SPACING), 1e-9);
      }
      assertTrue(studies.add(first.getString(Tags.STUDY_INSTANCE_UID)), "one study per scan");
      assertTrue(series.add(first.getString(Tags.SERIES_INSTANCE_UID)));
    }
  }

  @Test
  void dicomSlicesPassDciodvfy() throws Exception {
    Path tool = TestData.tool("dciodvfy");
    ChestCtDataset.Result result = write(dir.resolve("dicom"), 10, 2, "dicom");
    Path file = files(result.out().resolve(result.entries().get(0).row().ct())).get(0);
    Process p = new ProcessBuilder(tool.toString(), file.toString()).redirectErrorStream(true).start();
    String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), report);
    assertTrue(report.lines().noneMatch(l -> l.startsWith("Error")), report);
  }

  @Test
  void reportsProgressOncePerScanInOrder() {
    List<Long> seen = new ArrayList<>();
    ChestCtDataset.generate(dir.resolve("chest"), 11, SIZE, 1, "nifti", false, (done, total) -> {
      assertEquals(11, total);
      seen.add(done);
    });
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L), seen);
  }

  @Test
  void refusesBadInputAndANonEmptyFolderWithoutForceLeavingNothingBehind() throws IOException {
    Path out = dir.resolve("chest");
    MedvisionException count = assertThrows(MedvisionException.class, () -> write(out, 9, 1, "nifti"));
    assertTrue(count.getMessage().contains("at least 10 scans, got 9"), count.getMessage());
    MedvisionException format = assertThrows(MedvisionException.class, () -> write(out, 10, 1, "png"));
    assertTrue(format.getMessage().contains("'png'") && format.getMessage().contains("nifti, dicom"),
        format.getMessage());
    MedvisionException size = assertThrows(MedvisionException.class,
        () -> ChestCtDataset.generate(out, 10, 16, 1, "nifti", false, ProgressListener.NONE));
    assertTrue(size.getMessage().contains("32 to 256"), size.getMessage());
    assertEquals(List.of(), files(dir));
    MedvisionException file = assertThrows(MedvisionException.class, () -> {
      Files.writeString(dir.resolve("file"), "x");
      write(dir.resolve("file"), 10, 1, "nifti");
    });
    assertTrue(file.getMessage().contains("is a file"), file.getMessage());
    Files.delete(dir.resolve("file"));
    write(dir.resolve("new/parents/chest"), 10, 1, "nifti");
    assertTrue(Files.isRegularFile(dir.resolve("new/parents/chest/manifest.csv")));
    deleteTree(dir.resolve("new"));

    Files.createDirectories(out);
    Files.writeString(out.resolve("keep.txt"), "keep");
    MedvisionException busy = assertThrows(MedvisionException.class, () -> write(out, 10, 1, "nifti"));
    assertTrue(busy.getMessage().contains("is not empty") && busy.getMessage().contains("--force"),
        busy.getMessage());
    assertEquals(List.of(out.resolve("keep.txt")), files(dir));
    ChestCtDataset.generate(out, 10, SIZE, 1, "nifti", true, ProgressListener.NONE);
    assertFalse(Files.exists(out.resolve("keep.txt")));
    assertEquals(List.of(out), Files.list(dir).toList());
    assertNotEquals(List.of(), files(out));
  }
}
