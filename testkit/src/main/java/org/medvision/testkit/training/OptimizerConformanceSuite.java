package org.medvision.testkit.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.OptimizerSpec;
import org.medvision.api.training.ParamGroup;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.training.TrainingSession;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.ReferenceInterpreter;
import org.medvision.testkit.fixtures.TensorAssertions;

/**
 * The optimiser: AdamW and SGD (with and without Nesterov) steps against {@link ReferenceOptimizer} fed the engine's
 * own gradients, the optimiser state's names and round trip into a fresh session, gradient accumulation,
 * {@code scaleGradients} and {@code gradientNorm}, parameter groups ({@link ParamGroup}: frozen, scaled and
 * decay-overridden parameters over several steps), and that 50 AdamW steps halve the loss of a separable problem.
 * An engine module subclasses it as it does {@link GradientConformanceSuite}.
 */
public abstract class OptimizerConformanceSuite extends TrainingSuite {
  /** AdamW with decoupled decay 0.1 (on the linear weights only): two steps match the reference optimiser. */
  @Test
  public void adamWStepsMatchTheReference() {
    checkSteps(new OptimizerSpec(OptimizerSpec.Kind.ADAMW, 0.9, 0.999, 1e-8, 0.1, 0, false), 0.05, 2);
  }

  /** SGD with momentum 0.9, Nesterov, L2 decay 0.05 on the linear weights: two steps match the reference. */
  @Test
  public void sgdNesterovStepsMatchTheReference() {
    checkSteps(OptimizerSpec.sgd(0.9, 0.05, true), 0.1, 2);
  }

  /** SGD with momentum 0.8 (heavy ball) and L2 decay 0.05: two steps match the reference. */
  @Test
  public void sgdMomentumStepsMatchTheReference() {
    checkSteps(OptimizerSpec.sgd(0.8, 0.05, false), 0.1, 2);
  }

  /**
   * Runs {@code steps} steps of {@code spec} on the optimiser case, each checked against the reference optimiser fed
   * the session's gradients, then the state; frozen parameters must keep their exact initial values.
   */
  private void checkSteps(OptimizerSpec spec, double lr, int steps) {
    TrainingCase c = optimizerCase();
    ReferenceOptimizer reference = ReferenceOptimizer.forGraph(spec, c.graph());
    try (TrainingSession s = open(c, spec)) {
      for (int step = 1; step <= steps; step++) {
        s.forwardBackward(c.batch());
        Map<String, Tensor> gradients = s.gradients();
        assertEquals(trainedNames(c.graph(), spec), new TreeSet<>(gradients.keySet()),
            "gradients() must hold exactly the trainable parameters no group freezes");
        Weights before = s.weights();
        s.step(lr);
        assertWeightsClose(reference.step(before, gradients, lr), s.weights(),
            spec.kind() + " step " + step + " (lr " + lr + ", groups " + spec.groups() + ")");
        assertEquals(0.0, s.gradientNorm(), 0.0, "step() must clear the gradients");
      }
      for (ParameterSpec p : c.graph().parameters()) {
        if (p.role().trainable() && spec.settingsFor(p).frozen()) {
          assertTrue(c.weights().tensors().get(p.name()).contentEquals(s.weights().tensors().get(p.name())),
              "frozen parameter '" + p.name() + "' must keep its value bit for bit");
        }
      }
      assertStateClose(reference.state(), s.optimizerState(), spec.kind() + " state after " + steps + " steps");
    }
  }

  private static Set<String> trainedNames(Graph g, OptimizerSpec spec) {
    Set<String> names = new TreeSet<>();
    trainable(g).stream().filter(p -> !spec.settingsFor(p).frozen()).forEach(p -> names.add(p.name()));
    return names;
  }

  /**
   * After two steps, the state and weights restored into a fresh session continue exactly: the next step matches the
   * reference optimiser loaded with the same state and the original session's own next step.
   */
  @Test
  public void optimizerStateRoundTripsIntoAFreshSession() {
    checkRoundTrip(new OptimizerSpec(OptimizerSpec.Kind.ADAMW, 0.9, 0.999, 1e-8, 0.1, 0, false), 0.05);
    checkRoundTrip(OptimizerSpec.sgd(0.9, 0.05, true), 0.1);
  }

