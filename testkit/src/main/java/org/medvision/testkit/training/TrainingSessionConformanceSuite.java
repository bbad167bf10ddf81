package org.medvision.testkit.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.Device;
import org.medvision.api.engine.EngineException;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.OptimizerSpec;
import org.medvision.api.training.Precision;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.training.TrainingOptions;
import org.medvision.api.training.TrainingSession;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.ReferenceInterpreter;
import org.medvision.testkit.fixtures.RandomTensors;
import org.medvision.testkit.fixtures.TensorAssertions;

/**
 * A training session's modes and contract beyond gradients and updates: BatchNorm's running statistics after a
 * training forward and {@code infer} using them; dropout and drop-path masks in training (rate, scale, whole-sample
 * drops, seeding) and identity at inference; what {@code infer} takes and returns for a graph with named loss terms;
 * {@code lossTerms()} of a graph without terms; that mixed precision on the CPU is refused or works; and that the
 * engine advertises training. An engine module subclasses it as it does {@link GradientConformanceSuite}.
 */
public abstract class TrainingSessionConformanceSuite extends TrainingSuite {
  // ---------------------------------------------------------------------------------------------- batch norm

  /**
   * One training forward moves BatchNorm's running statistics to momentum·old + (1−momentum)·batch with the unbiased
   * batch variance (momentum in the IR's ONNX convention, here 0.7, i.e. PyTorch's 0.3); the trained parameters do
   * not move without a step, a step leaves the statistics alone, and {@code infer} normalises with them.
   */
  @Test
  public void batchNormUpdatesRunningStatisticsAndInferUsesThem() {
    int n = 4;
    int ch = 3;
    int plane = 9;
    float momentum = 0.7f;
    TrainingCaseBuilder b = new TrainingCaseBuilder("batch_norm running statistics, momentum 0.7");
    Value x = b.input("x", -1f, 3f, n, ch, 3, 3);
    Value y = b.apply(Op.BATCH_NORM, Attributes.builder().set("momentum", momentum).build(), x,
        b.parameter("bn.scale", ParamRole.NORM_SCALE, 0.5f, 1.5f, ch),
        b.parameter("bn.bias", ParamRole.NORM_BIAS, -0.5f, 0.5f, ch),
        b.parameter("bn.running_mean", ParamRole.RUNNING_MEAN, -0.5f, 0.5f, ch),
        b.parameter("bn.running_var", ParamRole.RUNNING_VAR, 0.5f, 1.5f, ch));
    b.output("y", y);
    TrainingCase c = b.loss(Op.MSE_LOSS, Attributes.empty(), y, b.input("target", -1f, 1f, n, ch, 3, 3));

    float[] data = c.batch().get("x").toFloatArray();
    float[] oldMean = c.weights().tensors().get("bn.running_mean").toFloatArray();
    float[] oldVar = c.weights().tensors().get("bn.running_var").toFloatArray();
    float[] expectedMean = new float[ch];
    float[] expectedVar = new float[ch];
    for (int k = 0; k < ch; k++) {
      double sum = 0;
      for (int s = 0; s < n; s++) {
        for (int i = 0; i < plane; i++) {
          sum += data[(s * ch + k) * plane + i];
        }
      }
      double mean = sum / (n * plane);
      double squares = 0;
      for (int s = 0; s < n; s++) {
        for (int i = 0; i < plane; i++) {
          double d = data[(s * ch + k) * plane + i] - mean;
          squares += d * d;
        }
      }
      double unbiased = squares / (n * plane - 1);
      expectedMean[k] = (float) (momentum * oldMean[k] + (1 - momentum) * mean);
      expectedVar[k] = (float) (momentum * oldVar[k] + (1 - momentum) * unbiased);
    }

    try (TrainingSession s = open(c, OptimizerSpec.adamW(0))) {
      float loss = s.forwardBackward(c.batch());
      double reference = ReferenceInterpreter.runTraining(c.graph(), c.weights(), c.batch()).get(TrainingGraph.LOSS)
          .toFloatArray()[0];
      assertTrue(withinForwardTolerance(reference, loss),
          "training-mode loss " + loss + " should be " + reference + " (batch statistics, biased variance)");
      Weights after = s.weights();
      assertEquals(c.graph().parameters().stream().map(ParameterSpec::name).toList(),
          List.copyOf(after.tensors().keySet()), "weights() must list parameters and buffers in graph order");
      double rel = forwardRelativeTolerance();
      TensorAssertions.assertClose(Tensor.ofFloats(expectedMean, ch), after.tensors().get("bn.running_mean"),
          rel / 10, rel, "running mean after one training forward (momentum 0.7 in the ONNX convention)");
      TensorAssertions.assertClose(Tensor.ofFloats(expectedVar, ch), after.tensors().get("bn.running_var"),
          rel / 10, rel, "running variance after one training forward (unbiased batch variance)");
      for (String name : List.of("bn.scale", "bn.bias")) {
        assertTrue(c.weights().tensors().get(name).contentEquals(after.tensors().get(name)),
            "'" + name + "' must not change before a step");
      }

      Graph model = c.modelGraph();
      Map<String, Tensor> inputs = c.modelInputs();
      Tensor expected = ReferenceInterpreter.run(model, c.modelWeights(after), inputs).get("y");
      Tensor inferred = s.infer(inputs).get("y");
      TensorAssertions.assertClose(expected, inferred, rel / 10, rel,
          "infer() after a training forward must normalise with the updated running statistics");

      s.step(0.1);
      Weights stepped = s.weights();
      for (String name : List.of("bn.running_mean", "bn.running_var")) {
        assertTrue(after.tensors().get(name).contentEquals(stepped.tensors().get(name)),
            "the optimiser step must leave buffer '" + name + "' alone");
      }
    }
  }

