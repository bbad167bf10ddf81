package org.medvision.tasks.common;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.medvision.testkit.fixtures.TestData;

/**
 * Runs {@code resnet3d_reference.py} (a test resource) with Debian's PyTorch, the independent reference for
 * {@link ResNet3d}.
 *
 * <p>The interpreter is {@code /usr/bin/python3} (system property {@code medvision.torch.python} overrides it): the
 * {@code python3} first on a developer's PATH is often another build without torch. When it cannot import torch and
 * numpy, tests skip, or fail when {@link TestData#required()} ({@code MEDVISION_REQUIRE_TESTDATA=1}, as in CI, which
 * installs {@code python3-torch}).
 *
 * <p>Other tasks' parity tests run their own reference scripts through {@link #script(Path, Class, String, String,
 * String)}, which puts {@code resnet3d_reference.py} beside them so they can import its network and safetensors helpers.
 */
public final class ResNet3dTorchScript {
  private static final String PYTHON = System.getProperty("medvision.torch.python", "/usr/bin/python3");
  private static final String SCRIPT = "resnet3d_reference.py";
  private static final long TIMEOUT_SECONDS = 300;
  private static String unavailable;
  private static boolean probed;

  private ResNet3dTorchScript() {}

  /** Skips the calling test (or fails it in CI) unless the Python interpreter can import torch and numpy. */
  public static synchronized void requireTorch() {
    if (!probed) {
      probed = true;
      try {
        run(List.of("-c", "import torch, numpy"));
      } catch (IOException e) {
        unavailable = PYTHON + " cannot import torch and numpy (Debian: apt-get install python3-torch): "
            + e.getMessage();
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
   * Runs the reference script in {@code mode} on {@code argument}, copying the script into {@code dir} first.
   *
   * @return its standard output
   * @throws IOException if it exits non-zero (with its output) or runs past the timeout
   */
  static String script(Path dir, String mode, String argument) throws IOException {
    return script(dir, ResNet3dTorchScript.class, SCRIPT, mode, argument);
  }

  /**
   * Runs test resource {@code resource} of {@code owner}'s package in {@code mode} on {@code argument}, copying it and
   * {@code resnet3d_reference.py} into {@code dir} first.
   *
   * @return its standard output
   * @throws IOException if a script is missing, or it exits non-zero (with its output) or runs past the timeout
   */
  public static String script(Path dir, Class<?> owner, String resource, String mode, String argument)
      throws IOException {
    copy(dir, ResNet3dTorchScript.class, SCRIPT);
    Path script = copy(dir, owner, resource);
    return run(List.of(script.toString(), mode, argument));
  }

  private static Path copy(Path dir, Class<?> owner, String resource) throws IOException {
    Path script = dir.resolve(resource);
    if (!Files.exists(script)) {
      try (InputStream in = owner.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IOException("test resource " + resource + " is missing");
        }
        Files.copy(in, script);
      }
    }
    return script;
  }

  /** Reads a tensor the script wrote: {@code <name>.shape} (dimensions) and {@code <name>.f64} (float64 LE). */
  public static double[] readDoubles(Path dir, String name, long[] shapeOut) {
    try {
      String[] dims = Files.readString(dir.resolve(name + ".shape")).trim().split(" ");
      for (int i = 0; i < dims.length; i++) {
        shapeOut[i] = Long.parseLong(dims[i]);
      }
      ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(name + ".f64")))
          .order(ByteOrder.LITTLE_ENDIAN);
      double[] out = new double[bytes.remaining() / Double.BYTES];
      bytes.asDoubleBuffer().get(out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String run(List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(PYTHON);
    command.addAll(args);
    // Output goes to a file rather than a pipe, so the timeout holds even when the script hangs without writing.
    Path log = Files.createTempFile("resnet3d-torch", ".log");
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
        throw new IOException(PYTHON + " " + String.join(" ", args) + " exited with " + p.exitValue() + ":\n"
            + out);
      }
      return out;
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
