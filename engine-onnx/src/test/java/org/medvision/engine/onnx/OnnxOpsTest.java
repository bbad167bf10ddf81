package org.medvision.engine.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Op;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/**
 * Each op through ONNX Runtime against values worked out by hand (or from published constants such as
 * erf(1) = 0.8427007929), so an attribute lost or mistranslated in lowering shows up as a wrong number.
 * Tolerance 1e-5 absolute: float32 rounding of these small computations stays well below it.
 */
class OnnxOpsTest {
  private static final float TOL = 1e-5f;
  private static Engine engine;

  @BeforeAll
  static void load() {
    engine = new OnnxEngineProvider().create();
  }

  @AfterAll
  static void unload() {
    engine.close();
  }

  private static Tensor run(Op op, Attributes a, Tensor... in) {
    return OpHarness.run(engine, op, a, in);
  }

  private static Attributes.Builder attrs() {
    return Attributes.builder();
  }

  private static void expect(Tensor actual, Shape shape, float... values) {
    assertEquals(shape, actual.shape(), "shape");
    assertArrayEquals(values, actual.toFloatArray(), TOL);
  }

  @Test
  void convPadsBiasStridesDilationsAndGroups() {
    Tensor ones = Tensor.of(Shape.of(1, 1, 3, 3), 1, 1, 1, 1, 1, 1, 1, 1, 1);
    Tensor k = Tensor.of(Shape.of(1, 1, 3, 3), 1, 1, 1, 1, 1, 1, 1, 1, 1);
    Tensor bias = Tensor.of(Shape.of(1), 0.5f);
    // Each output counts the input cells its zero-padded 3x3 window covers.
    expect(run(Op.CONV, attrs().set("pads", 1L, 1L, 1L, 1L).build(), ones, k, bias), Shape.of(1, 1, 3, 3),
        4.5f, 6.5f, 4.5f, 6.5f, 9.5f, 6.5f, 4.5f, 6.5f, 4.5f);
    expect(run(Op.CONV, attrs().set("pads", 1L, 1L, 1L, 1L).set("strides", 2L, 2L).build(), ones, k, bias),
        Shape.of(1, 1, 2, 2), 4.5f, 4.5f, 4.5f, 4.5f);
    // Asymmetric pads: one extra column only on the right.
    expect(run(Op.CONV, attrs().set("pads", 0L, 0L, 0L, 1L).build(), ones, k), Shape.of(1, 1, 1, 2), 9f, 6f);
    float[] ramp = new float[25];
    for (int i = 0; i < 25; i++) {
      ramp[i] = i;
    }
    // Dilation 2 samples rows/cols {0,2,4}: sum of 5i+j over those = 3*5*(0+2+4) + 3*(0+2+4) = 108.
    expect(run(Op.CONV, attrs().set("dilations", 2L, 2L).build(), Tensor.of(Shape.of(1, 1, 5, 5), ramp), k),
        Shape.of(1, 1, 1, 1), 108f);
    // Depthwise (group = channels): each channel scaled by its own 1x1 kernel.
    expect(run(Op.CONV, attrs().set("group", 2L).build(), Tensor.of(Shape.of(1, 2, 1, 1), 2, 3),
        Tensor.of(Shape.of(2, 1, 1, 1), 10, 100)), Shape.of(1, 2, 1, 1), 20f, 300f);
    // 1-D conv: [1,2,3,4] * [1,-1] = differences.
    expect(run(Op.CONV, Attributes.empty(), Tensor.of(Shape.of(1, 1, 4), 1, 2, 3, 4),
        Tensor.of(Shape.of(1, 1, 2), 1, -1)), Shape.of(1, 1, 3), -1f, -1f, -1f);
  }

  @Test
  void averagePoolCountsPaddingOnlyWhenAsked() {
    Tensor x = Tensor.of(Shape.of(1, 1, 2, 2), 1, 2, 3, 4);
    Attributes.Builder a = attrs().set("kernel_shape", 2L, 2L).set("pads", 1L, 1L, 1L, 1L);
    expect(run(Op.AVG_POOL, a.build(), x), Shape.of(1, 1, 3, 3), 1, 1.5f, 2, 2, 2.5f, 3, 3, 3.5f, 4);
    expect(run(Op.AVG_POOL, a.set("count_include_pad", 1L).build(), x), Shape.of(1, 1, 3, 3),
        0.25f, 0.75f, 0.5f, 1, 2.5f, 1.5f, 0.75f, 1.75f, 1);
    // ceil_mode keeps the partial last window [5] of width 5 with kernel 2, stride 2.
    Tensor row = Tensor.of(Shape.of(1, 1, 1, 5), 1, 2, 3, 4, 5);
    Attributes.Builder c = attrs().set("kernel_shape", 1L, 2L).set("strides", 1L, 2L);
    expect(run(Op.AVG_POOL, c.build(), row), Shape.of(1, 1, 1, 2), 1.5f, 3.5f);
    expect(run(Op.AVG_POOL, c.set("ceil_mode", 1L).build(), row), Shape.of(1, 1, 1, 3), 1.5f, 3.5f, 5f);
  }

