package org.medvision.testkit.task;

import java.util.List;
import java.util.Map;
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
    return List.of(provider().defaultConfig(),
        provider().configure("wide", Map.of("subtask", "3class", "image_size", "15")));
  }
}
