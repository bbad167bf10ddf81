package org.medvision.tasks.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;

/** Independent numerics for the tests: seeded random tensors, a hand GELU, and helpers around graphs. */
public final class TestNumerics {
  private TestNumerics() {}

  /** Values uniform in [-scale, scale). */
  public static float[] uniform(SplittableRandom random, int n, double scale) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
    }
    return out;
  }

  /** A tensor of uniform values in [-scale, scale). */
  public static Tensor uniform(SplittableRandom random, Shape shape, double scale) {
    return Tensor.of(shape, uniform(random, (int) shape.size(), scale));
  }

  /**
   * Every parameter of {@code graph} uniform in [-scale, scale), except variances (uniform in [0.5, 1.5)), so
   * normalisations see non-trivial affine values and statistics.
   */
  public static Weights randomWeights(Graph graph, long seed, double scale) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (ParameterSpec p : graph.parameters()) {
      float[] v = uniform(random, (int) p.size(), scale);
      if (p.name().endsWith("running_var")) {
        for (int i = 0; i < v.length; i++) {
          v[i] = 1f + v[i] / (float) scale * 0.5f;
        }
      }
      tensors.put(p.name(), Tensor.of(p.shape(), v));
    }
    return Weights.of(tensors, "test-random(seed=" + seed + ")");
  }

  /**
   * erf by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7), written here so GELU is checked against a
   * formula that shares no code with the interpreter.
   */
  public static double erf(double x) {
    double sign = Math.signum(x);
    double a = Math.abs(x);
    double t = 1 / (1 + 0.3275911 * a);
    double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
    return sign * (1 - poly * Math.exp(-a * a));
  }

  /** Exact GELU x·Φ(x). */
  public static double gelu(double x) {
    return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
  }

  /** The same graph with the internal value {@code valueName} exposed as an extra output. */
  public static Graph exposing(Graph graph, String valueName) {
    ValueInfo info = graph.valueInfos().get(valueName);
    List<ValueInfo> outputs = new ArrayList<>(graph.outputs());
    outputs.add(info);
    return new Graph(graph.name(), graph.irVersion(), graph.inputs(), graph.parameters(), graph.nodes(), outputs,
        graph.metadata()).validate();
  }

  /** The output name of the one node that reads parameter {@code parameter}. */
  public static String nodeReading(Graph graph, String parameter) {
    List<String> found = new ArrayList<>();
    for (Node n : graph.nodes()) {
      if (n.inputs().contains(parameter)) {
        found.add(n.output());
      }
    }
    assertEquals(1, found.size(), "nodes reading " + parameter + ": " + found);
    return found.get(0);
  }

  /** Asserts element-wise closeness with an absolute-plus-relative tolerance, reporting the first bad index. */
  public static void assertClose(double[] expected, float[] actual, double tol, String what) {
    assertEquals(expected.length, actual.length, what + ": element count");
    for (int i = 0; i < expected.length; i++) {
      double bound = tol * (1 + Math.abs(expected[i]));
      if (!(Math.abs(expected[i] - actual[i]) <= bound)) {
        throw new AssertionError(what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i] + " (tol "
            + bound + ")");
      }
    }
  }
}
