package org.medvision.testkit.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.Device;
import org.medvision.api.engine.EngineException;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.Node;
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
import org.medvision.testkit.engine.EngineSuite;
import org.medvision.testkit.ReferenceInterpreter;
import org.medvision.testkit.fixtures.GarbageCollectionPressure;
import org.medvision.testkit.fixtures.TensorAssertions;

/**
 * The conformance suite every training engine runs, checking the semantics documented on
 * {@link TrainingSession}, {@link OptimizerSpec} and the IR's training ops. An engine module subclasses it:
 *
 * <pre>{@code
 * class DjlTrainingConformanceTest extends TrainingConformanceSuite {
 *   @Override protected Engine createEngine() { return new DjlEngineProvider().create(); }
 * }
 * }</pre>
 *
 * <p>What it checks:
 * <ul>
 *   <li>gradients of every loss op and of the usual blocks (conv/batch-norm/relu, linear/layer-norm/gelu, a
 *       ConvNeXt block, softmax, pooling, layout ops) against central finite differences of the loss computed by the
 *       {@link ReferenceInterpreter} in training mode ({@link FiniteDifferences});
 *   <li>BatchNorm's running statistics after a training forward, and {@code infer} using them;
 *   <li>AdamW and SGD (with and without Nesterov) steps against {@link ReferenceOptimizer}, the optimiser state's
 *       names and round trip, gradient accumulation, {@code scaleGradients} and {@code gradientNorm};
 *   <li>dropout and drop-path masks in training (rate, scale, whole-sample drops, seeding) and identity at inference;
 *   <li>that 50 AdamW steps halve the loss of a small separable problem;
 *   <li>that gradients are bit-identical when the garbage collector runs during a step
 *       ({@link GarbageCollectionPressure}), i.e. nothing the backward pass reads is owned by a collectable Java object;
 *   <li>that mixed precision on the CPU is refused and that the engine advertises training.
 * </ul>
 *
 * <p>One engine is created per test class and closed after the last test. Sessions are closed by each test.
 */
public abstract class TrainingConformanceSuite extends EngineSuite {
  /** The seed of the default {@link #trainingOptions()}. */
  protected static final long SEED = 20_261_124L;

  /** The options every session is opened with: CPU, float32, seed {@value #SEED}, unless overridden. */
  protected TrainingOptions trainingOptions() {
    return TrainingOptions.cpu(SEED);
  }

  /**
   * Relative part of the gradient tolerance, 2e-2 by default: an element passes when |engine − finite difference| ≤
   * {@link #gradientAbsoluteTolerance()} + this·|finite difference|. The two sides differ by the engine's float32
   * rounding (about 1e-6 relative), the difference's truncation error (O(h²) with h = {@link #finiteDifferenceStep()}
   * / 4, about 1e-5 relative for these smooth functions) and the float32 rounding of the reference loss divided by
   * 2h (about 1e-5 absolute); 2e-2 leaves room for curvature without letting a wrong factor or a missing term pass.
   */
  protected double gradientRelativeTolerance() {
    return 2e-2;
  }

  /**
   * Absolute part of the gradient tolerance, 1e-3 by default, for gradients near 0, where the finite difference is
   * dominated by the loss's rounding: 1e-7 relative on an O(1) loss over a step of a few 1e-3 is about 1e-5, and
   * cancelling terms of a sum add more.
   */
  protected double gradientAbsoluteTolerance() {
    return 1e-3;
  }

  /**
   * The larger finite-difference step h, 1e-2 by default, on inputs and weights of order 1. Each checked element is
   * differenced with h and h/4; the h/4 value is compared with the engine, and an element where the two disagree by
   * more than a quarter of the tolerance is skipped as lying within h of a kink (relu, max, |x|), where the engine's
   * one-sided derivative and the finite difference legitimately differ.
   */
  protected double finiteDifferenceStep() {
    return 1e-2;
  }

  /**
   * How many seeded random elements of each trainable parameter are checked, 3 by default. Elements within a step of
   * a kink are passed over for others; a small parameter whose every element is near one may get fewer checks.
   */
  protected int elementsPerParameter() {
    return 3;
  }

