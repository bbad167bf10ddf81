package org.medvision.testkit.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.weights.Initializers;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.ReferenceInterpreter;

/**
 * A {@link TrainingGraph#builder} graph with two named loss terms, run by the reference interpreter: each term is
 * the loss it names (checked against cross-entropy and mean squared error computed here), and {@code loss} is the
 * weighted sum of the terms for whatever weights are fed, so a trainer or balancer can change them every step.
 */
class NamedLossTermsTest {
  /** x [N, 3] → logits = x·Wᵀ + b [N, 2], with fixed W and b. */
  private static final float[] W = {0.5f, -1, 0.25f, 2, 0.75f, -0.5f};
  private static final float[] B = {0.1f, -0.2f};
  private static final float[] X = {1, 2, 3, -1, 0.5f, 2, 0, 0, 1, 2, -2, 0.5f};
  private static final long[] LABELS = {0, 1, 1, 0};
  private static final float[] TARGET = {1, 0, 0, 1, 0.5f, 0.5f, -1, 2};

  private static Graph graph() {
    GraphBuilder b = new GraphBuilder("linear");
    Value x = b.input("x", DType.FLOAT32, Shape.of(-1, 3));
    Value w = b.parameter("head.weight", Shape.of(2, 3), ParamRole.WEIGHT, Initializers.kaimingUniform());
    Value bias = b.parameter("head.bias", Shape.of(2), ParamRole.BIAS, Initializers.zeros());
    b.output("logits", b.apply(Op.GEMM, Attributes.builder().set("transB", 1L).build(), x, w, bias));
    TrainingGraph.Builder t = TrainingGraph.builder(b.build());
    GraphBuilder g = t.graph();
    Value logits = g.value("logits");
    t.loss("ce", g.apply(Op.CROSS_ENTROPY, logits, t.target("labels", DType.INT64, Shape.of(-1))));
    t.loss("mse", g.apply(Op.MSE_LOSS, logits, t.target("target", DType.FLOAT32, Shape.of(-1, 2))));
    return t.build();
  }

  private static double[] logits() {
    double[] z = new double[8];
    for (int n = 0; n < 4; n++) {
      for (int k = 0; k < 2; k++) {
        double s = B[k];
        for (int i = 0; i < 3; i++) {
          s += (double) X[3 * n + i] * W[3 * k + i];
        }
        z[2 * n + k] = s;
      }
    }
    return z;
  }

  /** Mean over the batch of −log softmax(z)[label]. */
  private static double crossEntropy(double[] z) {
    double sum = 0;
    for (int n = 0; n < 4; n++) {
      double a = z[2 * n];
      double b = z[2 * n + 1];
      double m = Math.max(a, b);
      double logSum = m + Math.log(Math.exp(a - m) + Math.exp(b - m));
      sum += logSum - z[2 * n + (int) LABELS[n]];
    }
    return sum / 4;
  }

  private static double meanSquaredError(double[] z) {
    double sum = 0;
    for (int i = 0; i < 8; i++) {
      sum += (z[i] - TARGET[i]) * (z[i] - TARGET[i]);
    }
    return sum / 8;
  }

  private static Map<String, Tensor> run(Graph g, float ce, float mse) {
    Map<String, Tensor> in = new LinkedHashMap<>();
    in.put("x", Tensor.of(Shape.of(4, 3), X));
    in.put("labels", Tensor.ofLongs(Shape.of(4), LABELS));
    in.put("target", Tensor.of(Shape.of(4, 2), TARGET));
    in.put("loss_weight.ce", Tensor.of(Shape.scalar(), ce));
    in.put("loss_weight.mse", Tensor.of(Shape.scalar(), mse));
    Map<String, Tensor> params = new LinkedHashMap<>();
    params.put("head.weight", Tensor.of(Shape.of(2, 3), W));
    params.put("head.bias", Tensor.of(Shape.of(2), B));
    return ReferenceInterpreter.run(g, Weights.of(params, "fixed"), in);
  }

  @Test
  void theLossIsTheWeightedSumOfTheTermsForAnyWeights() {
    Graph g = graph();
    double[] z = logits();
    double ce = crossEntropy(z);
    double mse = meanSquaredError(z);
    for (float[] w : new float[][] {{1, 0}, {0, 1}, {1, 1}, {0.3f, 2.5f}, {4, 0.01f}}) {
      Map<String, Tensor> out = run(g, w[0], w[1]);
      assertEquals(List.of("loss", "loss.ce", "loss.mse", "logits"), List.copyOf(out.keySet()));
      // The terms are the losses they name, whatever they are weighted by.
      assertEquals(ce, out.get("loss.ce").toFloatArray()[0], 1e-5 * Math.max(1, ce), "ce at " + w[0] + ", " + w[1]);
      assertEquals(mse, out.get("loss.mse").toFloatArray()[0], 1e-5 * Math.max(1, mse));
      double want = w[0] * (double) out.get("loss.ce").toFloatArray()[0]
          + w[1] * (double) out.get("loss.mse").toFloatArray()[0];
      assertEquals(want, out.get("loss").toFloatArray()[0], 1e-5 * Math.max(1, Math.abs(want)),
          "loss at weights " + w[0] + ", " + w[1]);
      float[] zf = new float[8];
      for (int i = 0; i < 8; i++) {
        zf[i] = (float) z[i];
      }
      assertArrayEquals(zf, out.get("logits").toFloatArray(), 1e-5f);
    }
  }
}
