package org.medvision.testkit.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.OptimizerSpec;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.training.TrainingSession;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.ReferenceInterpreter;
import org.medvision.testkit.fixtures.GarbageCollectionPressure;
import org.medvision.testkit.fixtures.TensorAssertions;

/**
 * Gradients: every case of {@link GradientCases} (each loss op, the usual blocks, weighted losses, constants) against
 * central finite differences of the loss that the {@link ReferenceInterpreter} computes in training mode ({@link
 * FiniteDifferences}); the same gradients bit for bit while the garbage collector runs ({@link
 * GarbageCollectionPressure}); graphs with named loss terms ({@link TrainingGraph#builder}) whose weights change
 * between steps; and the per-term gradient norms of {@link TrainingSession#lossGradientNorms()}. An engine module
 * subclasses it:
 *
 * <pre>{@code
 * class DjlGradientConformanceTest extends GradientConformanceSuite {
 * @Override protected Engine createEngine() { return new DjlEngineProvider().create(); }
 * }
 * }</pre>
 */
public abstract class GradientConformanceSuite extends TrainingSuite {
  /**
   * Repetitions of each gradient case under {@link GarbageCollectionPressure}. Before the DJL engine's fix of such a
   * read, this test found differences within the first runs.
   */
  private static final int RUNS_UNDER_GC_PRESSURE = 16;

  /**
   * Repetitions of the constants case alone under {@link GarbageCollectionPressure}. A step frees far fewer buffers
   * there than the per-op scalars of the DJL bug did: a DJL kernel that let the constant's memory belong to a collected
   * buffer (a view of the {@code from_blob} array, which was then closed) first differed at run 9 in one trial, and in
   * 26 of these 128 runs, the first at run 30, in another; the 16 runs of every case would often miss it.
   */
  private static final int CONSTANT_RUNS_UNDER_GC_PRESSURE = 128;

  /** Every gradient case: the engine's gradients after one forwardBackward against finite differences. */
  @TestFactory
  public Stream<DynamicTest> gradientsMatchFiniteDifferences() {
    return GradientCases.all().stream().map(c -> DynamicTest.dynamicTest("gradients: " + c.displayName(),
        () -> checkGradients(c)));
  }

  /** Fails when a loss op has no gradient case, so a newly added loss cannot go unchecked. */
  @Test
  public void everyLossOpHasAGradientCase() {
    Set<Op> missing = EnumSet.noneOf(Op.class);
    for (Op op : Op.values()) {
      if (op.isLoss()) {
        missing.add(op);
      }
    }
    for (TrainingCase c : GradientCases.all()) {
      for (Node n : c.graph().nodes()) {
        missing.remove(n.op());
      }
    }
    assertTrue(missing.isEmpty(), "no gradient case for loss op(s) " + missing + "; add them to GradientCases");
  }

  /**
   * Every gradient case, run again and again while another thread forces garbage collections and refills freed
   * native memory with NaN, gives bit for bit the loss and gradients of a quiet run. A step's forward and backward
   * passes must keep every value autograd saved alive on their own: an engine that lets a saved value's memory belong
   * to a Java object (a direct buffer) the collector may free mid-step computes garbage gradients at random steps.
   * Cases are deterministic (no masks), so any difference is such a read.
   */
  @Test
  public void gradientsDoNotDependOnGarbageCollection() {
    checkUnderGarbageCollectionPressure(GradientCases.all(), RUNS_UNDER_GC_PRESSURE);
  }

  /**
   * The constants case ({@link GradientCases#constants()}) again and again under garbage-collection pressure: a
   * CONSTANT's array must belong to the engine's native memory, or stay alive through the backward pass, since autograd
   * keeps the constant factor of a product.
   */
  @Test
  public void constantsOutliveTheStepUnderGarbageCollection() {
    checkUnderGarbageCollectionPressure(List.of(GradientCases.constants()), CONSTANT_RUNS_UNDER_GC_PRESSURE);
  }