  /**
   * Relative tolerance of forward values computed in float32 by the engine (losses, running statistics, inference
   * outputs) against the reference's double-accumulated ones, 1e-4 by default; the absolute part is a tenth of it.
   */
  protected double forwardRelativeTolerance() {
    return 1e-4;
  }

  /**
   * Relative tolerance of parameters after an optimiser step against {@link ReferenceOptimizer} fed the engine's own
   * gradients, 1e-5 by default (the absolute part is 1e-7): float32 evaluation of the update changes a parameter by
   * a few ulps, while a wrong rule (decay on a norm, a missing bias correction) changes it by 1e-3 relative or more.
   */
  protected double optimizerRelativeTolerance() {
    return 1e-5;
  }

  private TrainingSession open(TrainingCase c, Weights weights, OptimizerSpec optimizer, TrainingOptions options) {
    TrainingSession s = engine().train(c.graph(), weights, optimizer, options);
    if (s == null) {
      fail("engine '" + engine().name() + "' returned a null session for " + c.displayName());
    }
    return s;
  }

  private TrainingSession open(TrainingCase c, OptimizerSpec optimizer) {
    return open(c, c.weights(), optimizer, trainingOptions());
  }

  // ---------------------------------------------------------------------------------------------- gradients

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
   * Repetitions of each gradient case under {@link GarbageCollectionPressure}. Before the DJL engine's fix of such a
   * read, this test found differences within the first runs.
   */
  private static final int RUNS_UNDER_GC_PRESSURE = 16;