  @Test
  void maxPoolPaddingNeverWinsAndCeilAndDilationsApply() {
    Tensor neg = Tensor.of(Shape.of(1, 1, 1, 5), -1, -5, -2, -4, -3);
    expect(run(Op.MAX_POOL, attrs().set("kernel_shape", 1L, 2L).set("strides", 1L, 2L).set("pads", 0L, 1L, 0L, 0L)
        .build(), neg), Shape.of(1, 1, 1, 3), -1f, -2f, -3f);
    Tensor row = Tensor.of(Shape.of(1, 1, 1, 5), 1, 5, 2, 4, 3);
    Attributes.Builder a = attrs().set("kernel_shape", 1L, 2L).set("strides", 1L, 2L);
    expect(run(Op.MAX_POOL, a.build(), row), Shape.of(1, 1, 1, 2), 5, 4);
    expect(run(Op.MAX_POOL, a.set("ceil_mode", 1L).build(), row), Shape.of(1, 1, 1, 3), 5, 4, 3);
    expect(run(Op.MAX_POOL, attrs().set("kernel_shape", 1L, 2L).set("dilations", 1L, 2L).build(), row),
        Shape.of(1, 1, 1, 3), 2, 5, 3);
  }

  @Test
  void globalAveragePoolKeepsSpatialAxes() {
    expect(run(Op.GLOBAL_AVG_POOL, Attributes.empty(), Tensor.of(Shape.of(1, 2, 1, 2), 1, 3, 10, 20)),
        Shape.of(1, 2, 1, 1), 2, 15);
  }

