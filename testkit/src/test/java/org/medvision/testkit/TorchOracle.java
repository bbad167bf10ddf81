package org.medvision.testkit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.medvision.testkit.fixtures.TestData;

/**
 * Runs a reference script (a test resource beside this class) with Debian's PyTorch, the independent reference for
 * ops whose numerics the interpreter defines.
 *
 * <p>The interpreter is {@code /usr/bin/python3} (system property {@code medvision.torch.python} overrides it): the
 * {@code python3} first on a developer's PATH is often another build without torch. When it cannot import torch,
 * tests skip, or fail when {@link TestData#required()} ({@code MEDVISION_REQUIRE_TESTDATA=1}, as in CI).
 */
final class TorchOracle {
  private static final String PYTHON = System.getProperty("medvision.torch.python", "/usr/bin/python3");
  private static final long TIMEOUT_SECONDS = 300;
  private static String unavailable;
  private static boolean probed;

  private TorchOracle() {}

  /** Skips the calling test (or fails it in CI) unless the Python interpreter can import torch. */
  static synchronized void requireTorch() {
    if (!probed) {
      probed = true;
      try {
        run(List.of("-c", "import torch"));
      } catch (IOException e) {
        unavailable = PYTHON + " cannot import torch (Debian: apt-get install python3-torch): " + e.getMessage();
      }
    }
    if (unavailable != null) {
      if (TestData.required()) {
        fail(unavailable + "; " + TestData.REQUIRED_VARIABLE + " is set, so this is a failure, not a skip");
      }
      assumeTrue(false, unavailable);
    }
  }

  /**
   * Runs resource script {@code script} with {@code arguments}, copying it into {@code dir} first.
   *
   * @return its standard output
   * @throws IOException if it exits non-zero (with its output) or runs past the timeout
   */
  static String script(Path dir, String script, String... arguments) throws IOException {
    Path copy = dir.resolve(script);
    try (InputStream in = TorchOracle.class.getResourceAsStream(script)) {
      if (in == null) {
        throw new IOException("test resource " + script + " is missing");
      }
      Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> args = new ArrayList<>();
    args.add(copy.toString());
    args.addAll(List.of(arguments));
    return run(args);
  }

  private static String run(List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(PYTHON);
    command.addAll(args);
    // Output goes to a file rather than a pipe, so the timeout holds even when the script hangs without writing.
    Path log = Files.createTempFile("medvision-torch", ".log");
    try {
      Process p;
      try {
        p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      } catch (IOException e) {
        throw new IOException("cannot start " + PYTHON + ": " + e.getMessage(), e);
      }
      try {
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IOException(PYTHON + " timed out after " + TIMEOUT_SECONDS + " s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
        throw new IOException("interrupted while waiting for " + PYTHON, e);
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IOException(PYTHON + " " + String.join(" ", args) + " exited with " + p.exitValue() + ":\n" + out);
      }
      return out;
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
