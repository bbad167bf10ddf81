package org.medvision.testkit.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.OptimizerSpec;

/**
 * Two steps of each rule worked out by hand on a decayed weight p = (1, −2) and a decay-free bias q = (0.5), with
 * gradients (0.5, −1), (0.2) then (−0.5, 0.5), (0.2); lr 0.1, λ 0.1.
 */
class ReferenceOptimizerTest {
  private static final Map<String, ParamRole> ROLES = Map.of("p", ParamRole.WEIGHT, "q", ParamRole.BIAS,
      "stat", ParamRole.RUNNING_MEAN);
  private static final double LR = 0.1;

  private static Map<String, Tensor> tensors(float[] p, float q) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("p", Tensor.ofFloats(p, 2));
    m.put("q", Tensor.ofFloats(new float[] {q}, 1));
    return m;
  }

  private static final Map<String, Tensor> START = tensors(new float[] {1, -2}, 0.5f);
  private static final List<Map<String, Tensor>> GRADIENTS = List.of(tensors(new float[] {0.5f, -1}, 0.2f),
      tensors(new float[] {-0.5f, 0.5f}, 0.2f));

  /** Runs both steps, checking the parameters after each against {@code expected} [step][p0, p1, q]. */
  private static ReferenceOptimizer check(OptimizerSpec spec, double[][] expected) {
    ReferenceOptimizer opt = new ReferenceOptimizer(spec, ROLES);
    Map<String, Tensor> params = START;
    for (int step = 0; step < 2; step++) {
      params = opt.step(params, GRADIENTS.get(step), LR);
      float[] p = params.get("p").toFloatArray();
      float[] q = params.get("q").toFloatArray();
      assertArrayEquals(new float[] {(float) expected[step][0], (float) expected[step][1], (float) expected[step][2]},
          new float[] {p[0], p[1], q[0]}, 1e-6f, spec.kind() + " step " + (step + 1));
    }
    assertEquals(2, opt.steps());
    return opt;
  }

  @Test
  void adamWTwoSteps() {
    // Step 1: decay p ← 0.99·p = (0.99, −1.98); m̂ = g, v̂ = g², so the update is lr·sign(g):
    //   p = (0.89, −1.88), q = 0.4.
    // Step 2: decay p = (0.8811, −1.8612); m = 0.9·0.1·g1 + 0.1·g2 = (−0.005, −0.04);
    //   v = 0.999·0.001·g1² + 0.001·g2² = (0.00049975, 0.001249); bias corrections 0.19 and 0.001999;
    //   m̂ = (−0.02631579, −0.21052632), √v̂ = (0.5, 0.79045077): p = (0.88636316, −1.83456630).
    //   q: m = 0.038, v = 0.00007996: m̂ = 0.2, √v̂ = 0.2, so q = 0.4 − 0.1 = 0.3.
    ReferenceOptimizer opt = check(OptimizerSpec.adamW(0.1),
        new double[][] {{0.89, -1.88, 0.4}, {0.88636316, -1.83456630, 0.3}});
    Map<String, Tensor> state = opt.state();
    assertEquals(List.of("step", "exp_avg.p", "exp_avg_sq.p", "exp_avg.q", "exp_avg_sq.q"),
        List.copyOf(state.keySet()));
    assertEquals(2L, state.get("step").toLongArray()[0]);
    assertEquals(Shape.scalar(), state.get("step").shape());
    assertArrayEquals(new float[] {-0.005f, -0.04f}, state.get("exp_avg.p").toFloatArray(), 1e-9f);
    assertArrayEquals(new float[] {0.00049975f, 0.001249f}, state.get("exp_avg_sq.p").toFloatArray(), 1e-10f);
    assertArrayEquals(new float[] {0.038f}, state.get("exp_avg.q").toFloatArray(), 1e-9f);
  }

  @Test
  void adamWStepOneMovesEveryDecayFreeParameterByTheLearningRate() {
    // PyTorch's Adam: at t = 1 the bias-corrected moments are g and g², so the step is lr·g/(|g| + ε).
    Map<String, Tensor> start = new LinkedHashMap<>();
    start.put("q", Tensor.ofFloats(new float[] {0.5f, -0.25f, 2f, 1e-3f}, 4));
    Map<String, Tensor> g = Map.of("q", Tensor.ofFloats(new float[] {3f, -1e-3f, -40f, 1e-4f}, 4));
    float[] after = new ReferenceOptimizer(OptimizerSpec.adamW(0.5), Map.of("q", ParamRole.BIAS))
        .step(start, g, 0.01).get("q").toFloatArray();
    float[] before = start.get("q").toFloatArray();
    float[] grad = g.get("q").toFloatArray();
    for (int i = 0; i < 4; i++) {
      // |Δ| = lr·|g|/(|g| + ε) falls short of lr by at most lr·ε/|g|, plus the float32 rounding of the result.
      double shortfall = 0.01 * 1e-8 / Math.abs(grad[i]);
      assertEquals(-0.01 * Math.signum(grad[i]), after[i] - before[i], shortfall + 1e-8, "element " + i);
    }
  }

  @Test
  void sgdMomentumTwoSteps() {
    // Step 1: g' = g + 0.1·p = (0.6, −1.2), b = g': p = (0.94, −1.88); q: b = 0.2, q = 0.48.
    // Step 2: g' = (−0.5, 0.5) + 0.1·(0.94, −1.88) = (−0.406, 0.312); b = 0.9·(0.6, −1.2) + g' = (0.134, −0.768):
    //   p = (0.9266, −1.8032); q: b = 0.38, q = 0.442.
    ReferenceOptimizer opt = check(OptimizerSpec.sgd(0.9, 0.1, false),
        new double[][] {{0.94, -1.88, 0.48}, {0.9266, -1.8032, 0.442}});
    assertEquals(List.of("step", "momentum_buffer.p", "momentum_buffer.q"), List.copyOf(opt.state().keySet()));
    assertArrayEquals(new float[] {0.134f, -0.768f}, opt.state().get("momentum_buffer.p").toFloatArray(), 1e-7f);
  }

  @Test
  void sgdNesterovTwoSteps() {
    // Step 1: g' = (0.6, −1.2), b = g', step g' + 0.9·b = (1.14, −2.28): p = (0.886, −1.772);
    //   q: b = 0.2, step 0.38, q = 0.462.
    // Step 2: g' = (−0.5, 0.5) + 0.1·(0.886, −1.772) = (−0.4114, 0.3228); b = (0.1286, −0.7572);
    //   step g' + 0.9·b = (−0.29566, −0.35868): p = (0.915566, −1.736132); q: b = 0.38, step 0.542, q = 0.4078.
    check(OptimizerSpec.sgd(0.9, 0.1, true), new double[][] {{0.886, -1.772, 0.462}, {0.915566, -1.736132, 0.4078}});
  }

  @Test
  void plainSgdKeepsNoBuffer() {
    // Momentum 0: p − lr·(g + λp) = (1 − 0.1·0.6, −2 + 0.1·1.2) = (0.94, −1.88) at step 1 as well.
    ReferenceOptimizer opt = new ReferenceOptimizer(OptimizerSpec.sgd(0, 0.1, false), ROLES);
    float[] p = opt.step(START, GRADIENTS.get(0), LR).get("p").toFloatArray();
    assertArrayEquals(new float[] {0.94f, -1.88f}, p, 1e-7f);
    assertEquals(List.of("step"), List.copyOf(opt.state().keySet()));
  }

  @Test
  void aLoadedStateContinuesExactly() {
    for (OptimizerSpec spec : List.of(OptimizerSpec.adamW(0.1), OptimizerSpec.sgd(0.9, 0.1, true))) {
      ReferenceOptimizer original = new ReferenceOptimizer(spec, ROLES);
      Map<String, Tensor> afterOne = original.step(START, GRADIENTS.get(0), LR);
      ReferenceOptimizer resumed = new ReferenceOptimizer(spec, ROLES);
      resumed.loadState(original.state());
      float[] a = original.step(afterOne, GRADIENTS.get(1), LR).get("p").toFloatArray();
      float[] b = resumed.step(afterOne, GRADIENTS.get(1), LR).get("p").toFloatArray();
      // The state is exported in float32, so the resumed moments are rounded: equal to a few ulps.
      assertArrayEquals(a, b, 1e-6f, spec.kind().toString());
      assertEquals(2, resumed.steps());
    }
  }

  @Test
  void badGradientsAndStatesAreNamed() {
    ReferenceOptimizer opt = new ReferenceOptimizer(OptimizerSpec.adamW(0), ROLES);
    Map<String, Tensor> withBuffer = new LinkedHashMap<>(GRADIENTS.get(0));
    withBuffer.put("stat", Tensor.ofFloats(new float[] {1}, 1));
    MedvisionException e = assertThrows(MedvisionException.class, () -> opt.step(START, withBuffer, LR));
    assertTrue(e.getMessage().contains("'stat'") && e.getMessage().contains("not trainable"), e.getMessage());
    e = assertThrows(MedvisionException.class, () -> opt.step(START, Map.of("p", GRADIENTS.get(0).get("p")), LR));
    assertTrue(e.getMessage().contains("'q' has no gradient"), e.getMessage());
    e = assertThrows(MedvisionException.class, () -> opt.loadState(Map.of("exp_avg.p", Tensor.ofFloats(
        new float[2], 2))));
    assertTrue(e.getMessage().contains("'step'"), e.getMessage());
    e = assertThrows(MedvisionException.class, () -> opt.loadState(Map.of("step", Tensor.ofLongs(Shape.scalar(), 1),
        "exp_avg.nope", Tensor.ofFloats(new float[2], 2))));
    assertTrue(e.getMessage().contains("'exp_avg.nope'"), e.getMessage());
  }
}
