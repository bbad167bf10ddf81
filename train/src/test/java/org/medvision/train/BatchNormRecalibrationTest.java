package org.medvision.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Initializers;
import org.medvision.api.weights.Weights;
import org.medvision.engine.djl.DjlEngineProvider;

/**
 * Precise BN against statistics worked out here from the definition: for x → BN a → dropout 0.5 → ×2 → BN b, each
 * layer's recalibrated mean and (Bessel-corrected) variance are those of all its inputs over all batches, where BN b's
 * inputs are x normalised by each batch's own statistics (training mode upstream) and not dropped (dropout off).
 */
class BatchNormRecalibrationTest {
  private static final int CHANNELS = 3;
  private static final float EPS = 1e-5f;
  private static final float[] SCALE_A = {0.5f, 2f, -1f};
  private static final float[] BIAS_A = {0.1f, -0.3f, 1f};

  private static Graph chain() {
    GraphBuilder b = new GraphBuilder("precise-bn-chain");
    Value x = b.input("x", DType.FLOAT32, Shape.of(Shape.DYNAMIC, CHANNELS, 2, 2));
    Value a = batchNorm(b, "a", x);
    Value dropped = b.apply(Op.DROPOUT, Attributes.builder().set("ratio", 0.5f).build(), a);
    Value doubled = b.apply(Op.MUL, dropped, b.scalar(2f));
    b.output("y", batchNorm(b, "b", doubled));
    return b.build();
  }

  private static Value batchNorm(GraphBuilder b, String name, Value x) {
    return b.apply(Op.BATCH_NORM, Attributes.builder().set("epsilon", EPS).build(), x,
        b.parameter(name + ".weight", Shape.of(CHANNELS), ParamRole.NORM_SCALE, Initializers.constant(1f)),
        b.parameter(name + ".bias", Shape.of(CHANNELS), ParamRole.NORM_BIAS, Initializers.constant(0f)),
        b.parameter(name + ".running_mean", Shape.of(CHANNELS), ParamRole.RUNNING_MEAN, Initializers.constant(0f)),
        b.parameter(name + ".running_var", Shape.of(CHANNELS), ParamRole.RUNNING_VAR, Initializers.constant(1f)));
  }

  @Test
  void runningStatisticsAreThoseOfAllBatchesWithBatchStatisticsUpstreamAndDropoutOff() {
    Graph graph = chain();
    Map<String, Tensor> w = new LinkedHashMap<>();
    for (var p : graph.parameters()) {
      w.put(p.name(), Tensor.ofFloats(new float[] {0, 0, 0}, CHANNELS));
    }
    w.put("a.weight", Tensor.ofFloats(SCALE_A, CHANNELS));
    w.put("a.bias", Tensor.ofFloats(BIAS_A, CHANNELS));
    w.put("b.weight", Tensor.ofFloats(new float[] {1, 1, 1}, CHANNELS));
    // Running statistics far from the truth, which recalibration must not read.
    w.put("a.running_var", Tensor.ofFloats(new float[] {9, 9, 9}, CHANNELS));
    w.put("b.running_var", Tensor.ofFloats(new float[] {9, 9, 9}, CHANNELS));
    Weights weights = Weights.of(w, "test");
    SplittableRandom random = new SplittableRandom(5);
    List<float[]> batches = List.of(batch(random, 4, 1f, 3f), batch(random, 4, -2f, 1f), batch(random, 3, 4f, 0.5f));

    Map<String, Tensor> measured;
    try (Engine engine = new DjlEngineProvider().create()) {
      BatchNormRecalibration recalibration = new BatchNormRecalibration(graph);
      assertEquals(2, recalibration.layers());
      measured = recalibration.measure(engine, weights, CompileOptions.defaults(), batches.stream()
          .map(v -> Map.of("x", Tensor.ofFloats(v, v.length / (CHANNELS * 4), CHANNELS, 2, 2))).iterator());
    }

    // Expected: layer a sees x; layer b sees 2·(γ·(x − μ_batch)/sqrt(σ²_batch + eps) + β).
    double[][] a = pooled(batches, false);
    double[][] b = pooled(batches, true);
    assertClose(a[0], measured.get("a.running_mean"), "a.running_mean");
    assertClose(a[1], measured.get("a.running_var"), "a.running_var");
    assertClose(b[0], measured.get("b.running_mean"), "b.running_mean");
    assertClose(b[1], measured.get("b.running_var"), "b.running_var");
  }

  @Test
  void graphsWithoutBatchNormNeedNoRecalibration() {
    GraphBuilder b = new GraphBuilder("no-bn");
    b.output("y", b.apply(Op.RELU, b.input("x", DType.FLOAT32, Shape.of(Shape.DYNAMIC, 3))));
    assertFalse(BatchStatisticsGraph.applies(b.build()));
    assertTrue(BatchStatisticsGraph.applies(chain()));
  }

  private static float[] batch(SplittableRandom r, int n, float mean, float spread) {
    float[] v = new float[n * CHANNELS * 4];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (mean + spread * r.nextGaussian() + (i / 4 % CHANNELS));
    }
    return v;
  }

  /** {mean, unbiased variance} per channel of layer a's inputs (or layer b's when {@code second}) over all batches. */
  private static double[][] pooled(List<float[]> batches, boolean second) {
    double[][] out = new double[2][CHANNELS];
    for (int c = 0; c < CHANNELS; c++) {
      List<Double> values = new java.util.ArrayList<>();
      for (float[] x : batches) {
        int n = x.length / (CHANNELS * 4);
        double sum = 0;
        for (int s = 0; s < n; s++) {
          for (int i = 0; i < 4; i++) {
            sum += x[(s * CHANNELS + c) * 4 + i];
          }
        }
        double mu = sum / (n * 4);
        double sq = 0;
        for (int s = 0; s < n; s++) {
          for (int i = 0; i < 4; i++) {
            double d = x[(s * CHANNELS + c) * 4 + i] - mu;
            sq += d * d;
          }
        }
        double sigma = Math.sqrt(sq / (n * 4) + EPS);
        for (int s = 0; s < n; s++) {
          for (int i = 0; i < 4; i++) {
            double v = x[(s * CHANNELS + c) * 4 + i];
            values.add(second ? 2 * (SCALE_A[c] * (v - mu) / sigma + BIAS_A[c]) : v);
          }
        }
      }
      double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
      out[0][c] = mean;
      out[1][c] = squares / (values.size() - 1);
    }
    return out;
  }

  private static void assertClose(double[] expected, Tensor actual, String what) {
    float[] got = actual.toFloatArray();
    for (int c = 0; c < expected.length; c++) {
      assertEquals(expected[c], got[c], 1e-4 * Math.max(1, Math.abs(expected[c])), what + " channel " + c
          + ": expected " + java.util.Arrays.toString(expected) + ", got " + java.util.Arrays.toString(got));
    }
  }
}