  /**
   * Every gradient case, run again and again while another thread forces garbage collections and refills freed
   * native memory with NaN, gives bit for bit the loss and gradients of a quiet run. A step's forward and backward
   * passes must keep every value autograd saved alive on their own: an engine that lets a saved value's memory belong
   * to a Java object (a direct buffer) the collector may free mid-step computes garbage gradients at random steps.
   * Cases are deterministic (no masks), so any difference is such a read.
   */
  @Test
  public void gradientsDoNotDependOnGarbageCollection() {
    List<TrainingCase> cases = GradientCases.all();
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
        for (int run = 0; run < RUNS_UNDER_GC_PRESSURE; run++) {
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
    SplittableRandom pick = new SplittableRandom(c.seed());
    double largest = 0;
    for (ParameterSpec p : c.graph().parameters()) {
      if (!p.role().trainable()) {
        continue;
      }
      Tensor g = gradients.get(p.name());
      if (g.dtype() != DType.FLOAT32 || !g.shape().equals(p.shape())) {
        problems.add("gradient of '" + p.name() + "' is " + g.dtype() + g.shape() + ", parameter is " + p.shape());
        continue;
      }
      largest = Math.max(largest, checkParameter(fd, p, g.toFloatArray(), pick, problems));
    }
    if (!problems.isEmpty()) {
      fail(c.displayName() + ": " + String.join("; ", problems));
    }
    assertTrue(largest > 10 * gradientAbsoluteTolerance(), c.displayName() + ": every checked gradient is below "
        + 10 * gradientAbsoluteTolerance() + ", so the case cannot tell right from wrong (a suite bug)");
  }

  /** Checks seeded random elements of one parameter; returns the largest |finite difference| seen. */
  private double checkParameter(FiniteDifferences fd, ParameterSpec p, float[] engine, SplittableRandom pick,
      List<String> problems) {
    int[] order = permutation(engine.length, pick);
    int wanted = Math.min(elementsPerParameter(), engine.length);
    int checked = 0;
    double largest = 0;
    double h = finiteDifferenceStep();
    for (int k = 0; k < order.length && checked < wanted; k++) {
      int i = order[k];
      double coarse = fd.derivative(p.name(), i, h);
      double fine = fd.derivative(p.name(), i, h / 4);
      double allowed = gradientAbsoluteTolerance() + gradientRelativeTolerance() * Math.abs(fine);
      if (Math.abs(coarse - fine) > allowed / 4) {
        continue; // within h of a kink: the difference is not the derivative here
      }
      checked++;
      largest = Math.max(largest, Math.abs(fine));
      if (!(Math.abs(engine[i] - fine) <= allowed)) {
        problems.add("'" + p.name() + "' element " + i + ": engine " + engine[i] + ", finite difference " + fine);
      }
    }
    if (checked == 0) {
      problems.add("'" + p.name() + "': no element is away from a kink; choose other data for this case (a suite "
          + "problem)");
    }
    return largest;
  }

  private static int[] permutation(int n, SplittableRandom random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  private static Set<String> trainableNames(Graph g) {
    Set<String> names = new TreeSet<>();
    for (ParameterSpec p : g.parameters()) {
      if (p.role().trainable()) {
        names.add(p.name());
      }
    }
    return names;
  }

  private boolean withinForwardTolerance(double expected, double actual) {
    double rel = forwardRelativeTolerance();
    return Math.abs(actual - expected) <= rel / 10 + rel * Math.abs(expected);
  }

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

  // ---------------------------------------------------------------------------------------------- optimiser

  /**
   * A two-layer classifier with every parameter role: linear weights (decayed), biases, layer-norm scale and shift,
   * a layer scale. The batch axis is dynamic so that micro-batches of any size can be fed.
   */
  private static TrainingCase optimizerCase() {
    TrainingCaseBuilder b = new TrainingCaseBuilder("optimiser: linear, layer_norm, layer scale, gelu, linear");
    Value x = b.inputDynamicBatch("x", b.uniform(-1f, 1f, 8, 5));
    x = b.apply(Op.GEMM, Attributes.builder().set("transB", 1L).build(), x, b.weight("fc1.weight", 6, 5),
        b.parameter("fc1.bias", ParamRole.BIAS, -0.5f, 0.5f, 6));
    x = b.apply(Op.LAYER_NORM, x, b.parameter("norm.scale", ParamRole.NORM_SCALE, 0.5f, 1.5f, 6),
        b.parameter("norm.bias", ParamRole.NORM_BIAS, -0.5f, 0.5f, 6));
    x = b.apply(Op.MUL, x, b.parameter("gamma", ParamRole.LAYER_SCALE, 0.5f, 1.5f, 6));
    x = b.apply(Op.GELU, x);
    x = b.apply(Op.GEMM, Attributes.builder().set("transB", 1L).build(), x, b.weight("fc2.weight", 3, 6),
        b.parameter("fc2.bias", ParamRole.BIAS, -0.5f, 0.5f, 3));
    return b.classification(x, 0f, null);
  }

  /** AdamW with decoupled decay 0.1 (on the linear weights only): two steps match the reference optimiser. */
  @Test
  public void adamWStepsMatchTheReference() {
    checkSteps(new OptimizerSpec(OptimizerSpec.Kind.ADAMW, 0.9, 0.999, 1e-8, 0.1, 0, false), 0.05);
  }

  /** SGD with momentum 0.9, Nesterov, L2 decay 0.05 on the linear weights: two steps match the reference. */
  @Test
  public void sgdNesterovStepsMatchTheReference() {
    checkSteps(OptimizerSpec.sgd(0.9, 0.05, true), 0.1);
  }

  /** SGD with momentum 0.8 (heavy ball) and L2 decay 0.05: two steps match the reference. */
  @Test
  public void sgdMomentumStepsMatchTheReference() {
    checkSteps(OptimizerSpec.sgd(0.8, 0.05, false), 0.1);
  }

  private void checkSteps(OptimizerSpec spec, double lr) {
    TrainingCase c = optimizerCase();
    ReferenceOptimizer reference = ReferenceOptimizer.forGraph(spec, c.graph());
    try (TrainingSession s = open(c, spec)) {
      for (int step = 1; step <= 2; step++) {
        s.forwardBackward(c.batch());
        Map<String, Tensor> gradients = s.gradients();
        Weights before = s.weights();
        s.step(lr);
        assertWeightsClose(reference.step(before, gradients, lr), s.weights(),
            spec.kind() + " step " + step + " (lr " + lr + ")");
        assertEquals(0.0, s.gradientNorm(), 0.0, "step() must clear the gradients");
      }
      assertStateClose(reference.state(), s.optimizerState(), spec.kind() + " state after two steps");
    }
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
          : ReferenceOptimizer.MOMENTUM_BUFFER) + "fc1.weight";
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

  private static double l2(Map<String, Tensor> tensors) {
    double sum = 0;
    for (Tensor t : tensors.values()) {
      for (float v : t.toFloatArray()) {
        sum += (double) v * v;
      }
    }
    return Math.sqrt(sum);
  }

  private static Tensor scaled(Tensor t, double factor) {
    float[] v = t.toFloatArray();
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (v[i] * factor);
    }
    return Tensor.of(t.shape(), v);
  }

  /** Rows [from, to) of every batch tensor (float32 or int64). */
  private static Map<String, Tensor> slice(Map<String, Tensor> batch, int from, int to) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    batch.forEach((name, t) -> {
      int row = Math.toIntExact(t.size() / t.shape().dim(0));
      Shape shape = t.shape().withDim(0, to - from);
      if (t.dtype() == DType.INT64) {
        long[] v = t.toLongArray();
        out.put(name, Tensor.ofLongs(shape, java.util.Arrays.copyOfRange(v, from * row, to * row)));
      } else {
        float[] v = t.toFloatArray();
        out.put(name, Tensor.of(shape, java.util.Arrays.copyOfRange(v, from * row, to * row)));
      }
    });
    return out;
  }