  @Test
  void activations() {
    Tensor x = Tensor.of(Shape.of(4), -1, 0, 1, 2);
    // Phi(1) = 0.8413447461, Phi(2) = 0.9772498681 (standard normal table).
    expect(run(Op.GELU, Attributes.empty(), x), Shape.of(4), -0.1586552539f, 0, 0.8413447461f, 1.9544997362f);
    float[] tanhGelu = new float[4];
    float[] xs = x.toFloatArray();
    for (int i = 0; i < 4; i++) {
      double v = xs[i];
      tanhGelu[i] = (float) (0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))));
    }
    expect(run(Op.GELU, attrs().set("approximate", "tanh").build(), x), Shape.of(4), tanhGelu);
    expect(run(Op.ERF, Attributes.empty(), Tensor.of(Shape.of(3), 0.5f, 1, -2)), Shape.of(3),
        0.5204998778f, 0.8427007929f, -0.9953222650f);
    expect(run(Op.RELU, Attributes.empty(), x), Shape.of(4), 0, 0, 1, 2);
    expect(run(Op.SIGMOID, Attributes.empty(), Tensor.of(Shape.of(2), 0, 2)), Shape.of(2), 0.5f,
        (float) (1 / (1 + Math.exp(-2))));
  }

  @Test
  void softmaxAlongTheRequestedAxis() {
    Tensor x = Tensor.of(Shape.of(2, 2), 1, 2, 3, 4);
    float lo = (float) (1 / (1 + Math.E));
    float hi = (float) (Math.E / (1 + Math.E));
    expect(run(Op.SOFTMAX, Attributes.empty(), x), Shape.of(2, 2), lo, hi, lo, hi);
    float a = (float) (1 / (1 + Math.exp(2)));
    expect(run(Op.SOFTMAX, attrs().set("axis", 0L).build(), x), Shape.of(2, 2), a, a, 1 - a, 1 - a);
  }

  @Test
  void layerNormalizationUsesBiasedVarianceEpsilonScaleAndBias() {
    Tensor x = Tensor.of(Shape.of(1, 4), 1, 2, 3, 4);
    Tensor scale = Tensor.of(Shape.of(4), 1, 1, 1, 2);
    Tensor bias = Tensor.of(Shape.of(4), 0, 0, 0, 1);
    double eps = 0.25; // large enough that dropping epsilon would change the result visibly
    double sd = Math.sqrt(1.25 + eps); // mean 2.5, biased variance 1.25
    expect(run(Op.LAYER_NORM, attrs().set("epsilon", (float) eps).build(), x, scale, bias), Shape.of(1, 4),
        (float) (-1.5 / sd), (float) (-0.5 / sd), (float) (0.5 / sd), (float) (2 * 1.5 / sd + 1));
    // axis 0 normalises over both rows of [[1,2],[3,4]]: same statistics, no scale change.
    Tensor x2 = Tensor.of(Shape.of(2, 2), 1, 2, 3, 4);
    Tensor s2 = Tensor.of(Shape.of(2, 2), 1, 1, 1, 1);
    expect(run(Op.LAYER_NORM, attrs().set("axis", 0L).set("epsilon", (float) eps).build(), x2, s2), Shape.of(2, 2),
        (float) (-1.5 / sd), (float) (-0.5 / sd), (float) (0.5 / sd), (float) (1.5 / sd));
  }

  @Test
  void batchNormalizationUsesRunningStatistics() {
    Tensor x = Tensor.of(Shape.of(1, 2, 1, 1), 1, 2);
    Tensor scale = Tensor.of(Shape.of(2), 2, 3);
    Tensor b = Tensor.of(Shape.of(2), 0.5f, -1);
    Tensor mean = Tensor.of(Shape.of(2), 0, 1);
    Tensor var = Tensor.of(Shape.of(2), 3.75f, 0);
    // eps 0.25: channel 0 sd = 2, channel 1 sd = 0.5.
    expect(run(Op.BATCH_NORM, attrs().set("epsilon", 0.25f).build(), x, scale, b, mean, var), Shape.of(1, 2, 1, 1),
        2 * 1 / 2f + 0.5f, 3 * 1 / 0.5f - 1);
  }

  @Test
  void gemmAndMatMul() {
    Tensor a = Tensor.of(Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
    Tensor bCol = Tensor.of(Shape.of(2, 1), 1, 1);
    Tensor c = Tensor.of(Shape.of(1), 1);
    // A'·B = column sums [5, 7, 9]; 2·that + 0.5·1.
    expect(run(Op.GEMM, attrs().set("alpha", 2f).set("beta", 0.5f).set("transA", 1L).build(), a, bCol, c),
        Shape.of(3, 1), 10.5f, 14.5f, 18.5f);
    Tensor bRow = Tensor.of(Shape.of(1, 3), 1, 0, -1);
    expect(run(Op.GEMM, attrs().set("transB", 1L).build(), a, bRow), Shape.of(2, 1), -2, -2);
    Tensor batch = Tensor.of(Shape.of(2, 1, 2), 1, 2, 3, 4);
    Tensor m = Tensor.of(Shape.of(2, 2), 1, 0, 1, 1);
    expect(run(Op.MATMUL, Attributes.empty(), batch, m), Shape.of(2, 1, 2), 3, 2, 7, 4);
  }

  @Test
  void broadcastingArithmetic() {
    Tensor col = Tensor.of(Shape.of(2, 1), 1, 2);
    Tensor row = Tensor.of(Shape.of(3), 10, 20, 40);
    Shape s = Shape.of(2, 3);
    expect(run(Op.ADD, Attributes.empty(), col, row), s, 11, 21, 41, 12, 22, 42);
    expect(run(Op.SUB, Attributes.empty(), col, row), s, -9, -19, -39, -8, -18, -38);
    expect(run(Op.MUL, Attributes.empty(), col, row), s, 10, 20, 40, 20, 40, 80);
    expect(run(Op.DIV, Attributes.empty(), col, row), s, 0.1f, 0.05f, 0.025f, 0.2f, 0.1f, 0.05f);
  }

  @Test
  void layoutOps() {
    float[] six = {0, 1, 2, 3, 4, 5};
    Tensor x = Tensor.of(Shape.of(1, 2, 3), six);
    expect(run(Op.RESHAPE, attrs().set("shape", 0L, -1L).build(), x), Shape.of(1, 6), six);
    expect(run(Op.RESHAPE, attrs().set("shape", 3L, 2L).build(), x), Shape.of(3, 2), six);
    expect(run(Op.TRANSPOSE, attrs().set("perm", 0L, 2L, 1L).build(), x), Shape.of(1, 3, 2), 0, 3, 1, 4, 2, 5);
    expect(run(Op.TRANSPOSE, Attributes.empty(), x), Shape.of(3, 2, 1), 0, 3, 1, 4, 2, 5);
    Tensor y = Tensor.of(Shape.of(1, 1, 3), 6, 7, 8);
    expect(run(Op.CONCAT, attrs().set("axis", 1L).build(), x, y), Shape.of(1, 3, 3), 0, 1, 2, 3, 4, 5, 6, 7, 8);
    expect(run(Op.CONCAT, attrs().set("axis", -1L).build(), y, y), Shape.of(1, 1, 6), 6, 7, 8, 6, 7, 8);
    expect(run(Op.SQUEEZE, Attributes.empty(), y), Shape.of(3), 6, 7, 8);
    expect(run(Op.SQUEEZE, attrs().set("axes", 1L).build(), y), Shape.of(1, 3), 6, 7, 8);
    expect(run(Op.UNSQUEEZE, attrs().set("axes", 0L, 3L).build(), x), Shape.of(1, 1, 2, 1, 3), six);
    expect(run(Op.FLATTEN, Attributes.empty(), x), Shape.of(1, 6), six);
    expect(run(Op.FLATTEN, attrs().set("axis", 2L).build(), x), Shape.of(2, 3), six);
    expect(run(Op.FLATTEN, attrs().set("axis", 0L).build(), x), Shape.of(1, 6), six);
    expect(run(Op.IDENTITY, Attributes.empty(), x), Shape.of(1, 2, 3), six);
    expect(run(Op.DROPOUT, attrs().set("ratio", 0.9f).build(), x), Shape.of(1, 2, 3), six);
  }
}
