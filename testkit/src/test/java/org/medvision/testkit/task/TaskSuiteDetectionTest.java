package org.medvision.testkit.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.task.TaskProvider;

/** The task suite catches a provider that accepts an unknown variant, and passes the correct one. */
class TaskSuiteDetectionTest {
  /** A provider that builds a model for any variant name; run only through the test kit. */
  static class AcceptsAnyVariant extends TaskConformanceSuite {
    @Override
    protected TaskProvider provider() {
      return new ToyClassifierProvider(true);
    }

    @Override
    protected List<TaskConfig> smallConfigs() {
      return List.of(provider().defaultConfig());
    }
  }

  private static List<String> failures(Class<?> suite) {
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(suite)).execute().testEvents().failed()
        .stream().map(e -> e.getTestDescriptor().getDisplayName()).collect(Collectors.toList());
  }

  @Test
  void acceptingAnUnknownVariantFailsExactlyTheUnknownNameTest() {
    assertEquals(List.of("unknownNamesAreRejectedWithTheValidOnes()"), failures(AcceptsAnyVariant.class));
  }

  @Test
  void theCorrectProviderPasses() {
    assertEquals(List.of(), failures(ToyClassifierConformanceTest.class));
  }
}
