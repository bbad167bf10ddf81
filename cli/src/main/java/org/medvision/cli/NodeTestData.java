package org.medvision.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.medvision.api.MedvisionException;

/**
 * Finds ONNX's node-test cases (Debian package {@code libonnx-testdata}, folder {@code data/node}) for
 * {@code medvision conformance}: where {@code .ci/testdata} unpacks them, then where apt installs them.
 */
final class NodeTestData {
  /** The package's node-test folder, relative to the file system root or to an unpacked package. */
  static final String PACKAGE_PATH = "usr/share/libonnx-testdata/data/node";
  /** The variable {@code .ci/testdata} and the test fixtures read. */
  static final String ROOT_VARIABLE = "MEDVISION_TESTDATA";

  private NodeTestData() {}

  /**
   * The folders searched, in order: {@code $MEDVISION_TESTDATA/deb/libonnx-testdata/...} (when set), the same under
   * {@code ~/.cache/medvision/testdata} ({@code .ci/testdata}'s default), and {@code /usr/share/...} (apt).
   */
  static List<Path> candidates(Map<String, String> env, Path home) {
    List<Path> out = new ArrayList<>();
    String root = env.get(ROOT_VARIABLE);
    if (root != null && !root.isBlank()) {
      out.add(Path.of(root).resolve("deb/libonnx-testdata").resolve(PACKAGE_PATH));
    }
    out.add(home.resolve(".cache/medvision/testdata/deb/libonnx-testdata").resolve(PACKAGE_PATH));
    out.add(Path.of("/").resolve(PACKAGE_PATH));
    return out;
  }

  /**
   * The folder to read: {@code explicit} when given, else the first candidate that exists.
   *
   * @throws MedvisionException saying where it looked and how to get the data when there is none
   */
  static Path resolve(Path explicit, Map<String, String> env, Path home) {
    if (explicit != null) {
      if (!Files.isDirectory(explicit)) {
        throw new MedvisionException("--data " + explicit + " is not a folder; give the node-test folder of "
            + "libonnx-testdata (" + PACKAGE_PATH + ", one folder per test case)");
      }
      return explicit;
    }
    List<Path> looked = candidates(env, home);
    for (Path p : looked) {
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    throw new MedvisionException("no ONNX node-test data found (looked in " + String.join(", ",
        looked.stream().map(Path::toString).toList()) + "); get it with .ci/testdata from the medvision "
        + "repository (unpacks the Debian package libonnx-testdata into $" + ROOT_VARIABLE + ", default "
        + "~/.cache/medvision/testdata), or 'apt install libonnx-testdata', or pass --data DIR");
  }
}
