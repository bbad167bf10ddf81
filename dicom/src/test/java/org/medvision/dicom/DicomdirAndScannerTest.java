package org.medvision.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.dicom.testing.Corpus;
import org.medvision.dicom.testing.Dcmdump;

/** DICOMDIR records against dcmdump's reading of the same file, and the directory scanner on mixed folders. */
class DicomdirAndScannerTest {
  @Test
  void dicomdirRecordsMatchDcmdump() {
    Path dicomdir = Corpus.pydicom("dicomdirtests/DICOMDIR");
    List<Dicomdir.Record> records = Dicomdir.read(dicomdir);
    Dcmdump.Result reference = Dcmdump.run(dicomdir, false);
    List<String> types = reference.lines().stream().filter(l -> l.tag() == Tags.DIRECTORY_RECORD_TYPE)
        .map(Dcmdump.Line::value).toList();
    assertEquals(types, records.stream().map(Dicomdir.Record::type).toList());
    Set<Path> expected = new TreeSet<>();
    Matcher m = Pattern.compile("refFileID=\"([^\"]+)\"").matcher(reference.output());
    while (m.find()) {
      expected.add(dicomdir.toAbsolutePath().getParent().resolve(m.group(1).replace('\\', '/')));
    }
    Set<Path> ours = new TreeSet<>(Dicomdir.referencedFiles(dicomdir));
    assertEquals(expected, ours);
    assertTrue(ours.size() > 30, "images referenced: " + ours.size());
    for (Path file : ours) {
      assertTrue(Files.isRegularFile(file), file + " exists");
    }
  }

  @Test
  void dicomdirEscapingTheFileSetIsRejected(@TempDir Path dir) {
    DataSet d = new DataSet();
    d.setString(Tags.SOP_CLASS_UID, Uids.MEDIA_STORAGE_DIRECTORY_STORAGE);
    d.setString(Tags.SOP_INSTANCE_UID, Uids.create());
    DataSet record = d.addItem(Tags.DIRECTORY_RECORD_SEQUENCE);
    record.setString(Tags.DIRECTORY_RECORD_TYPE, "IMAGE");
    record.setString(Tags.REFERENCED_FILE_ID, "..", "ETC", "PASSWD");
    Path dicomdir = dir.resolve("DICOMDIR");
    DicomWriter.writeFile(dicomdir, d);
    DicomException e = assertThrows(DicomException.class, () -> Dicomdir.read(dicomdir));
    assertTrue(e.getMessage().contains("'..'"), e.getMessage());
  }

  @Test
  void scannerFindsDicomFilesAndSkipsOthers(@TempDir Path dir) throws IOException {
    Path part10 = dir.resolve("a/ct.dcm");
    Files.createDirectories(part10.getParent());
    Files.copy(Corpus.pydicom("CT_small.dcm"), part10);
    Path raw = dir.resolve("b/raw");
    Files.createDirectories(raw.getParent());
    try (java.io.OutputStream out = Files.newOutputStream(raw)) {
      DataSet implicit = DicomReader.readFile(Corpus.pydicom("MR_small_implicit.dcm")).dataSet();
      new DicomWriter(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN).writeDataSet(out, implicit, raw.toString());
    }
    Path rawBig = dir.resolve("b/raw-big");
    Files.copy(Corpus.pydicom("ExplVR_BigEndNoMeta.dcm"), rawBig);
    Path rawExplicit = dir.resolve("b/raw-explicit");
    Files.copy(Corpus.pydicom("ExplVR_LitEndNoMeta.dcm"), rawExplicit);
    Files.writeString(dir.resolve("a/readme.txt"), "hello\n");
    Files.write(dir.resolve("b/image.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13});
    Files.write(dir.resolve("b/empty"), new byte[0]);
    assertEquals(List.of(part10, raw, rawBig, rawExplicit), DicomScanner.scan(dir));
    for (Path file : DicomScanner.scan(dir)) {
      assertTrue(DicomReader.readFile(file).dataSet().size() > 5, file.toString());
    }
  }

  @Test
  void scannerFollowsALinkedFolderAndNamesALinkLoop(@TempDir Path dir) throws IOException {
    Path real = dir.resolve("archive/series");
    Files.createDirectories(real);
    Files.copy(Corpus.pydicom("CT_small.dcm"), real.resolve("ct.dcm"));
    Path linked = Files.createSymbolicLink(dir.resolve("study"), dir.resolve("archive"));
    assertEquals(List.of(linked.resolve("series/ct.dcm")), DicomScanner.scan(linked));

    Files.createSymbolicLink(real.resolve("loop"), dir.resolve("archive"));
    DicomException e = assertThrows(DicomException.class, () -> DicomScanner.scan(linked));
    assertTrue(e.getMessage().contains("cannot scan") && e.getMessage().contains("loop"), e.getMessage());
  }

  @Test
  void scannerAgreesWithTheReaderOnTheWholeCorpus() {
    for (Path file : DicomScanner.scan(Corpus.pydicom("dicomdirtests"))) {
      if (!file.getFileName().toString().equals("DICOMDIR-nooffset")) {
        DicomReader.readFile(file);
      }
    }
    // Every file of the tree but TINY_ALPHA/README (a text file) is DICOM.
    List<Path> candidates = new java.util.ArrayList<>(Corpus.candidates(Corpus.pydicom("dicomdirtests")));
    candidates.removeIf(f -> f.getFileName().toString().equals("README"));
    assertEquals(candidates, DicomScanner.scan(Corpus.pydicom("dicomdirtests")));
  }
}
