package org.medvision.api.metrics;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the independent reference implementations (scikit-learn, scikit-image, scipy) through the system Python,
 * {@code /usr/bin/python3}, which is where Debian's {@code python3-sklearn} and {@code python3-skimage} install them;
 * a {@code python3} earlier on the PATH (pyenv, a virtualenv) usually lacks them.
 *
 * <p>Data goes both ways through files of raw little-endian float64 ({@code numpy.fromfile(path, '<f8')} and
 * {@code tofile}), so no number is ever pasted into a script. Without the interpreter or a module a test is skipped
 * with a message naming what is missing; with {@code MEDVISION_REQUIRE_TESTDATA=1} (or the system property
 * {@code medvision.testdata.required=true}), as on CI, it fails instead.
 */
final class PythonReference {
  static final Path PYTHON = Paths.get("/usr/bin/python3");

  private static final Map<String, Boolean> IMPORTABLE = new HashMap<>();

  private PythonReference() {
  }

  /** Skips the test (or fails it where reference checks are required) unless every module imports. */
  static synchronized void requireModules(String... modules) {
    if (!Files.isExecutable(PYTHON)) {
      absent(PYTHON + " is not installed");
    }
    for (String module : modules) {
      boolean ok = IMPORTABLE.computeIfAbsent(module, PythonReference::importable);
      if (!ok) {
        absent(PYTHON + " cannot import " + module + " (install python3-sklearn python3-skimage python3-scipy)");
      }
    }
  }

  private static boolean importable(String module) {
    try {
      run("import " + module);
      return true;
    } catch (AssertionError e) {
      return false;
    }
  }

  private static void absent(String what) {
    if (required()) {
      fail(what + "; MEDVISION_REQUIRE_TESTDATA is set, so this is a failure, not a skip");
    }
    assumeTrue(false, what + "; skipping the comparison with the Python reference");
  }

  private static boolean required() {
    String value = System.getProperty("medvision.testdata.required");
    if (value == null) {
      value = System.getenv("MEDVISION_REQUIRE_TESTDATA");
    }
    return value != null && (value.equals("1") || value.toLowerCase(Locale.ROOT).equals("true"));
  }

  /**
   * Runs {@code script} with {@code args} in isolated mode (no user site-packages, no PYTHONPATH) and returns its
   * standard output; fails the test with the output when the script fails or runs past two minutes.
   */
  static String run(String script, String... args) {
    List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-I", "-c", script));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      // Read before waiting so a chatty script cannot fill the pipe and block.
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("python timed out running:\n" + script);
      }
      if (p.exitValue() != 0) {
        throw new AssertionError("python exited with " + p.exitValue() + ":\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError("could not run " + PYTHON + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + PYTHON, e);
    }
  }

  /** Writes {@code values} as raw little-endian float64. */
  static void write(Path file, double[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      buffer.putDouble(v);
    }
    try {
      Files.write(file, buffer.array());
    } catch (IOException e) {
      throw new AssertionError("cannot write " + file, e);
    }
  }

  /** Writes float values widened to float64, so Python sees exactly the numbers Java computes with. */
  static void write(Path file, float[] values) {
    double[] wide = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      wide[i] = values[i];
    }
    write(file, wide);
  }

  /** Writes a row-major N x K matrix as float64. */
  static void write(Path file, float[][] rows) {
    int k = rows.length == 0 ? 0 : rows[0].length;
    float[] flat = new float[rows.length * k];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, flat, i * k, k);
    }
    write(file, flat);
  }

  /** Writes int values as float64 (exact for the labels and masks the tests use). */
  static void write(Path file, int[] values) {
    double[] wide = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      wide[i] = values[i];
    }
    write(file, wide);
  }

  /** Writes flags as float64 0 and 1. */
  static void write(Path file, boolean[] values) {
    double[] wide = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      wide[i] = values[i] ? 1 : 0;
    }
    write(file, wide);
  }

  /** Reads raw little-endian float64. */
  static double[] read(Path file) {
    try {
      ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
      double[] values = new double[buffer.remaining() / Double.BYTES];
      for (int i = 0; i < values.length; i++) {
        values[i] = buffer.getDouble();
      }
      return values;
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file, e);
    }
  }

  /** |a - b| / max(|b|, tiny): the relative difference used to report agreement; 0 when equal or both NaN. */
  static double relativeDifference(double a, double b) {
    if (a == b || (Double.isNaN(a) && Double.isNaN(b))) {
      return 0;
    }
    return Math.abs(a - b) / Math.max(Math.abs(b), Double.MIN_NORMAL);
  }
}