  private void checkUnderGarbageCollectionPressure(List<TrainingCase> cases, int runs) {
    List<TrainingSession> sessions = new ArrayList<>();
    try {
      List<Float> quietLosses = new ArrayList<>();
      List<Map<String, Tensor>> quietGradients = new ArrayList<>();
      for (TrainingCase c : cases) {
        TrainingSession s = open(c, OptimizerSpec.adamW(0));
        sessions.add(s);
        quietLosses.add(s.forwardBackward(c.batch()));
        quietGradients.add(s.gradients());
        s.scaleGradients(0);
      }
      List<String> problems = new ArrayList<>();
      try (GarbageCollectionPressure pressure = new GarbageCollectionPressure()) {
        for (int run = 0; run < runs; run++) {
          for (int i = 0; i < cases.size(); i++) {
            // Each run starts from zeroed gradients; training-mode outputs do not read the running statistics the
            // previous run updated, so a deterministic engine repeats the quiet run exactly.
            String where = cases.get(i).displayName() + " run " + run;
            float loss = sessions.get(i).forwardBackward(cases.get(i).batch());
            if (Float.floatToIntBits(loss) != Float.floatToIntBits(quietLosses.get(i))) {
              problems.add(where + ": loss " + loss + ", quietly " + quietLosses.get(i));
            }
            Map<String, Tensor> gradients = sessions.get(i).gradients();
            for (Map.Entry<String, Tensor> quiet : quietGradients.get(i).entrySet()) {
              Tensor now = gradients.get(quiet.getKey());
              if (!Arrays.equals(quiet.getValue().toByteArray(), now.toByteArray())) {
                problems.add(where + ": gradient of '" + quiet.getKey() + "' differs by up to "
                    + TensorAssertions.maxAbsDifference(quiet.getValue(), now));
              }
            }
            sessions.get(i).scaleGradients(0);
          }
        }
        assertTrue(pressure.rounds() > 0, "the garbage-collection thread made no round");
      }
      assertTrue(problems.isEmpty(), "results changed under garbage-collection pressure (" + problems.size()
          + "): " + (problems.size() > 10 ? problems.subList(0, 10) + " ..." : problems));
    } finally {
      sessions.forEach(TrainingSession::close);
    }
  }

  private void checkGradients(TrainingCase c) {
    float loss;
    Map<String, Tensor> gradients;
    try (TrainingSession s = open(c, OptimizerSpec.adamW(0))) {
      loss = s.forwardBackward(c.batch());
      gradients = s.gradients();
    }
    FiniteDifferences fd = new FiniteDifferences(c.graph(), c.weights(), c.batch());
    List<String> problems = new ArrayList<>();
    double expectedLoss = fd.loss();
    if (!withinForwardTolerance(expectedLoss, loss)) {
      problems.add("loss " + loss + ", reference (training mode) " + expectedLoss);
    }
    assertEquals(trainableNames(c.graph()), new TreeSet<>(gradients.keySet()),
        c.displayName() + ": gradients() must hold exactly the trainable parameters");
    double largest = compareWithFiniteDifferences(fd, trainable(c.graph()), gradients, c.seed(), problems);
    assertNoProblems(c.displayName(), problems);
    assertTrue(largest > 10 * gradientAbsoluteTolerance(), c.displayName() + ": every checked gradient is below "
        + 10 * gradientAbsoluteTolerance() + ", so the case cannot tell right from wrong (a suite bug)");
  }

  /**
   * A weighted binary cross-entropy whose weights are all 0 (a batch in which no scan has a target) is exactly 0,
   * with exactly 0 gradients: not the NaN of 0/0, which would poison the parameters at the next step.
   */
  @Test
  public void bceWithAllZeroWeightsGivesZeroLossAndZeroGradients() {
    TrainingCase c = GradientCases.allZeroWeights();
    try (TrainingSession s = open(c, OptimizerSpec.adamW(0))) {
      assertEquals(0f, s.forwardBackward(c.batch()), 0f, c.displayName() + ": loss");
      Map<String, Tensor> gradients = s.gradients();
      assertEquals(trainableNames(c.graph()), new TreeSet<>(gradients.keySet()), c.displayName());
      gradients.forEach((name, g) -> {
        for (float v : g.toFloatArray()) {
          assertEquals(0f, v, 0f, c.displayName() + ": every element of the gradient of '" + name + "' must be 0");
        }
      });
      assertEquals(0.0, s.gradientNorm(), 0.0, c.displayName() + ": gradient norm");
    }
  }

