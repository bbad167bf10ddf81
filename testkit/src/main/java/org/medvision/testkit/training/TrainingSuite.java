package org.medvision.testkit.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
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
import org.medvision.api.training.TrainingOptions;
import org.medvision.api.training.TrainingSession;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.engine.EngineSuite;
import org.medvision.testkit.fixtures.TensorAssertions;

/**
 * What the training conformance suites share: the session options, the tolerances an engine may override, and the
 * comparisons against finite differences and the {@link ReferenceOptimizer}. The checks themselves are split by
 * concern, as Lucene splits its base format test cases, and a training engine subclasses each:
 * {@link GradientConformanceSuite} (gradients, loss terms, per-term gradient norms), {@link OptimizerConformanceSuite}
 * (updates, state, accumulation, parameter groups, learning) and {@link TrainingSessionConformanceSuite} (training
 * mode, masks, inference, mixed precision, capabilities).
 *
 * <p>One engine is created per test class and closed after the last test. Sessions are closed by each test.
 */
public abstract class TrainingSuite extends EngineSuite {
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

  /** Opens a session on {@code c}'s graph, failing the test if the engine returns null. */
  final TrainingSession open(TrainingCase c, Weights weights, OptimizerSpec optimizer, TrainingOptions options) {
    TrainingSession s = engine().train(c.graph(), weights, optimizer, options);
    if (s == null) {
      fail("engine '" + engine().name() + "' returned a null session for " + c.displayName());
    }
    return s;
  }

  /** Opens a session on {@code c} with its own weights and the default options. */
  final TrainingSession open(TrainingCase c, OptimizerSpec optimizer) {
    return open(c, c.weights(), optimizer, trainingOptions());
  }

  /** Whether a float32 forward value {@code actual} is within {@link #forwardRelativeTolerance()} of the reference. */
  final boolean withinForwardTolerance(double expected, double actual) {
    double rel = forwardRelativeTolerance();
    return Math.abs(actual - expected) <= rel / 10 + rel * Math.abs(expected);
  }

  /**
   * Compares {@code gradients}, an engine's after one forwardBackward on {@code batch}, with finite differences of the
   * graph's loss at {@code weights}: seeded random elements of every parameter in {@code checked}. Adds a message
   * per wrong element to {@code problems}.
   *
   * @return the largest |finite difference| checked, so callers can tell a case that cannot fail
   */
  final double compareWithFiniteDifferences(FiniteDifferences fd, List<ParameterSpec> checked,
      Map<String, Tensor> gradients, long seed, List<String> problems) {
    SplittableRandom pick = new SplittableRandom(seed);
    double largest = 0;
    for (ParameterSpec p : checked) {
      Tensor g = gradients.get(p.name());
      if (g == null || g.dtype() != DType.FLOAT32 || !g.shape().equals(p.shape())) {
        problems.add("gradient of '" + p.name() + "' is " + (g == null ? "missing" : g.dtype() + "" + g.shape())
            + ", parameter is " + p.shape());
        continue;
      }
      largest = Math.max(largest, checkParameter(fd, p, g.toFloatArray(), pick, problems));
    }
    return largest;
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

  /** The trainable parameters of {@code g}, in declaration order. */
  static List<ParameterSpec> trainable(Graph g) {
    return g.parameters().stream().filter(p -> p.role().trainable()).toList();
  }

  /** The names of {@link #trainable} parameters, sorted. */
  static Set<String> trainableNames(Graph g) {
    Set<String> names = new TreeSet<>();
    trainable(g).forEach(p -> names.add(p.name()));
    return names;
  }

  /**
   * A two-layer classifier with every parameter role: linear weights (decayed), biases, layer-norm scale and shift,
   * a layer scale. The batch axis is dynamic so that micro-batches of any size can be fed.
   */
  static TrainingCase optimizerCase() {
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

  /** The L2 norm over every element of {@code tensors}. */
  static double l2(Map<String, Tensor> tensors) {
    double sum = 0;
    for (Tensor t : tensors.values()) {
      for (float v : t.toFloatArray()) {
        sum += (double) v * v;
      }
    }
    return Math.sqrt(sum);
  }

  /** {@code t}·factor, rounded to float32. */
  static Tensor scaled(Tensor t, double factor) {
    float[] v = t.toFloatArray();
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (v[i] * factor);
    }
    return Tensor.of(t.shape(), v);
  }

  /** Rows [from, to) of every batch tensor (float32 or int64). */
  static Map<String, Tensor> slice(Map<String, Tensor> batch, int from, int to) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    batch.forEach((name, t) -> {
      int row = Math.toIntExact(t.size() / t.shape().dim(0));
      Shape shape = t.shape().withDim(0, to - from);
      if (t.dtype() == DType.INT64) {
        out.put(name, Tensor.ofLongs(shape, Arrays.copyOfRange(t.toLongArray(), from * row, to * row)));
      } else {
        out.put(name, Tensor.of(shape, Arrays.copyOfRange(t.toFloatArray(), from * row, to * row)));
      }
    });
    return out;
  }

  /** Same names in the same order, each tensor within the optimiser tolerance. */
  final void assertWeightsClose(Weights expected, Weights actual, String context) {
    assertEquals(List.copyOf(expected.tensors().keySet()), List.copyOf(actual.tensors().keySet()),
        context + ": parameter names");
    for (Map.Entry<String, Tensor> e : expected.tensors().entrySet()) {
      TensorAssertions.assertClose(e.getValue(), actual.tensors().get(e.getKey()), 1e-7,
          optimizerRelativeTolerance(), context + ", parameter '" + e.getKey() + "'");
    }
  }

  /** The same state entries, the step count exact and every moment within the optimiser tolerance of its scale. */
  final void assertStateClose(Map<String, Tensor> expected, Map<String, Tensor> actual, String context) {
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

  /** Fails listing {@code problems} when there are any. */
  static void assertNoProblems(String context, List<String> problems) {
    if (!problems.isEmpty()) {
      fail(context + ": " + String.join("; ", problems));
    }
  }
}
