package org.medvision.io.transform;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.testkit.fixtures.PythonOracle;

/**
 * {@link VolumeOps#resize} against PyTorch's {@code F.interpolate(x, size, mode="trilinear", align_corners=False)},
 * computed at test time in float64 by {@code trilinear_reference.py} through {@code /usr/bin/python3}, on random
 * volumes whose sizes do not divide each other, shrinking, growing and both at once.
 */
class VolumeResizeTorchTest {
  /** Largest allowed |ours (float32) − PyTorch (float64)| for values in [0, 1). */
  private static final double TOLERANCE = 1e-5;

  /** A resize from {@code in} to {@code out}, both D, H, W. */
  private record Case(String name, int[] in, int[] out) {}

  private static final List<Case> CASES = List.of(
      new Case("down", new int[] {7, 9, 11}, new int[] {3, 4, 5}),
      new Case("down-by-a-little", new int[] {10, 12, 14}, new int[] {9, 7, 13}),
      new Case("up", new int[] {3, 4, 5}, new int[] {7, 9, 11}),
      new Case("up-by-a-little", new int[] {5, 6, 7}, new int[] {6, 8, 9}),
      new Case("mixed", new int[] {6, 5, 8}, new int[] {11, 3, 8}),
      new Case("single-slice-up", new int[] {1, 3, 4}, new int[] {3, 7, 5}),
      new Case("to-one-voxel", new int[] {5, 6, 7}, new int[] {1, 1, 1}),
      new Case("attention-grid", new int[] {32, 40, 48}, new int[] {2, 3, 3}));

  @TempDir
  Path dir;

  @BeforeEach
  void needsTorch() {
    PythonOracle.requireTorchAndNumpy();
  }

  @Test
  void agreesWithTorchTrilinearAlignCornersFalse() throws IOException {
    SplittableRandom rng = new SplittableRandom(20240611);
    List<float[]> inputs = new ArrayList<>();
    StringBuilder json = new StringBuilder("[");
    for (int c = 0; c < CASES.size(); c++) {
      Case k = CASES.get(c);
      float[] v = new float[k.in()[0] * k.in()[1] * k.in()[2]];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) rng.nextDouble();
      }
      inputs.add(v);
      Path in = dir.resolve(k.name() + ".in.f64");
      write(in, v);
      json.append(c == 0 ? "" : ",\n").append(String.format(Locale.ROOT,
          "{\"name\": \"%s\", \"input\": \"%s\", \"in\": [%d, %d, %d], \"out\": [%d, %d, %d], \"output\": \"%s\"}",
          k.name(), in, k.in()[0], k.in()[1], k.in()[2], k.out()[0], k.out()[1], k.out()[2],
          dir.resolve(k.name() + ".out.f64")));
    }
    Path request = Files.writeString(dir.resolve("cases.json"), json.append("]").toString());
    String log = PythonOracle.script(dir, VolumeResizeTorchTest.class, "trilinear_reference.py", request.toString());

    List<Executable> checks = new ArrayList<>();
    double worst = 0;
    for (int c = 0; c < CASES.size(); c++) {
      Case k = CASES.get(c);
      assertTrue(log.contains("case " + k.name() + " " + k.out()[0] + "x" + k.out()[1] + "x" + k.out()[2]), log);
      double[] torch = read(dir.resolve(k.name() + ".out.f64"));
      // VolumeOps takes extents x, y, z (W, H, D); the storage order is the same.
      float[] ours = VolumeOps.resize(inputs.get(c), new int[] {k.in()[2], k.in()[1], k.in()[0]},
          new int[] {k.out()[2], k.out()[1], k.out()[0]});
      assertEquals(torch.length, ours.length, k.name());
      double max = 0;
      int at = -1;
      for (int i = 0; i < ours.length; i++) {
        double d = Math.abs(ours[i] - torch[i]);
        if (d > max) {
          max = d;
          at = i;
        }
      }
      worst = Math.max(worst, max);
      System.out.printf(Locale.ROOT, "trilinear %-18s %2dx%2dx%2d -> %2dx%2dx%2d  max |ours - torch| = %.3g%n",
          k.name(), k.in()[0], k.in()[1], k.in()[2], k.out()[0], k.out()[1], k.out()[2], max);
      double m = max;
      int where = at;
      checks.add(() -> assertTrue(m <= TOLERANCE, k.name() + ": max |ours - torch| = " + m + " at element " + where));
    }
    System.out.printf(Locale.ROOT, "trilinear: worst max |ours - torch| over %d cases = %.3g (tolerance %.0e)%n",
        CASES.size(), worst, TOLERANCE);
    assertAll(checks);
  }

  private static void write(Path file, float[] v) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(v.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : v) {
      b.putDouble(x);
    }
    Files.write(file, b.array());
  }

  private static double[] read(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    double[] out = new double[b.remaining() / Double.BYTES];
    b.asDoubleBuffer().get(out);
    return out;
  }
}