  /**
   * loss = Σ p·stop_gradient(p): the gradient is p, the stopped factor acting as a constant. Checked against p itself
   * (within the gradient tolerance) rather than finite differences, so the rule does not rest on how
   * {@link FiniteDifferences} treats the op; 2p (gradient let through the stopped branch) is far outside it.
   */
  @Test
  public void stopGradientBranchContributesNoGradient() {
    TrainingCase c = VersionFourGradientCases.stopGradientProduct();
    Tensor p = c.weights().tensors().get("p");
    try (TrainingSession s = open(c, OptimizerSpec.adamW(0))) {
      float loss = s.forwardBackward(c.batch());
      double expectedLoss = 0;
      for (float v : p.toFloatArray()) {
        expectedLoss += (double) v * v;
      }
      assertTrue(withinForwardTolerance(expectedLoss, loss), c.displayName() + ": loss " + loss + ", Σ p² "
          + expectedLoss);
      TensorAssertions.assertClose(p, s.gradients().get("p"), gradientAbsoluteTolerance(),
          gradientRelativeTolerance(), c.displayName() + ": gradient of 'p'");
    }
  }

  // ---------------------------------------------------------------------------------------------- loss terms

  /**
   * Two loss terms on heads that share a layer, as in a multi-task model: a regression head (mse, term "mse") and a
   * multi-label head (bce_with_logits, term "bce") on one GELU linear layer named {@code shared}.
   */
  static TrainingCase twoTermCase(float mseWeight, float bceWeight) {
    TrainingCaseBuilder b = new TrainingCaseBuilder("loss terms: mse and bce heads on a shared gelu layer");
    Value h = b.apply(Op.GELU, linear(b, "shared", b.input("x", 6, 5), 5, 4));
    b.output("regression", linear(b, "reg", h, 4, 3));
    b.output("labels", linear(b, "cls", h, 4, 2));
    TrainingCaseBuilder.Terms t = b.terms();
    Value mse = t.apply(Op.MSE_LOSS, t.value("regression"), t.target("regression_target", -1f, 1f, 6, 3));
    Value bce = t.apply(Op.BCE_WITH_LOGITS, t.value("labels"), t.target("label_target", 0f, 1f, 6, 2));
    return t.term("mse", mse).term("bce", bce).build(mseWeight, bceWeight);
  }

  private static Value linear(TrainingCaseBuilder b, String name, Value x, int in, int out) {
    return b.apply(Op.GEMM, Attributes.builder().set("transB", 1L).build(), x, b.weight(name + ".weight", out, in),
        b.parameter(name + ".bias", ParamRole.BIAS, -0.5f, 0.5f, out));
  }

  /** {@code c}'s batch with the loss weights replaced. */
  private static Map<String, Tensor> withLossWeights(TrainingCase c, float... weights) {
    Map<String, Tensor> batch = new LinkedHashMap<>(c.batch());
    batch.putAll(TrainingCaseBuilder.lossWeights(TrainingGraph.lossTerms(c.graph()), weights));
    return batch;
  }

  /**
   * A graph with named loss terms: forwardBackward returns Σ weight·term and differentiates exactly that, and
   * lossTerms() reports each term unweighted, in the graph's order. The weights are inputs, so one session trains
   * with (1, 0.5), steps, and continues with (0, 2) (the mse term switched off): every value and gradient follows
   * the new weights without a new session.
   */
  @Test
  public void lossTermsAreReportedAndTheirWeightsChangeBetweenSteps() {
    TrainingCase c = twoTermCase(1f, 0.5f);
    try (TrainingSession s = open(c, OptimizerSpec.sgd(0, 0, false))) {
      assertThrows(IllegalStateException.class, s::lossTerms, "lossTerms() before the first forwardBackward");
      Weights weights = c.weights();
      for (float[] w : new float[][] {{1f, 0.5f}, {0f, 2f}}) {
        String context = "loss weights " + Arrays.toString(w);
        Map<String, Tensor> batch = withLossWeights(c, w);
        float loss = s.forwardBackward(batch);
        Map<String, Tensor> reference = ReferenceInterpreter.runTraining(c.graph(), weights, batch);
        float mse = reference.get("loss.mse").toFloatArray()[0];
        float bce = reference.get("loss.bce").toFloatArray()[0];
        Map<String, Float> terms = s.lossTerms();
        assertEquals(List.of("mse", "bce"), List.copyOf(terms.keySet()), context + ": term names in graph order");
        assertTrue(withinForwardTolerance(mse, terms.get("mse")) && withinForwardTolerance(bce, terms.get("bce")),
            context + ": terms " + terms + ", reference mse " + mse + ", bce " + bce);
        assertTrue(withinForwardTolerance(w[0] * (double) mse + w[1] * (double) bce, loss),
            context + ": the loss " + loss + " must be the weighted sum of the terms");
        List<String> problems = new ArrayList<>();
        compareWithFiniteDifferences(new FiniteDifferences(c.graph(), weights, batch), trainable(c.graph()),
            s.gradients(), c.seed(), problems);
        assertNoProblems(c.displayName() + ", " + context, problems);
        s.step(0.1);
        weights = s.weights();
      }
    }
  }

