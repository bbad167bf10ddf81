package org.medvision.tasks.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medvision.tasks.common.TestNumerics.assertClose;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.ReferenceInterpreter;

class LayersTest {
  private static final double TOL = 1e-5;

  private static Graph oneLayer(Shape in, BiFunction<GraphBuilder, Value, Value> layer) {
    GraphBuilder b = new GraphBuilder("layer");
    Value x = b.input("x", DType.FLOAT32, in);
    b.output("y", layer.apply(b, x));
    return b.build();
  }

  private static float[] run(Graph g, Weights w, Tensor x) {
    return ReferenceInterpreter.run(g, w, Map.of("x", x)).get("y").toFloatArray();
  }

  @Test
  void linearOnMatricesIsOneGemmAndMatchesHandProduct() {
    Graph g = oneLayer(Shape.of(-1, 3), (b, x) -> Linear.pytorchDefault(3, 2).apply(b, "fc", x));
    assertEquals(Shape.of(2, 3), g.parameter("fc.weight").orElseThrow().shape());
    assertEquals(ParamRole.WEIGHT, g.parameter("fc.weight").orElseThrow().role());
    assertEquals(ParamRole.BIAS, g.parameter("fc.bias").orElseThrow().role());
    assertEquals(1, g.nodes().stream().filter(n -> n.op() == Op.GEMM).count());
    Weights w = Weights.of(Map.of("fc.weight", Tensor.of(Shape.of(2, 3), 1, 2, 3, -1, 0, 4),
        "fc.bias", Tensor.of(Shape.of(2), 0.5f, -2)), "hand");
    float[] y = run(g, w, Tensor.of(Shape.of(2, 3), 1, 1, 1, 2, -1, 0.5f));
    // Row 1: [1+2+3+0.5, -1+0+4-2]; row 2: [2-2+1.5+0.5, -2+0+2-2].
    assertClose(new double[] {6.5, 1, 2, -2}, y, TOL, "linear");
  }

  @Test
  void linearOnChannelsLastActsOnTheLastAxis() {
    SplittableRandom r = new SplittableRandom(3);
    Graph g = oneLayer(Shape.of(1, 2, 2, 3), (b, x) -> Linear.pytorchDefault(3, 4).apply(b, "fc", x));
    assertTrue(g.nodes().stream().anyMatch(n -> n.op() == Op.MATMUL));
    Weights w = TestNumerics.randomWeights(g, 5, 1);
    float[] wt = w.find("fc.weight").orElseThrow().toFloatArray();
    float[] bias = w.find("fc.bias").orElseThrow().toFloatArray();
    float[] x = TestNumerics.uniform(r, 12, 1);
    double[] expected = new double[16];
    for (int p = 0; p < 4; p++) {
      for (int o = 0; o < 4; o++) {
        double s = bias[o];
        for (int i = 0; i < 3; i++) {
          s += (double) wt[o * 3 + i] * x[p * 3 + i];
        }
        expected[p * 4 + o] = s;
      }
    }
    assertClose(expected, run(g, w, Tensor.of(Shape.of(1, 2, 2, 3), x)), TOL, "channels-last linear");
  }

  @Test
  void layerNorm2dNormalisesTheChannelsOfEachPixel() {
    int c = 3;
    int hw = 4;
    SplittableRandom r = new SplittableRandom(9);
    Graph g = oneLayer(Shape.of(1, c, 2, 2), (b, x) -> new LayerNorm2d(c, 1e-6f).apply(b, "ln", x));
    assertEquals(ParamRole.NORM_SCALE, g.parameter("ln.weight").orElseThrow().role());
    assertEquals(ParamRole.NORM_BIAS, g.parameter("ln.bias").orElseThrow().role());
    Weights w = TestNumerics.randomWeights(g, 2, 1);
    float[] gamma = w.find("ln.weight").orElseThrow().toFloatArray();
    float[] beta = w.find("ln.bias").orElseThrow().toFloatArray();
    float[] x = TestNumerics.uniform(r, c * hw, 2);
    double[] expected = new double[c * hw];
    for (int p = 0; p < hw; p++) {
      double mean = 0;
      for (int ch = 0; ch < c; ch++) {
        mean += x[ch * hw + p] / (double) c;
      }
      double var = 0;
      for (int ch = 0; ch < c; ch++) {
        var += Math.pow(x[ch * hw + p] - mean, 2) / c;
      }
      for (int ch = 0; ch < c; ch++) {
        expected[ch * hw + p] = (x[ch * hw + p] - mean) / Math.sqrt(var + 1e-6) * gamma[ch] + beta[ch];
      }
    }
    assertClose(expected, run(g, w, Tensor.of(Shape.of(1, c, 2, 2), x)), TOL, "LayerNorm2d");
  }