  private void checkRoundTrip(OptimizerSpec spec, double lr) {
    TrainingCase c = optimizerCase();
    try (TrainingSession s = open(c, spec)) {
      for (int step = 0; step < 2; step++) {
        s.forwardBackward(c.batch());
        s.step(lr);
      }
      Map<String, Tensor> state = s.optimizerState();
      Weights weights = s.weights();
      ReferenceOptimizer reference = ReferenceOptimizer.forGraph(spec, c.graph());
      reference.loadState(state);
      try (TrainingSession fresh = open(c, weights, spec, trainingOptions())) {
        fresh.loadOptimizerState(state);
        fresh.forwardBackward(c.batch());
        Map<String, Tensor> gradients = fresh.gradients();
        fresh.step(lr);
        assertWeightsClose(reference.step(weights, gradients, lr), fresh.weights(),
            spec.kind() + ": step 3 in a fresh session after loadOptimizerState");
        s.forwardBackward(c.batch());
        s.step(lr);
        assertWeightsClose(s.weights(), fresh.weights(), spec.kind() + ": the resumed session against the original");
        Tensor steps = fresh.optimizerState().get(ReferenceOptimizer.STEP);
        assertEquals(3L, steps.toLongArray()[0], "step count after resuming at 2 and stepping once");
      }
      String dropped = (spec.kind() == OptimizerSpec.Kind.ADAMW ? ReferenceOptimizer.EXP_AVG_SQ
          : ReferenceOptimizer.MOMENTUM_BUFFER) + "fc2.weight";
      Map<String, Tensor> incomplete = new LinkedHashMap<>(state);
      incomplete.remove(dropped);
      try (TrainingSession fresh = open(c, weights, spec, trainingOptions())) {
        MedvisionException e = assertThrows(MedvisionException.class, () -> fresh.loadOptimizerState(incomplete),
            "a state without '" + dropped + "' must be rejected");
        assertTrue(String.valueOf(e.getMessage()).contains(dropped), "the message should name '" + dropped + "': "
            + e.getMessage());
      }
    }
  }

  // ---------------------------------------------------------------------------------------------- groups

  /**
   * The groups of the group tests: the first linear layer frozen (a pretrained stem), the norm at a tenth of the
   * learning rate, the second linear weight with its own weight decay 0.3, the layer scale at twice the rate with a
   * decay override that its role ignores; everything else (the biases of fc2) as the optimiser says.
   */
  private static List<ParamGroup> groups() {
    return List.of(ParamGroup.frozen("fc1\\..*"), ParamGroup.scaled("norm\\..*", 0.1),
        new ParamGroup("fc2\\.weight", 1, 0.3, false), new ParamGroup("gamma", 2, 0.5, false));
  }

  /**
   * AdamW (λ 0.1) with {@link #groups()}: three steps match the reference optimiser, which applies the same groups;
   * fc1 gets no gradient, no state and no update.
   */
  @Test
  public void parameterGroupsFreezeScaleAndOverrideDecayWithAdamW() {
    checkSteps(new OptimizerSpec(OptimizerSpec.Kind.ADAMW, 0.9, 0.999, 1e-8, 0.1, 0, false).withGroups(groups()),
        0.05, 3);
  }

  /** SGD with momentum 0.9 and L2 decay 0.05 with {@link #groups()}: three steps match the reference. */
  @Test
  public void parameterGroupsFreezeScaleAndOverrideDecayWithSgd() {
    checkSteps(OptimizerSpec.sgd(0.9, 0.05, false).withGroups(groups()), 0.1, 3);
  }

  /** The state of a grouped optimiser names only trained parameters and round-trips into a fresh session. */
  @Test
  public void parameterGroupStateRoundTrips() {
    checkRoundTrip(OptimizerSpec.adamW(0.1).withGroups(groups()), 0.05);
    TrainingCase c = optimizerCase();
    OptimizerSpec spec = OptimizerSpec.sgd(0.9, 0.05, true).withGroups(groups());
    try (TrainingSession s = open(c, spec)) {
      s.forwardBackward(c.batch());
      s.step(0.1);
      for (String key : s.optimizerState().keySet()) {
        assertTrue(!key.endsWith("fc1.weight") && !key.endsWith("fc1.bias"),
            "frozen fc1 must keep no optimiser state, found '" + key + "'");
      }
    }
  }

