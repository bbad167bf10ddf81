package org.medvision.testkit.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Engine;
import org.medvision.api.engine.UnsupportedOpException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.WeightMismatchException;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.ReferenceInterpreter;
import org.medvision.testkit.fixtures.TensorAssertions;

/**
 * The conformance suite every engine runs: each op on seeded random inputs against the
 * {@link ReferenceInterpreter}, a multi-node graph end to end, and the compiled-model contract (repeatable runs,
 * clear errors for wrong inputs and weights, idempotent close). An engine module subclasses it in a few lines:
 *
 * <pre>{@code
 * class OnnxEngineConformanceTest extends EngineConformanceSuite {
 *   @Override protected Engine createEngine() { return new OnnxEngineProvider().create(); }
 * }
 * }</pre>
 *
 * <p>Op cases are dynamic tests named {@code "<op>: <case> [seed <n>]"}; the seed determines every input and weight
 * of that case. An op the engine declares in {@link #unsupportedOps()} is not skipped: its cases assert that
 * compiling fails with {@link UnsupportedOpException}. A test fails when some {@link Op} has no case, so a newly
 * added op cannot go untested.
 *
 * <p>One engine is created per test class and closed after the last test.
 */
public abstract class EngineConformanceSuite extends EngineSuite {
  /** The options every case compiles with; CPU with the engine's default threads unless overridden. */
  protected CompileOptions compileOptions() {
    return CompileOptions.defaults();
  }

  /**
   * The relative part of the tolerance, 1e-5 by default: an element passes when |engine − reference| ≤
   * {@link #absoluteTolerance()} + relativeTolerance·|reference|. The cases keep sums short (at most a few hundred
   * terms of order-1 values), where float32 accumulation in any order stays well inside 1e-5 relative.
   */
  protected double relativeTolerance() {
    return 1e-5;
  }

  /**
   * The absolute part of the tolerance, 1e-6 by default. A relative bound alone would fail outputs near 0: such a
   * value is typically a sum whose order-1 terms cancelled, so its float32 rounding error is proportional to the
   * terms (about 1e-7 each), not to the tiny result.
   */
  protected double absoluteTolerance() {
    return 1e-6;
  }

  /**
   * Ops this engine deliberately does not support; empty by default. An inference-only engine declares the loss ops
   * ({@link Op#isLoss()}), which exist only in training graphs. Their cases then assert that
   * {@link Engine#compile} throws {@link UnsupportedOpException} instead of comparing outputs, and the engine's
   * {@link Engine#capabilities()} must leave them out.
   */
  protected Set<Op> unsupportedOps() {
    return Set.of();
  }

  /** Every op case, compared element by element with the reference interpreter. */
  @TestFactory
  public Stream<DynamicTest> everyOpMatchesTheReference() {
    return OpCases.all().stream().map(c -> DynamicTest.dynamicTest(c.displayName(), () -> check(c)));
  }

  /** Fails when an {@link Op} constant has no case, or a case's graph does not exercise the op it is filed under. */
  @Test
  public void everyOpHasACase() {
    List<ConformanceCase> cases = OpCases.all();
    Set<Op> missing = EnumSet.allOf(Op.class);
    missing.removeAll(OpCases.covered(cases));
    assertTrue(missing.isEmpty(), "no conformance case for op(s) " + missing + "; add cases to OpCases");
    for (ConformanceCase c : cases) {
      assertTrue(opsOf(c.graph()).contains(c.op()), c.label() + ": its graph has no " + c.op().irName() + " node");
    }
  }

  /** The engine's advertised ops are exactly the ops minus {@link #unsupportedOps()}. */
  @Test
  public void capabilitiesListExactlyTheSupportedOps() {
    Set<Op> expected = EnumSet.allOf(Op.class);
    expected.removeAll(unsupportedOps());
    Set<Op> advertised = engine().capabilities().ops();
    assertEquals(expected, advertised.isEmpty() ? EnumSet.noneOf(Op.class) : EnumSet.copyOf(advertised),
        "engine '" + engine().name() + "' advertises ops that differ from those the suite checks");
  }

  /** A conv → layer_norm → gemm → gelu → softmax graph matches the reference end to end. */
  @Test
  public void multiNodeGraphMatchesTheReference() {
    check(PipelineCase.build());
  }

