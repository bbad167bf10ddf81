package org.medvision.api.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.Initializer;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

class RandomWeightsTest {
  private static ParameterSpec param(String name, DType dtype, Initializer init, long... dims) {
    return new ParameterSpec(name, dtype, Shape.of(dims), ParamRole.WEIGHT, init);
  }

  /** Only the parameter list matters here, so the graph has no nodes. */
  private static Graph graph(ParameterSpec... params) {
    return new Graph("g", 1, List.of(), List.of(params), List.of(), List.of(), Map.of());
  }

  private static final ParameterSpec CONV = param("stem.0.weight", DType.FLOAT32, Initializers.kaimingUniform(),
      8, 3, 3, 3);
  private static final ParameterSpec HEAD = param("head.fc.weight", DType.FLOAT32,
      Initializers.truncatedNormal(0.02f), 4, 8);
  private static final ParameterSpec SCALE = param("norm.weight", DType.FLOAT32, Initializers.ones(), 8);

  @Test
  void everyParameterIsFilledByItsInitializer() {
    Weights w = RandomWeights.initialize(graph(CONV, HEAD, SCALE), 7);
    assertEquals(List.of("stem.0.weight", "head.fc.weight", "norm.weight"), List.copyOf(w.tensors().keySet()));
    assertEquals("random(seed=7)", w.source());
    assertEquals(Shape.of(8, 3, 3, 3), w.tensors().get("stem.0.weight").shape());
    float[] conv = w.tensors().get("stem.0.weight").toFloatArray();
    double bound = 1 / Math.sqrt(27);
    assertTrue(Arrays.stream(toDoubles(conv)).allMatch(x -> Math.abs(x) <= bound));
    assertTrue(Arrays.stream(toDoubles(conv)).distinct().count() > 200, "values are drawn, not constant");
    float[] ones = new float[8];
    Arrays.fill(ones, 1f);
    assertArrayEquals(ones, w.tensors().get("norm.weight").toFloatArray());
    // The result fits the graph it came from.
    assertEquals(w.tensors().keySet(), w.fitTo(graph(CONV, HEAD, SCALE)).tensors().keySet());
  }

  private static double[] toDoubles(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  @Test
  void valuesDependOnSeedAndNameButNotOnOrder() {
    Weights a = RandomWeights.initialize(graph(CONV, HEAD), 99);
    Weights reordered = RandomWeights.initialize(graph(HEAD, SCALE, CONV), 99);
    Weights alone = RandomWeights.initialize(graph(CONV), 99);
    assertTrue(a.tensors().get("stem.0.weight").contentEquals(reordered.tensors().get("stem.0.weight")));
    assertTrue(a.tensors().get("stem.0.weight").contentEquals(alone.tensors().get("stem.0.weight")));
    assertTrue(a.tensors().get("head.fc.weight").contentEquals(reordered.tensors().get("head.fc.weight")));
    Weights otherSeed = RandomWeights.initialize(graph(CONV), 100);
    assertFalse(a.tensors().get("stem.0.weight").contentEquals(otherSeed.tensors().get("stem.0.weight")));
    // Same shape and initializer under another name: another stream.
    ParameterSpec twin = param("stem.1.weight", DType.FLOAT32, Initializers.kaimingUniform(), 8, 3, 3, 3);
    Weights both = RandomWeights.initialize(graph(CONV, twin), 99);
    assertFalse(both.tensors().get("stem.0.weight").contentEquals(both.tensors().get("stem.1.weight")));
  }

  @Test
  void streamSeedsOfNearbyNamesDiffer() {
    long a = RandomWeights.streamSeed(0, "blocks.1.weight");
    long b = RandomWeights.streamSeed(0, "blocks.2.weight");
    // A good mix flips about half of the 64 bits; a weak one (e.g. seed ^ hashCode) flips a handful.
    int flipped = Long.bitCount(a ^ b);
    assertTrue(flipped > 16 && flipped < 48, "bits flipped: " + flipped);
    assertEquals(RandomWeights.streamSeed(5, "x"), RandomWeights.streamSeed(5, "x"));
  }

  @Test
  void halfPrecisionParametersAreRoundedFromTheSameDraws() {
    ParameterSpec f32 = param("w", DType.FLOAT32, Initializers.normal(1f), 64);
    ParameterSpec f16 = param("w", DType.FLOAT16, Initializers.normal(1f), 64);
    float[] full = RandomWeights.initialize(graph(f32), 3).tensors().get("w").toFloatArray();
    Tensor half = RandomWeights.initialize(graph(f16), 3).tensors().get("w");
    assertEquals(DType.FLOAT16, half.dtype());
    float[] h = half.toFloatArray();
    for (int i = 0; i < full.length; i++) {
      // Half precision keeps 11 significant bits: relative error at most 2^-11 for normal values.
      assertEquals(full[i], h[i], Math.max(Math.abs(full[i]) * 0x1p-11f, 0x1p-24f), "element " + i);
    }
  }

  @Test
  void initializerFailuresNameTheParameter() {
    ParameterSpec bad = param("blocks.0.gamma", DType.FLOAT32, Initializers.kaimingUniform(), 8);
    MedvisionException e = assertThrows(MedvisionException.class, () -> RandomWeights.initialize(graph(bad), 1));
    assertTrue(e.getMessage().contains("blocks.0.gamma"), e.getMessage());
  }
}