  /**
   * {@code assignBuffers} overwrites running statistics, which {@code infer} and {@code weights()} then show, leaves
   * trainable parameters alone, and refuses a trainable parameter, an unknown name or another shape, assigning
   * nothing.
   */
  @Test
  public void assignBuffersReplacesRunningStatisticsOnly() {
    int ch = 3;
    TrainingCaseBuilder b = new TrainingCaseBuilder("batch_norm with assigned running statistics");
    Value x = b.input("x", -1f, 3f, 2, ch, 2, 2);
    Value y = b.apply(Op.BATCH_NORM, Attributes.empty(), x,
        b.parameter("bn.scale", ParamRole.NORM_SCALE, 0.5f, 1.5f, ch),
        b.parameter("bn.bias", ParamRole.NORM_BIAS, -0.5f, 0.5f, ch),
        b.parameter("bn.running_mean", ParamRole.RUNNING_MEAN, -0.5f, 0.5f, ch),
        b.parameter("bn.running_var", ParamRole.RUNNING_VAR, 0.5f, 1.5f, ch));
    b.output("y", y);
    TrainingCase c = b.loss(Op.MSE_LOSS, Attributes.empty(), y, b.input("target", -1f, 1f, 2, ch, 2, 2));
    Map<String, Tensor> assigned = Map.of(
        "bn.running_mean", Tensor.ofFloats(new float[] {0.25f, -1f, 2f}, ch),
        "bn.running_var", Tensor.ofFloats(new float[] {4f, 0.5f, 9f}, ch));
    try (TrainingSession s = open(c, OptimizerSpec.adamW(0))) {
      s.assignBuffers(assigned);
      Weights after = s.weights();
      for (Map.Entry<String, Tensor> e : assigned.entrySet()) {
        assertTrue(e.getValue().contentEquals(after.tensors().get(e.getKey())), "weights() shows '" + e.getKey()
            + "' as assigned");
      }
      for (String name : List.of("bn.scale", "bn.bias")) {
        assertTrue(c.weights().tensors().get(name).contentEquals(after.tensors().get(name)),
            "assigning buffers leaves '" + name + "' alone");
      }
      double rel = forwardRelativeTolerance();
      Tensor expected = ReferenceInterpreter.run(c.modelGraph(), c.modelWeights(after), c.modelInputs()).get("y");
      TensorAssertions.assertClose(expected, s.infer(c.modelInputs()).get("y"), rel / 10, rel,
          "infer() normalises with the assigned running statistics");

      for (Map<String, Tensor> bad : List.of(
          Map.of("bn.scale", Tensor.ofFloats(new float[] {1, 1, 1}, ch)),
          Map.of("bn.running_mean", Tensor.ofFloats(new float[] {1, 1}, 2)),
          Map.of("no.such.buffer", Tensor.ofFloats(new float[] {1, 1, 1}, ch)))) {
        String name = bad.keySet().iterator().next();
        MedvisionException e = assertThrows(MedvisionException.class, () -> s.assignBuffers(bad));
        assertTrue(e.getMessage().contains(name), "the refusal names '" + name + "': " + e.getMessage());
      }
      assertTrue(after.tensors().get("bn.running_mean").contentEquals(s.weights().tensors().get("bn.running_mean")),
          "a refused assignment changes nothing");
    }
  }

  // ---------------------------------------------------------------------------------------------- random masks