  @Test
  void batchNorm1dUsesRunningStatisticsAndOnnxMomentum() {
    Graph g = oneLayer(Shape.of(-1, 2), (b, x) -> new BatchNorm1d(2).apply(b, "bn", x));
    assertEquals(ParamRole.RUNNING_MEAN, g.parameter("bn.running_mean").orElseThrow().role());
    assertEquals(ParamRole.RUNNING_VAR, g.parameter("bn.running_var").orElseThrow().role());
    Node bn = g.nodes().stream().filter(n -> n.op() == Op.BATCH_NORM).findFirst().orElseThrow();
    assertEquals(0.9f, bn.attributes().getFloat("momentum"), 1e-7f);
    assertEquals(1e-5f, bn.attributes().getFloat("epsilon"), 1e-12f);
    Weights w = Weights.of(Map.of("bn.weight", Tensor.of(Shape.of(2), 2, 0.5f),
        "bn.bias", Tensor.of(Shape.of(2), 1, -1), "bn.running_mean", Tensor.of(Shape.of(2), 0.5f, 3),
        "bn.running_var", Tensor.of(Shape.of(2), 4, 0.25f)), "hand");
    float[] y = run(g, w, Tensor.of(Shape.of(2, 2), 2.5f, 3, -1.5f, 4));
    double s0 = 2 / Math.sqrt(4 + 1e-5);
    double s1 = 0.5 / Math.sqrt(0.25 + 1e-5);
    assertClose(new double[] {2 * s0 + 1, -1, -2 * s0 + 1, s1 - 1}, y, TOL, "BatchNorm1d");
  }

  @Test
  void convolutionsUsePyTorchLayouts() {
    Graph g = oneLayer(Shape.of(-1, 8, 14, 14), (b, x) -> {
      Value y = Convolution.conv2d(8, 8, 7, 1, 3, 8, true, LayerInit.truncatedNormal(0.02f)).apply(b, "dw", x);
      return Convolution.conv2d(8, 16, 2, 2, 0, 1, false, LayerInit.pytorchDefault(32)).apply(b, "down", y);
    });
    assertEquals(Shape.of(8, 1, 7, 7), g.parameter("dw.weight").orElseThrow().shape());
    assertEquals(Shape.of(8), g.parameter("dw.bias").orElseThrow().shape());
    assertEquals(Shape.of(16, 8, 2, 2), g.parameter("down.weight").orElseThrow().shape());
    assertTrue(g.parameter("down.bias").isEmpty());
    assertEquals(Shape.of(-1, 16, 7, 7), g.outputs().get(0).shape());
  }

  @Test
  void wrongInputChannelsNameTheLayer() {
    MedvisionException e = assertThrows(MedvisionException.class, () -> oneLayer(Shape.of(1, 4, 8, 8),
        (b, x) -> Convolution.conv2d(3, 8, 4, 4, 0, 1, true, LayerInit.pytorchDefault(48)).apply(b, "stem.0", x)));
    assertTrue(e.getMessage().contains("stem.0") && e.getMessage().contains("[1, 4, 8, 8]"), e.getMessage());
    MedvisionException l = assertThrows(MedvisionException.class, () -> oneLayer(Shape.of(2, 5),
        (b, x) -> Linear.pytorchDefault(6, 2).apply(b, "head.fc", x)));
    assertTrue(l.getMessage().contains("head.fc"), l.getMessage());
  }

  @Test
  void geluIsTheExactForm() {
    Graph g = oneLayer(Shape.of(5), Activations::gelu);
    assertEquals("none", g.nodes().get(0).attributes().getString("approximate"));
    float[] x = {-3, -0.7f, 0, 0.4f, 2.5f};
    double[] expected = new double[5];
    for (int i = 0; i < 5; i++) {
      expected[i] = TestNumerics.gelu(x[i]);
    }
    assertClose(expected, run(g, Weights.of(Map.of(), "none"), Tensor.of(Shape.of(5), x)), 1e-6, "gelu");
  }
}
