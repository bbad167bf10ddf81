package org.medvision.tasks.common;

import static org.medvision.tasks.common.TestNumerics.assertClose;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.ReferenceInterpreter;

/** Both block forms against a direct loop implementation of timm's ConvNeXtBlock forward. */
class ConvNextBlockTest {
  private static final int C = 4;
  private static final int H = 5;
  private static final int W = 6;

  private static Graph block(boolean convMlp) {
    GraphBuilder b = new GraphBuilder("block");
    Value x = b.input("x", DType.FLOAT32, Shape.of(1, C, H, W));
    b.output("y", new ConvNextBlock(C, convMlp).apply(b, "blk", x, 0f));
    return b.build();
  }

  private static float[] p(Weights w, String name) {
    return w.find("blk." + name).orElseThrow().toFloatArray();
  }

  /** timm: x + gamma · fc2(gelu(fc1(LN_c(dwconv7x7(x))))), written with plain loops in NCHW. */
  private static double[] expected(Weights w, float[] x) {
    float[] dw = p(w, "conv_dw.weight");
    float[] dwb = p(w, "conv_dw.bias");
    float[] lnw = p(w, "norm.weight");
    float[] lnb = p(w, "norm.bias");
    float[] w1 = p(w, "mlp.fc1.weight");
    float[] b1 = p(w, "mlp.fc1.bias");
    float[] w2 = p(w, "mlp.fc2.weight");
    float[] b2 = p(w, "mlp.fc2.bias");
    float[] gamma = p(w, "gamma");
    double[] out = new double[C * H * W];
    for (int i = 0; i < H; i++) {
      for (int j = 0; j < W; j++) {
        double[] t = new double[C];
        for (int c = 0; c < C; c++) {
          double s = dwb[c];
          for (int ki = 0; ki < 7; ki++) {
            for (int kj = 0; kj < 7; kj++) {
              int yi = i + ki - 3;
              int xj = j + kj - 3;
              if (yi >= 0 && yi < H && xj >= 0 && xj < W) {
                s += (double) dw[c * 49 + ki * 7 + kj] * x[(c * H + yi) * W + xj];
              }
            }
          }
          t[c] = s;
        }
        double mean = 0;
        for (double v : t) {
          mean += v / C;
        }
        double var = 0;
        for (double v : t) {
          var += (v - mean) * (v - mean) / C;
        }
        for (int c = 0; c < C; c++) {
          t[c] = (t[c] - mean) / Math.sqrt(var + 1e-6) * lnw[c] + lnb[c];
        }
        double[] hidden = new double[4 * C];
        for (int o = 0; o < 4 * C; o++) {
          double s = b1[o];
          for (int c = 0; c < C; c++) {
            s += w1[o * C + c] * t[c];
          }
          hidden[o] = TestNumerics.gelu(s);
        }
        for (int c = 0; c < C; c++) {
          double s = b2[c];
          for (int o = 0; o < 4 * C; o++) {
            s += w2[c * 4 * C + o] * hidden[o];
          }
          int at = (c * H + i) * W + j;
          out[at] = x[at] + gamma[c] * s;
        }
      }
    }
    return out;
  }

  private static void check(boolean convMlp) {
    Graph g = block(convMlp);
    Weights w = TestNumerics.randomWeights(g, convMlp ? 11 : 12, 0.5);
    float[] x = TestNumerics.uniform(new SplittableRandom(13), C * H * W, 1.5);
    float[] y = ReferenceInterpreter.run(g, w, Map.of("x", Tensor.of(Shape.of(1, C, H, W), x))).get("y")
        .toFloatArray();
    assertClose(expected(w, x), y, 2e-5, convMlp ? "conv_mlp block" : "channels-last block");
  }

  @Test
  void channelsLastBlockMatchesTimmForward() {
    check(false);
  }

  @Test
  void convMlpBlockMatchesTimmForward() {
    check(true);
  }
}