  /**
   * A graph y = mask(x·p) with p a parameter of ones and loss mean|y − (−1)|: since y ≥ 0 > −1, the gradient of p
   * is exactly the mask's value over the element count, so gradients() reveals the mask.
   */
  private static TrainingCase maskCase(Op op, int... dims) {
    TrainingCaseBuilder b = new TrainingCaseBuilder(op.irName() + " mask, ratio 0.5, " + Shape.of(dims));
    Tensor ones = filled(1f, dims);
    Value x = b.input("x", ones);
    Value y = b.apply(op, Attributes.builder().set("ratio", 0.5f).build(),
        b.apply(Op.MUL, x, b.filled("p", ParamRole.BIAS, 1f, dims)));
    b.output("y", y);
    return b.loss(Op.L1_LOSS, Attributes.empty(), y, b.input("target", filled(-1f, dims)));
  }

  private static Tensor filled(float value, int... dims) {
    float[] v = new float[Math.toIntExact(Shape.of(dims).size())];
    Arrays.fill(v, value);
    return Tensor.of(Shape.of(dims), v);
  }

  /** The mask of one training forward, read from the gradient of p: each element is 0 or 1/(1−ratio). */
  private float[] mask(TrainingSession s, TrainingCase c) {
    float loss = s.forwardBackward(c.batch());
    float[] g = s.gradients().get("p").toFloatArray();
    float[] m = new float[g.length];
    double kept = 0;
    for (int i = 0; i < g.length; i++) {
      m[i] = g[i] * g.length; // exact: the element count is a power of two
      kept += m[i];
    }
    double expectedLoss = 1 + kept / g.length;
    assertTrue(withinForwardTolerance(expectedLoss, loss),
        "loss " + loss + " should be mean(y + 1) = " + expectedLoss + " for the mask the gradients show");
    return m;
  }

  /**
   * Dropout with ratio 0.5 on 65,536 ones zeroes a fraction within 4σ of one half and doubles the rest; the same seed
   * gives the same mask in a fresh session, another seed or the next call another mask; infer() is the identity.
   */
  @Test
  public void dropoutMasksAreBernoulliScaledAndSeeded() {
    TrainingCase c = maskCase(Op.DROPOUT, 64, 1024);
    float[] first;
    try (TrainingSession s = open(c, OptimizerSpec.adamW(0))) {
      first = mask(s, c);
      checkRate(first, "dropout elements");
      float[] accumulated = s.gradients().get("p").toFloatArray();
      s.forwardBackward(c.batch());
      float[] both = s.gradients().get("p").toFloatArray();
      int changed = 0;
      for (int i = 0; i < both.length; i++) {
        if (both[i] != 2 * accumulated[i]) {
          changed++;
        }
      }
      assertTrue(changed > both.length / 4, "the second forwardBackward must draw a new mask from the seeded stream "
          + "(only " + changed + " of " + both.length + " elements differ from a repeat of the first)");
      Tensor probe = new RandomTensors(3).uniform(Shape.of(64, 1024));
      assertTrue(probe.contentEquals(s.infer(Map.of("x", probe)).get("y")), "dropout must be the identity in infer()");
    }
    checkSeeding(c, first);
  }