  /** Two runs of one compiled model give bit-identical outputs. */
  @Test
  public void runningTwiceGivesIdenticalResults() {
    ConformanceCase c = richestSupportedCase();
    try (CompiledModel model = engine().compile(c.graph(), c.weights(), compileOptions())) {
      Map<String, Tensor> first = model.run(c.inputs());
      Map<String, Tensor> second = model.run(c.inputs());
      assertEquals(first.keySet(), second.keySet(), c.displayName());
      for (String name : first.keySet()) {
        assertTrue(first.get(name).contentEquals(second.get(name)),
            c.displayName() + ": output '" + name + "' differs between two runs of one model");
      }
    }
  }

  /** An input under a name the graph does not have fails with an error naming the input. */
  @Test
  public void wrongInputNameIsReported() {
    ConformanceCase c = richestSupportedCase();
    String declared = c.graph().inputs().get(0).name();
    Map<String, Tensor> inputs = new HashMap<>(c.inputs());
    inputs.put("no_such_input", inputs.remove(declared));
    expectInputError(c, inputs, declared, "no_such_input");
  }

  /** An input of the wrong shape fails with an error naming the input. */
  @Test
  public void wrongInputShapeIsReported() {
    ConformanceCase c = richestSupportedCase();
    String declared = c.graph().inputs().get(0).name();
    Tensor good = c.inputs().get(declared);
    float[] values = new float[Math.toIntExact(good.size() * 2)];
    Tensor bad = Tensor.of(good.shape().withDim(-1, good.shape().dim(-1) * 2), values);
    Map<String, Tensor> inputs = new HashMap<>(c.inputs());
    inputs.put(declared, bad);
    expectInputError(c, inputs, declared, declared);
  }

  /** An input of the wrong dtype fails with an error naming the input. */
  @Test
  public void wrongInputDtypeIsReported() {
    ConformanceCase c = richestSupportedCase();
    String declared = c.graph().inputs().get(0).name();
    Map<String, Tensor> inputs = new HashMap<>(c.inputs());
    inputs.put(declared, inputs.get(declared).to(DType.INT64));
    expectInputError(c, inputs, declared, declared);
  }

  /**
   * A gather index outside [−n, n) of the table it reads fails with an error naming the input and the index, never a
   * clamped row or a row of zeros (what some GPU kernels return) and never a native abort.
   */
  @Test
  public void gatherIndexOutOfRangeIsReported() {
    ConformanceCase c = OpCases.all().stream().filter(k -> k.op() == Op.GATHER && k.inputs().containsKey("ids")
        && !unsupportedOps().contains(Op.GATHER)).findFirst().orElse(null);
    if (c == null) {
      return; // the engine declares gather unsupported, which everyOpMatchesTheReference checks
    }
    Tensor ids = c.inputs().get("ids");
    long[] bad = ids.toLongArray();
    long rows = c.graph().parameters().get(0).shape().dim(0);
    bad[bad.length - 1] = rows;
    Map<String, Tensor> inputs = new HashMap<>(c.inputs());
    inputs.put("ids", Tensor.ofLongs(ids.shape(), bad));
    try (CompiledModel model = engine().compile(c.graph(), c.weights(), compileOptions())) {
      MedvisionException e = assertThrows(MedvisionException.class, () -> model.run(inputs),
          c.displayName() + ": index " + rows + " into a table of " + rows + " rows must be refused");
      String message = String.valueOf(e.getMessage());
      assertTrue(message.contains("'ids'") && message.contains("index " + rows), c.displayName()
          + ": the error should name input 'ids' and the index: " + message);
    }
  }

  /** Closing a model twice is harmless, and running a closed model throws {@link IllegalStateException}. */
  @Test
  public void closeIsIdempotentAndRunAfterCloseFails() {
    ConformanceCase c = richestSupportedCase();
    CompiledModel model = engine().compile(c.graph(), c.weights(), compileOptions());
    try {
      model.run(c.inputs());
    } finally {
      model.close();
    }
    assertDoesNotThrow(model::close, "closing a compiled model a second time must be harmless");
    assertThrows(IllegalStateException.class, () -> model.run(c.inputs()),
        "run after close must throw IllegalStateException");
  }

