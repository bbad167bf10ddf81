package org.medvision.testkit.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Device;
import org.medvision.api.engine.Engine;
import org.medvision.api.engine.EngineCapabilities;
import org.medvision.api.engine.EngineException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.Op;
import org.medvision.api.tensor.DType;
import org.medvision.api.weights.Weights;

/**
 * Runs the training suite through the JUnit Platform test kit against an engine that cannot train, to show that no
 * test passes vacuously: only the catalogue check and the mixed-precision refusal (which any refusal satisfies) may
 * pass. A full engine is needed for the rest; the DJL engine's test is where the suite earns its keep.
 */
class TrainingSuiteDetectionTest {
  /** An inference-only engine: capabilities without training, and the api's default train(), which throws. */
  static final class InferenceOnly implements Engine {
    @Override
    public String name() {
      return "inference-only";
    }

    @Override
    public String version() {
      return "test";
    }

    @Override
    public List<Device> availableDevices() {
      return List.of(Device.CPU);
    }

    @Override
    public EngineCapabilities capabilities() {
      return new EngineCapabilities(List.of(Device.Kind.CPU), Set.of(DType.FLOAT32), EnumSet.allOf(Op.class), false);
    }

    @Override
    public CompiledModel compile(Graph graph, Weights weights, CompileOptions options) {
      throw new EngineException("not used by the training suite");
    }

    @Override
    public void close() {}
  }

  /** The suite against {@link InferenceOnly}. */
  static class AgainstInferenceOnly extends TrainingConformanceSuite {
    @Override
    protected Engine createEngine() {
      return new InferenceOnly();
    }
  }

  @Test
  void anEngineThatCannotTrainFailsEverythingButTheCatalogueAndTheRefusal() {
    Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(AgainstInferenceOnly.class))
        .execute().testEvents();
    List<String> passed = events.succeeded().stream().map(e -> e.getTestDescriptor().getDisplayName()).sorted()
        .collect(Collectors.toList());
    assertEquals(List.of("everyLossOpHasAGradientCase()", "mixedPrecisionOnCpuTrainsOrIsRefused()"), passed);
    long gradientCases = GradientCases.all().size();
    List<String> failed = events.failed().stream().map(e -> e.getTestDescriptor().getDisplayName())
        .collect(Collectors.toList());
    assertEquals(gradientCases, failed.stream().filter(n -> n.startsWith("gradients: ")).count(), failed.toString());
    assertTrue(failed.contains("capabilitiesAdvertiseTraining()"), failed.toString());
    assertEquals(gradientCases + 12, failed.size(), failed.toString());
  }

  /** The suite against finite-difference gradients, which are right up to O(1e-5). */
  static class AgainstFiniteDifferences extends TrainingConformanceSuite {
    @Override
    protected Engine createEngine() {
      return new FiniteDifferenceEngine(1.0);
    }
  }

  /** The suite against finite-difference gradients 5% too large. */
  static class AgainstGradientsFivePercentOff extends TrainingConformanceSuite {
    @Override
    protected Engine createEngine() {
      return new FiniteDifferenceEngine(1.05);
    }
  }

  /** The failed tests' names, sorted, each followed by " :: " and its failure message. */
  private static List<String> failures(Class<?> suite) {
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(suite)).execute().testEvents().failed()
        .stream().map(e -> e.getTestDescriptor().getDisplayName() + " :: " + e.getPayload(
            org.junit.platform.engine.TestExecutionResult.class).flatMap(r -> r.getThrowable())
            .map(Throwable::getMessage).orElse("")).sorted().collect(Collectors.toList());
  }

  private static List<String> names(List<String> failures) {
    return failures.stream().map(f -> f.substring(0, f.indexOf(" :: "))).collect(Collectors.toList());
  }

  @Test
  void correctGradientsAndReferenceStepsPassAllButWhatTheFakeLacks() {
    // The engine updates no running statistics and draws no masks (the reference refuses ratio 0.5), so those
    // three tests fail. Its difference quotients carry about 3e-5 of rounding noise, far above the 1e-4 relative that
    // the accumulation test allows a float32 engine, so that one fails too. Every gradient case, optimiser step,
    // state round trip, norm and the learning test pass.
    List<String> failures = failures(AgainstFiniteDifferences.class);
    assertEquals(List.of("batchNormUpdatesRunningStatisticsAndInferUsesThem()",
        "dropPathZeroesWholeSamples()", "dropoutMasksAreBernoulliScaledAndSeeded()",
        "gradientsAccumulateOverMicroBatches()"), names(failures),
        String.join("\n", failures));
  }

  @Test
  void gradientsFivePercentOffFailEveryGradientCase() {
    List<String> failed = names(failures(AgainstGradientsFivePercentOff.class));
    assertEquals(GradientCases.all().size(), failed.stream().filter(n -> n.startsWith("gradients: ")).count(),
        failed.toString());
  }
}
