package org.medvision.testkit.task;

import java.util.List;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.task.TaskProvider;

/** The task suite run against a correct toy provider: every test must pass. */
class ToyClassifierConformanceTest extends TaskConformanceSuite {
  @Override
  protected TaskProvider provider() {
    return new ToyClassifierProvider(false);
  }

  @Override
  protected List<TaskConfig> smallConfigs() {
    TaskConfig d = provider().defaultConfig();
    return List.of(d, d.withVariant("wide").withSubtask("3class").withImageSize(15));
  }
}
