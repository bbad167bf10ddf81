package org.medvision.tasks.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.medvision.testkit.fixtures.PythonOracle;

/**
 * Runs {@code resnet3d_reference.py} (a test resource) through {@link PythonOracle}, the independent reference for
 * {@link ResNet3d}, and reads the tensors it writes.
 *
 * <p>Other tasks' parity tests run their own reference scripts through {@link #script(Path, Class, String, String,
 * String)}, which puts {@code resnet3d_reference.py} beside them so they can import its network and safetensors helpers.
 * Tests call {@link PythonOracle#requireTorchAndNumpy()} first.
 */
public final class ResNet3dTorchScript {
  private static final String SCRIPT = "resnet3d_reference.py";

  private ResNet3dTorchScript() {}

  /**
   * Runs the reference script in {@code mode} on {@code argument}, copying the script into {@code dir} first.
   *
   * @return its standard output
   * @throws IOException if it exits non-zero (with its output) or runs past the timeout
   */
  static String script(Path dir, String mode, String argument) throws IOException {
    return PythonOracle.script(dir, ResNet3dTorchScript.class, SCRIPT, mode, argument);
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
    PythonOracle.copyResource(dir, ResNet3dTorchScript.class, SCRIPT);
    return PythonOracle.script(dir, owner, resource, mode, argument);
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
}