  /** Weights that lack a parameter or give one the wrong shape are rejected at compile time. */
  @Test
  public void weightsThatDoNotFitAreRejected() {
    ConformanceCase c = supportedCases().stream().filter(k -> !k.graph().parameters().isEmpty()).findFirst()
        .orElseThrow(() -> new AssertionError("no supported case has parameters"));
    Map<String, Tensor> tensors = new LinkedHashMap<>(c.weights().tensors());
    String first = tensors.keySet().iterator().next();
    Tensor dropped = tensors.remove(first);
    expectMismatch(c, Weights.of(tensors, "missing-" + first), first);
    tensors.put(first, Tensor.zeros(DType.FLOAT32, dropped.shape().withDim(0, dropped.shape().dim(0) + 1)));
    expectMismatch(c, Weights.of(tensors, "misshaped-" + first), first);
  }

  private void expectMismatch(ConformanceCase c, Weights weights, String parameter) {
    WeightMismatchException e = assertThrows(WeightMismatchException.class,
        () -> engine().compile(c.graph(), weights, compileOptions()).close(),
        c.displayName() + ": weights " + weights.source() + " must be rejected");
    assertTrue(e.getMessage().contains(parameter),
        c.displayName() + ": the message should name parameter '" + parameter + "': " + e.getMessage());
  }

  private void expectInputError(ConformanceCase c, Map<String, Tensor> inputs, String name, String altName) {
    try (CompiledModel model = engine().compile(c.graph(), c.weights(), compileOptions())) {
      MedvisionException e = assertThrows(MedvisionException.class, () -> model.run(inputs),
          c.displayName() + ": bad input '" + altName + "' must raise an EngineException or MedvisionException");
      String message = String.valueOf(e.getMessage());
      assertTrue(message.contains(name) || message.contains(altName),
          c.displayName() + ": the error should name input '" + name + "': " + message);
    }
  }

  private void check(ConformanceCase c) {
    Set<Op> lacking = EnumSet.noneOf(Op.class);
    lacking.addAll(opsOf(c.graph()));
    lacking.retainAll(unsupportedOps());
    if (!lacking.isEmpty()) {
      UnsupportedOpException e = assertThrows(UnsupportedOpException.class,
          () -> engine().compile(c.graph(), c.weights(), compileOptions()).close(),
          c.displayName() + ": the engine declares " + lacking + " unsupported, so compile must throw "
              + "UnsupportedOpException");
      for (Op op : lacking) {
        assertTrue(e.getMessage().contains(op.irName()),
            c.displayName() + ": the message should name " + op.irName() + ": " + e.getMessage());
      }
      return;
    }
    Map<String, Tensor> expected = ReferenceInterpreter.run(c.graph(), c.weights(), c.inputs());
    Map<String, Tensor> actual;
    try (CompiledModel model = engine().compile(c.graph(), c.weights(), compileOptions())) {
      actual = model.run(c.inputs());
    }
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()),
        c.displayName() + ": output names differ");
    for (Map.Entry<String, Tensor> e : expected.entrySet()) {
      TensorAssertions.assertClose(e.getValue(), actual.get(e.getKey()), absoluteTolerance(), relativeTolerance(),
          c.displayName() + ", output '" + e.getKey() + "'");
    }
  }

  private List<ConformanceCase> supportedCases() {
    List<ConformanceCase> supported = new ArrayList<>();
    for (ConformanceCase c : OpCases.all()) {
      if (opsOf(c.graph()).stream().noneMatch(unsupportedOps()::contains)) {
        supported.add(c);
      }
    }
    return supported;
  }

  /** The multi-node graph if the engine runs all its ops, else the first single-op case it supports. */
  private ConformanceCase richestSupportedCase() {
    ConformanceCase pipeline = PipelineCase.build();
    if (opsOf(pipeline.graph()).stream().noneMatch(unsupportedOps()::contains)) {
      return pipeline;
    }
    return supportedCases().stream().findFirst()
        .orElseThrow(() -> new AssertionError("the engine supports none of the ops in the conformance cases"));
  }

  private static Set<Op> opsOf(Graph graph) {
    Set<Op> ops = EnumSet.noneOf(Op.class);
    for (Node n : graph.nodes()) {
      ops.add(n.op());
    }
    return ops;
  }
}