  /**
   * Drop-path with ratio 0.5 zeroes whole samples (every element of a sample alike), a fraction of the 1,024 samples
   * within 4σ of one half, and doubles the rest; seeding as for dropout.
   */
  @Test
  public void dropPathZeroesWholeSamples() {
    int n = 1024;
    int perSample = 16;
    TrainingCase c = maskCase(Op.DROP_PATH, n, 4, 4);
    float[] m;
    try (TrainingSession s = open(c, OptimizerSpec.adamW(0))) {
      m = mask(s, c);
      Tensor probe = new RandomTensors(4).uniform(Shape.of(n, 4, 4));
      assertTrue(probe.contentEquals(s.infer(Map.of("x", probe)).get("y")),
          "drop_path must be the identity in infer()");
    }
    float[] perRow = new float[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < perSample; j++) {
        assertEquals(m[i * perSample], m[i * perSample + j],
            "drop_path must keep or drop sample " + i + " as a whole; element " + j + " differs from element 0");
      }
      perRow[i] = m[i * perSample];
    }
    checkRate(perRow, "drop_path samples");
    checkSeeding(c, m);
  }

  private static void checkRate(float[] mask, String what) {
    int zeros = 0;
    for (int i = 0; i < mask.length; i++) {
      if (mask[i] == 0f) {
        zeros++;
      } else {
        assertEquals(2f, mask[i], 1e-6f, what + ": kept element " + i + " must be scaled by 1/(1-0.5) = 2");
      }
    }
    double sigma = Math.sqrt(0.25 / mask.length);
    double fraction = (double) zeros / mask.length;
    assertTrue(Math.abs(fraction - 0.5) <= 4 * sigma, what + ": " + zeros + " of " + mask.length + " dropped ("
        + fraction + "), more than 4 sigma (" + 4 * sigma + ") from the ratio 0.5");
  }

  private void checkSeeding(TrainingCase c, float[] first) {
    try (TrainingSession again = open(c, OptimizerSpec.adamW(0))) {
      assertTrue(Arrays.equals(first, mask(again, c)),
          "a fresh session with the same seed must draw the same first mask");
    }
    TrainingOptions base = trainingOptions();
    TrainingOptions other = new TrainingOptions(base.device(), base.seed() + 1, base.threads(), base.precision());
    try (TrainingSession s = open(c, c.weights(), OptimizerSpec.adamW(0), other)) {
      assertNotEquals(Arrays.toString(first), Arrays.toString(mask(s, c)),
          "another seed must draw another mask");
    }
  }

  // ---------------------------------------------------------------------------------------------- inference

  /**
   * infer() on a graph with named loss terms takes the model inputs only (no targets, no {@code loss_weight.*}),
   * ignores those when given, and returns exactly the model outputs, with the reference's values; lossTerms() of a
   * graph whose only loss is {@value TrainingGraph#LOSS} is empty.
   */
  @Test
  public void inferLeavesOutEveryLossOutputAndLossOnlyInput() {
    TrainingCase c = GradientConformanceSuite.twoTermCase(1f, 1f);
    try (TrainingSession s = open(c, OptimizerSpec.adamW(0))) {
      Map<String, Tensor> model = c.modelInputs();
      assertEquals(List.of("x"), List.copyOf(model.keySet()), "the model part reads x only");
      Map<String, Tensor> out = s.infer(model);
      assertEquals(List.of("regression", "labels"), List.copyOf(out.keySet()), "infer() returns the model outputs");
      Map<String, Tensor> expected = ReferenceInterpreter.run(c.modelGraph(), c.modelWeights(c.weights()), model);
      for (String name : expected.keySet()) {
        TensorAssertions.assertClose(expected.get(name), out.get(name), forwardRelativeTolerance() / 10,
            forwardRelativeTolerance(), "infer() output '" + name + "'");
      }
      Map<String, Tensor> withLossInputs = s.infer(c.batch());
      assertEquals(out.keySet(), withLossInputs.keySet(), "targets and loss weights given to infer() are ignored");
    }
    TrainingCase plain = optimizerCase();
    try (TrainingSession s = open(plain, OptimizerSpec.adamW(0))) {
      s.forwardBackward(plain.batch());
      assertEquals(Map.of(), s.lossTerms(), "a graph without named terms has no lossTerms()");
      assertTrue(s.infer(plain.modelInputs()).keySet().stream().noneMatch(TrainingGraph::isLossOutput));
    }
  }

  // ---------------------------------------------------------------------------------------------- errors

  /**
   * Mixed precision on the CPU, which no user gets by default, is either refused with an {@link EngineException} that
   * says why, or trains: a session opens, a step gives a finite loss and the weights stay float32. Never a crash.
   */
  @Test
  public void mixedPrecisionOnCpuTrainsOrIsRefused() {
    TrainingCase c = optimizerCase();
    for (Precision p : List.of(Precision.BF16_MIXED, Precision.FP16_MIXED)) {
      TrainingOptions options = new TrainingOptions(Device.CPU, SEED, 0, p);
      TrainingSession session;
      try {
        session = engine().train(c.graph(), c.weights(), OptimizerSpec.adamW(0), options);
      } catch (EngineException refused) {
        assertTrue(refused.getMessage() != null && !refused.getMessage().isBlank(), "the refusal needs a message");
        continue;
      }
      try (TrainingSession s = session) {
        float loss = s.forwardBackward(c.batch());
        s.step(0.01);
        assertTrue(Float.isFinite(loss), p + " on the CPU: loss " + loss);
        s.weights().tensors().forEach((name, w) -> assertEquals(DType.FLOAT32, w.dtype(),
            p + ": master weight " + name + " must stay float32"));
      }
    }
  }

  /** The engine under a training suite must advertise training in its capabilities. */
  @Test
  public void capabilitiesAdvertiseTraining() {
    assertTrue(engine().capabilities().training(), "engine '" + engine().name() + "' passes training sessions but its "
        + "capabilities().training() is false");
  }}
