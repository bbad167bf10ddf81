package org.medvision.api.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compares {@link ConnectedComponents} with {@code scipy.ndimage.label}, computed at test time by
 * {@link PythonReference}: the label of every voxel, not just the count, on random 1-D, 2-D and 3-D masks under every
 * connectivity (scipy's {@code generate_binary_structure(ndim, rank)}).
 */
class ScipyLabelAgreementTest {
  private static final String SCRIPT = String.join("\n",
      "import sys, numpy as np",
      "from scipy import ndimage",
      "a = sys.argv[1:]",
      "for c in range(0, len(a), 4):",
      "    shape = tuple(int(s) for s in a[c].split('x'))",
      "    rank = int(a[c + 1])",
      "    mask = np.fromfile(a[c + 2], '<f8').reshape(shape) > 0",
      "    labels, count = ndimage.label(mask, structure=ndimage.generate_binary_structure(len(shape), rank))",
      "    np.asarray(labels.ravel(), '<f8').tofile(a[c + 3])");

  @TempDir
  Path dir;

  private record Case(int[] shape, Connectivity connectivity, boolean[] mask) {
  }

  @Test
  void labelsEqualScipysVoxelForVoxel() {
    PythonReference.requireModules("numpy", "scipy.ndimage");
    SplittableRandom random = new SplittableRandom(31);
    List<Case> cases = new ArrayList<>();
    int[][] shapes = {{50}, {40, 50}, {9, 60}, {16, 18, 20}, {5, 30, 7}};
    double[] densities = {0.3, 0.45, 0.6};
    for (int[] shape : shapes) {
      for (double density : densities) {
        boolean[] mask = randomMask(random, shape, density);
        for (Connectivity connectivity : Connectivity.values()) {
          cases.add(new Case(shape, connectivity, mask));
        }
      }
    }
    List<String> args = new ArrayList<>();
    for (int c = 0; c < cases.size(); c++) {
      Case k = cases.get(c);
      Path mask = dir.resolve("mask" + c);
      PythonReference.write(mask, k.mask());
      String shape = String.join("x", Arrays.stream(k.shape()).mapToObj(Integer::toString).toArray(String[]::new));
      args.addAll(List.of(shape, Integer.toString(k.connectivity().rank(k.shape().length)), mask.toString(),
          dir.resolve("labels" + c).toString()));
    }
    PythonReference.run(SCRIPT, args.toArray(new String[0]));
    int components = 0;
    for (int c = 0; c < cases.size(); c++) {
      Case k = cases.get(c);
      double[] ref = PythonReference.read(dir.resolve("labels" + c));
      int[] expected = new int[ref.length];
      for (int i = 0; i < ref.length; i++) {
        expected[i] = (int) ref[i];
      }
      ConnectedComponents ours = ConnectedComponents.label(k.mask(), k.shape(), k.connectivity());
      String at = Arrays.toString(k.shape()) + " " + k.connectivity();
      assertArrayEquals(expected, ours.labels(), at);
      assertEquals(Arrays.stream(expected).max().orElse(0), ours.count(), at);
      components += ours.count();
    }
    assertTrue(components > 1000, "the masks should hold many components, got " + components);
    System.out.printf("scipy.ndimage.label: %d masks, %d components, every voxel's label equal%n", cases.size(),
        components);
  }

  private static boolean[] randomMask(SplittableRandom random, int[] shape, double density) {
    int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    boolean[] mask = new boolean[n];
    for (int i = 0; i < n; i++) {
      mask[i] = random.nextDouble() < density;
    }
    return mask;
  }
}