  /**
   * A group whose pattern matches no trainable parameter (almost always a typo) is refused when the session opens,
   * with a message naming the pattern; so is a set of groups that freezes everything.
   */
  @Test
  public void groupsThatMatchNothingOrFreezeEverythingAreRefused() {
    TrainingCase c = optimizerCase();
    OptimizerSpec typo = OptimizerSpec.adamW(0).withGroups(List.of(ParamGroup.frozen("backbone\\..*")));
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> engine().train(c.graph(), c.weights(), typo, trainingOptions()).close(), "a group matching nothing");
    assertTrue(String.valueOf(e.getMessage()).contains("backbone\\..*"), "the message should name the pattern: "
        + e.getMessage());
    OptimizerSpec all = OptimizerSpec.adamW(0).withGroups(List.of(ParamGroup.frozen(".*")));
    e = assertThrows(MedvisionException.class,
        () -> engine().train(c.graph(), c.weights(), all, trainingOptions()).close(), "groups freezing everything");
    assertTrue(String.valueOf(e.getMessage()).contains("frozen"), "the message should say why: " + e.getMessage());
  }

  // ---------------------------------------------------------------------------------------------- accumulation

  /**
   * Gradients add up over forwardBackward calls: with a mean loss and equal halves, the two halves' accumulated
   * gradient is exactly twice the full batch's (each half's mean gradient is the full mean's over that half, and the
   * full mean is their average).
   */
  @Test
  public void gradientsAccumulateOverMicroBatches() {
    TrainingCase c = optimizerCase();
    Map<String, Tensor> first = slice(c.batch(), 0, 4);
    Map<String, Tensor> second = slice(c.batch(), 4, 8);
    Map<String, Tensor> accumulated;
    float lossFirst;
    float lossSecond;
    try (TrainingSession s = open(c, OptimizerSpec.adamW(0))) {
      lossFirst = s.forwardBackward(first);
      lossSecond = s.forwardBackward(second);
      accumulated = s.gradients();
    }
    try (TrainingSession s = open(c, OptimizerSpec.adamW(0))) {
      float full = s.forwardBackward(c.batch());
      assertTrue(withinForwardTolerance(full, (lossFirst + lossSecond) / 2.0),
          "the full batch's mean loss " + full + " should be the mean of the halves' " + lossFirst + ", "
              + lossSecond);
      Map<String, Tensor> once = s.gradients();
      for (String name : once.keySet()) {
        TensorAssertions.assertClose(scaled(once.get(name), 2), accumulated.get(name), 1e-6, 1e-4,
            "accumulated gradient of '" + name + "' over two halves vs twice the full batch's");
      }
    }
  }

  /** gradientNorm() is the L2 norm of gradients(), and scaleGradients multiplies every gradient. */
  @Test
  public void gradientNormAndScaling() {
    TrainingCase c = optimizerCase();
    try (TrainingSession s = open(c, OptimizerSpec.adamW(0))) {
      s.forwardBackward(c.batch());
      Map<String, Tensor> before = s.gradients();
      double expected = l2(before);
      assertTrue(expected > 0, "the loss has non-zero gradients");
      assertEquals(expected, s.gradientNorm(), 1e-5 * expected, "gradientNorm() vs the norm of gradients()");
      s.scaleGradients(0.25);
      Map<String, Tensor> after = s.gradients();
      for (String name : before.keySet()) {
        TensorAssertions.assertClose(scaled(before.get(name), 0.25), after.get(name), 0, 1e-6,
            "gradient of '" + name + "' after scaleGradients(0.25)");
      }
      assertEquals(expected * 0.25, s.gradientNorm(), 1e-5 * expected, "gradientNorm() after scaleGradients(0.25)");
    }
  }

  // ---------------------------------------------------------------------------------------------- learning

  /**
   * A small MLP on two Gaussian clusters that a line separates: 50 AdamW steps (lr 0.02) bring the loss, as the
   * reference interpreter computes it from the session's weights, to at most half its initial value.
   */
  @Test
  public void adamWLearnsASeparableProblem() {
    int n = 32;
    TrainingCaseBuilder b = new TrainingCaseBuilder("learning: two clusters, mlp 4-16-2");
    SplittableRandom r = new SplittableRandom(99);
    float[] centre = {1f, -0.5f, 0.8f, 0.3f};
    float[] x = new float[n * 4];
    long[] labels = new long[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 2;
      for (int j = 0; j < 4; j++) {
        x[i * 4 + j] = (float) ((2 * labels[i] - 1) * centre[j] + 0.5 * gaussian(r));
      }
    }
    Value in = b.input("x", Tensor.of(Shape.of(n, 4), x));
    Value h = b.apply(Op.RELU, b.apply(Op.GEMM, Attributes.builder().set("transB", 1L).build(), in,
        b.weight("fc1.weight", 16, 4), b.parameter("fc1.bias", ParamRole.BIAS, -0.1f, 0.1f, 16)));
    Value logits = b.apply(Op.GEMM, Attributes.builder().set("transB", 1L).build(), h,
        b.weight("fc2.weight", 2, 16), b.parameter("fc2.bias", ParamRole.BIAS, -0.1f, 0.1f, 2));
    TrainingCase c = b.classification(logits, 0f, null);
    Map<String, Tensor> batch = new LinkedHashMap<>(c.batch());
    batch.put(TrainingGraph.LABELS, Tensor.ofLongs(Shape.of(n), labels));

    double initial = referenceLoss(c.graph(), c.weights(), batch);
    double last;
    try (TrainingSession s = open(c, OptimizerSpec.adamW(0.01))) {
      for (int step = 0; step < 50; step++) {
        float loss = s.forwardBackward(batch);
        assertTrue(Float.isFinite(loss), "loss at step " + step + " is " + loss);
        s.step(0.02);
      }
      last = referenceLoss(c.graph(), s.weights(), batch);
      float reported = s.forwardBackward(batch);
      assertTrue(withinForwardTolerance(last, reported), "the engine's loss " + reported + " after training should "
          + "be the reference's " + last + " on the session's weights");
    }
    assertTrue(last <= 0.5 * initial, "50 AdamW steps should halve the loss: " + initial + " -> " + last);
  }

  private static double referenceLoss(Graph g, Weights w, Map<String, Tensor> batch) {
    return ReferenceInterpreter.runTraining(g, w, batch).get(TrainingGraph.LOSS).toFloatArray()[0];
  }

  private static double gaussian(SplittableRandom r) {
    return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
  }
}