  private void assertWeightsClose(Weights expected, Weights actual, String context) {
    assertEquals(List.copyOf(expected.tensors().keySet()), List.copyOf(actual.tensors().keySet()),
        context + ": parameter names");
    for (Map.Entry<String, Tensor> e : expected.tensors().entrySet()) {
      TensorAssertions.assertClose(e.getValue(), actual.tensors().get(e.getKey()), 1e-7,
          optimizerRelativeTolerance(), context + ", parameter '" + e.getKey() + "'");
    }
  }

  private void assertStateClose(Map<String, Tensor> expected, Map<String, Tensor> actual, String context) {
    assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(actual.keySet()), context + ": entry names");
    Tensor step = actual.get(ReferenceOptimizer.STEP);
    assertTrue(step.dtype() == DType.INT64 && step.size() == 1, context + ": 'step' must be an int64 scalar, got "
        + step.dtype() + step.shape());
    assertEquals(expected.get(ReferenceOptimizer.STEP).toLongArray()[0], step.toLongArray()[0], context + ": step");
    for (Map.Entry<String, Tensor> e : expected.entrySet()) {
      if (e.getKey().equals(ReferenceOptimizer.STEP)) {
        continue;
      }
      double scale = 0;
      for (float v : e.getValue().toFloatArray()) {
        scale = Math.max(scale, Math.abs(v));
      }
      // Moments span orders of magnitude (exp_avg_sq ~ g²/1000), so the absolute part follows the tensor's scale.
      TensorAssertions.assertClose(e.getValue(), actual.get(e.getKey()), 1e-6 * scale,
          optimizerRelativeTolerance(), context + ", '" + e.getKey() + "'");
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
        b.apply(Op.MUL, x, b.constant("p", ParamRole.BIAS, 1f, dims)));
    b.output("y", y);
    return b.loss(Op.L1_LOSS, Attributes.empty(), y, b.input("target", filled(-1f, dims)));
  }

  private static Tensor filled(float value, int... dims) {
    float[] v = new float[Math.toIntExact(Shape.of(dims).size())];
    java.util.Arrays.fill(v, value);
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
      Tensor probe = new org.medvision.testkit.fixtures.RandomTensors(3).uniform(Shape.of(64, 1024));
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
      Tensor probe = new org.medvision.testkit.fixtures.RandomTensors(4).uniform(Shape.of(n, 4, 4));
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
      assertTrue(java.util.Arrays.equals(first, mask(again, c)),
          "a fresh session with the same seed must draw the same first mask");
    }
    TrainingOptions base = trainingOptions();
    TrainingOptions other = new TrainingOptions(base.device(), base.seed() + 1, base.threads(), base.precision());
    try (TrainingSession s = open(c, c.weights(), OptimizerSpec.adamW(0), other)) {
      assertNotEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(mask(s, c)),
          "another seed must draw another mask");
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
  }
}