  /**
   * Per-term gradient norms at the shared layer: for each term, the L2 norm over every element of
   * {@code shared.weight} and {@code shared.bias} of ∂term/∂p, unweighted (the loss weights 3 and 0.25 would scale a
   * weighted norm), against finite differences of that term's output. Measuring them changes nothing: the loss, the
   * accumulated gradients and the next step equal those of a session opened without norms.
   */
  @Test
  public void lossGradientNormsMatchFiniteDifferencesAndLeaveTheStepAlone() {
    TrainingCase c = twoTermCase(3f, 0.25f);
    List<ParameterSpec> shared = c.graph().parameters().stream().filter(p -> p.name().startsWith("shared.")).toList();
    try (TrainingSession measured = open(c, c.weights(), OptimizerSpec.adamW(0.01),
        trainingOptions().withLossGradientNorms("shared\\..*"));
        TrainingSession plain = open(c, OptimizerSpec.adamW(0.01))) {
      assertThrows(IllegalStateException.class, measured::lossGradientNorms,
          "lossGradientNorms() before the first forwardBackward");
      float loss = measured.forwardBackward(c.batch());
      float plainLoss = plain.forwardBackward(c.batch());
      Map<String, Double> norms = measured.lossGradientNorms();
      assertEquals(List.of("mse", "bce"), List.copyOf(norms.keySet()), "one norm per term, in graph order");
      for (String term : norms.keySet()) {
        FiniteDifferences fd = new FiniteDifferences(c.graph(), c.weights(), c.batch(),
            TrainingGraph.LOSS_TERM_PREFIX + term);
        double squares = 0;
        for (ParameterSpec p : shared) {
          for (int i = 0; i < p.size(); i++) {
            double d = fd.derivative(p.name(), i, finiteDifferenceStep() / 4);
            squares += d * d;
          }
        }
        double expected = Math.sqrt(squares);
        assertTrue(expected > 10 * gradientAbsoluteTolerance(), term + ": the norm is too small to check");
        assertEquals(expected, norms.get(term), gradientAbsoluteTolerance() + gradientRelativeTolerance() * expected,
            "gradient norm of term '" + term + "' at shared.*");
      }
      assertEquals(plainLoss, loss, forwardRelativeTolerance() * Math.abs(plainLoss), "the loss with norms measured");
      Map<String, Tensor> expected = plain.gradients();
      Map<String, Tensor> actual = measured.gradients();
      assertEquals(expected.keySet(), actual.keySet(), "gradients() with norms measured");
      for (String name : expected.keySet()) {
        TensorAssertions.assertClose(expected.get(name), actual.get(name), 1e-7, 1e-5,
            "accumulated gradient of '" + name + "' with norms measured vs without");
      }
      measured.step(0.05);
      plain.step(0.05);
      assertWeightsClose(plain.weights(), measured.weights(), "the step after measuring norms");
    }
  }

  /**
   * lossGradientNorms() of a session opened without a pattern is an IllegalStateException, and a pattern that
   * matches no trained parameter is refused when the session opens, naming the pattern.
   */
  @Test
  public void lossGradientNormsNeedAPatternThatMatches() {
    TrainingCase c = twoTermCase(1f, 1f);
    try (TrainingSession s = open(c, OptimizerSpec.adamW(0))) {
      s.forwardBackward(c.batch());
      assertThrows(IllegalStateException.class, s::lossGradientNorms,
          "lossGradientNorms() of a session opened without lossGradientNormParameters");
    }
    MedvisionException e = assertThrows(MedvisionException.class, () -> engine().train(c.graph(), c.weights(),
        OptimizerSpec.adamW(0), trainingOptions().withLossGradientNorms("backbone\\..*")).close(),
        "a loss-gradient pattern that matches no parameter");
    assertTrue(String.valueOf(e.getMessage()).contains("backbone\\..*"), "the message should name the pattern: "
        + e.getMessage());
  }
}
