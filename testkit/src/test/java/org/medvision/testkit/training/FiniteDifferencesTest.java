package org.medvision.testkit.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.Tensor;

/** Finite differences against gradients derived by hand. */
class FiniteDifferencesTest {
  @Test
  void linearRegressionGradientMatchesTheClosedForm() {
    // L = mean over [4,2] of (x·Wᵀ + b − t)², so dL/dW[o,i] = (2/8)·Σ_n r[n,o]·x[n,i] and dL/db[o] = (2/8)·Σ_n r[n,o]
    // with residuals r = x·Wᵀ + b − t. L is quadratic, so central differences are exact up to rounding.
    TrainingCaseBuilder b = new TrainingCaseBuilder("finite differences: linear regression");
    Value x = b.input("x", 4, 3);
    Value y = b.apply(Op.GEMM, Attributes.builder().set("transB", 1L).build(), x, b.weight("w", 2, 3),
        b.parameter("b", ParamRole.BIAS, -0.5f, 0.5f, 2));
    TrainingCase c = b.loss(Op.MSE_LOSS, Attributes.empty(), y, b.input("t", 4, 2));
    float[] xv = c.batch().get("x").toFloatArray();
    float[] tv = c.batch().get("t").toFloatArray();
    Map<String, Tensor> w = c.weights().tensors();
    float[] wv = w.get("w").toFloatArray();
    float[] bv = w.get("b").toFloatArray();
    double[] r = new double[8];
    for (int n = 0; n < 4; n++) {
      for (int o = 0; o < 2; o++) {
        double s = bv[o];
        for (int i = 0; i < 3; i++) {
          s += (double) xv[n * 3 + i] * wv[o * 3 + i];
        }
        r[n * 2 + o] = s - tv[n * 2 + o];
      }
    }
    FiniteDifferences fd = new FiniteDifferences(c.graph(), c.weights(), c.batch());
    for (int o = 0; o < 2; o++) {
      double db = 0;
      for (int n = 0; n < 4; n++) {
        db += 0.25 * r[n * 2 + o];
      }
      assertEquals(db, fd.derivative("b", o, 1e-2), 1e-4, "dL/db[" + o + "]");
      for (int i = 0; i < 3; i++) {
        double dw = 0;
        for (int n = 0; n < 4; n++) {
          dw += 0.25 * r[n * 2 + o] * xv[n * 3 + i];
        }
        assertEquals(dw, fd.derivative("w", o * 3 + i, 1e-2), 1e-4, "dL/dW[" + o + "," + i + "]");
      }
    }
    double loss = 0;
    for (double v : r) {
      loss += v * v / 8;
    }
    assertEquals(loss, fd.loss(), 1e-6);
  }

  /**
   * loss = Σ_i p_i·stop_gradient(p_i): the stopped factor is held at its unperturbed value, so dL/dp_i = p_i, where
   * differencing straight through the identity it computes would give 2·p_i.
   */
  @Test
  void stopGradientOutputsAreHeldFixed() {
    TrainingCase c = VersionFourGradientCases.stopGradientProduct();
    float[] p = c.weights().tensors().get("p").toFloatArray();
    FiniteDifferences fd = new FiniteDifferences(c.graph(), c.weights(), c.batch());
    double squares = 0;
    for (int i = 0; i < p.length; i++) {
      squares += (double) p[i] * p[i];
      // L is linear in each p_i once the stopped factor is fixed, so the difference is exact up to rounding.
      assertEquals(p[i], fd.derivative("p", i, 1e-2), 1e-4, "dL/dp[" + i + "]");
    }
    assertEquals(squares, fd.loss(), 1e-5, "the loss itself is Σ p²");
  }

  @Test
  void unknownParametersAreNamed() {
    TrainingCase c = GradientCases.all().get(0);
    FiniteDifferences fd = new FiniteDifferences(c.graph(), c.weights(), c.batch());
    MedvisionException e = assertThrows(MedvisionException.class, () -> fd.derivative("nope", 0, 1e-2));
    assertEquals(true, e.getMessage().contains("'nope'"), e.getMessage());
  }

  @Test
  void everyGradientCaseRunsInTheReferenceTrainingMode() {
    for (TrainingCase c : GradientCases.all()) {
      double loss = new FiniteDifferences(c.graph(), c.weights(), c.batch()).loss();
      assertEquals(true, Double.isFinite(loss) && loss > 0, c.displayName() + ": loss " + loss);
    }
  }
}
