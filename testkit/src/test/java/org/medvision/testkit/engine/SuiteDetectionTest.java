package org.medvision.testkit.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.Op;
import org.medvision.api.tensor.Tensor;

/**
 * Runs the suite against deliberately wrong engines through the JUnit Platform test kit and checks that it fails
 * exactly where it should, with messages that identify the case. The engines under test are nested classes, which
 * Surefire does not run on its own.
 */
class SuiteDetectionTest {
  private static final int OP_CASES = OpCases.all().size();

  /** Adds {@code delta} to every output element. */
  static UnaryOperator<Tensor> offset(float delta) {
    return t -> {
      float[] v = t.toFloatArray();
      for (int i = 0; i < v.length; i++) {
        v[i] += delta;
      }
      return Tensor.of(t.shape(), v);
    };
  }

  /** An engine whose outputs are all 1e-3 too large. */
  static class OffByAThousandth extends EngineConformanceSuite {
    @Override
    protected Engine createEngine() {
      return new ReferenceEngine(EnumSet.allOf(Op.class), offset(1e-3f));
    }
  }

  /** An engine whose outputs are all 2e-7 too large: float32 rounding noise the tolerance must accept. */
  static class WithinTolerance extends EngineConformanceSuite {
    @Override
    protected Engine createEngine() {
      return new ReferenceEngine(EnumSet.allOf(Op.class), offset(2e-7f));
    }
  }

  /** An engine that lacks conv and says so. */
  static class DeclaresConvUnsupported extends EngineConformanceSuite {
    @Override
    protected Engine createEngine() {
      return new ReferenceEngine(EnumSet.complementOf(EnumSet.of(Op.CONV)), UnaryOperator.identity());
    }

    @Override
    protected Set<Op> unsupportedOps() {
      return EnumSet.of(Op.CONV);
    }
  }

  /** An engine that lacks conv but does not declare it. */
  static class HidesMissingConv extends EngineConformanceSuite {
    @Override
    protected Engine createEngine() {
      return new ReferenceEngine(EnumSet.complementOf(EnumSet.of(Op.CONV)), UnaryOperator.identity());
    }
  }

  /** An engine that runs softmax although the test class declares it unsupported. */
  static class ClaimsSoftmaxUnsupportedButRunsIt extends EngineConformanceSuite {
    @Override
    protected Engine createEngine() {
      return new ReferenceEngine(EnumSet.allOf(Op.class), UnaryOperator.identity());
    }

    @Override
    protected Set<Op> unsupportedOps() {
      return EnumSet.of(Op.SOFTMAX);
    }
  }

  /** An engine with correct numerics but a sloppy model lifecycle and anonymous input errors. */
  static class SloppyContract extends EngineConformanceSuite {
    @Override
    protected Engine createEngine() {
      return new ReferenceEngine(EnumSet.allOf(Op.class), UnaryOperator.identity(), true);
    }
  }

  private static Events run(Class<?> suite) {
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(suite)).execute().testEvents();
  }

  private static List<String> failedNames(Events events) {
    return events.failed().stream().map(e -> e.getTestDescriptor().getDisplayName()).sorted()
        .collect(Collectors.toList());
  }

  private static String message(Event e) {
    return e.getPayload(org.junit.platform.engine.TestExecutionResult.class).flatMap(r -> r.getThrowable())
        .map(Throwable::getMessage).orElse("");
  }

  @Test
  void correctEnginePassesEverything() {
    Events events = run(ReferenceEngineConformanceTest.class);
    assertEquals(List.of(), failedNames(events));
    assertEquals(OP_CASES + 10, events.succeeded().count(), "op cases plus the ten fixed tests");
  }

  @Test
  void roundingNoiseWithinToleranceIsAccepted() {
    assertEquals(List.of(), failedNames(run(WithinTolerance.class)));
  }

  @Test
  void anOutputOffsetOfOneThousandthFailsEveryCase() {
    Events events = run(OffByAThousandth.class);
    List<String> failed = failedNames(events);
    assertEquals(OP_CASES + 1, failed.size(), "every op case and the multi-node graph should fail: " + failed);
    assertTrue(failed.contains("multiNodeGraphMatchesTheReference()"), failed.toString());
    Event depthwise = events.failed().stream()
        .filter(e -> e.getTestDescriptor().getDisplayName().startsWith("conv: 2d depthwise 7x7"))
        .findFirst().orElseThrow();
    String m = message(depthwise);
    String name = depthwise.getTestDescriptor().getDisplayName();
    assertTrue(name.matches("conv: 2d depthwise 7x7, pads 3 \\(ConvNeXt block\\) \\[seed \\d+]"), name);
    assertTrue(m.startsWith(name + ", output 'conv_1'"), m);
    assertTrue(m.contains("392 of 392 elements differ") && m.contains("worst at index [0, ")
        && m.contains("expected ") && m.contains(", got "), m);
  }

  @Test
  void declaredUnsupportedOpsMustFailToCompile() {
    Events events = run(DeclaresConvUnsupported.class);
    assertEquals(List.of(), failedNames(events));
    long convCases = OpCases.all().stream().filter(c -> c.op() == Op.CONV).count();
    assertTrue(convCases >= 10 && events.succeeded().count() == OP_CASES + 10, "conv cases must run, not skip");
  }

  @Test
  void anUndeclaredMissingOpFailsItsCases() {
    List<String> failed = failedNames(run(HidesMissingConv.class));
    long convCases = OpCases.all().stream().filter(c -> c.op() == Op.CONV).count();
    // Every conv case fails, and so does every test whose graph holds a conv: the multi-node graph, which the
    // contract tests also use, and the first case with parameters (a conv), used for the weights check.
    assertEquals(convCases, failed.stream().filter(n -> n.startsWith("conv: ")).count(), failed.toString());
    assertEquals(List.of("capabilitiesListExactlyTheSupportedOps()", "closeIsIdempotentAndRunAfterCloseFails()",
        "multiNodeGraphMatchesTheReference()", "runningTwiceGivesIdenticalResults()",
        "weightsThatDoNotFitAreRejected()", "wrongInputDtypeIsReported()", "wrongInputNameIsReported()",
        "wrongInputShapeIsReported()"),
        failed.stream().filter(n -> !n.startsWith("conv: ")).collect(Collectors.toList()));
  }

  @Test
  void anOpDeclaredUnsupportedThatCompilesFails() {
    Events events = run(ClaimsSoftmaxUnsupportedButRunsIt.class);
    List<String> failed = failedNames(events);
    long softmaxCases = OpCases.all().stream().filter(c -> c.op() == Op.SOFTMAX).count();
    // The softmax cases and the multi-node graph (it ends in softmax) compile although they should not.
    assertEquals(softmaxCases + 2, failed.size(), failed.toString());
    assertTrue(failed.contains("capabilitiesListExactlyTheSupportedOps()"), failed.toString());
    assertTrue(failed.contains("multiNodeGraphMatchesTheReference()"), failed.toString());
    assertTrue(events.failed().stream().filter(e -> e.getTestDescriptor().getDisplayName().startsWith("softmax"))
        .allMatch(e -> message(e).contains("UnsupportedOpException")), "messages should say what was expected");
  }

  @Test
  void aSloppyLifecycleAndAnonymousInputErrorsAreCaught() {
    assertEquals(List.of("closeIsIdempotentAndRunAfterCloseFails()", "gatherIndexOutOfRangeIsReported()",
        "wrongInputDtypeIsReported()", "wrongInputNameIsReported()", "wrongInputShapeIsReported()"),
        failedNames(run(SloppyContract.class)));
  }
}
