package org.medvision.tasks.strokenext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.task.TaskProvider;
import org.medvision.testkit.task.TaskConformanceSuite;

/** The shared task conformance suite on ConvNeXt-atto at 32 pixels: every fusion, and every subtask. */
class StrokeNextTaskConformanceTest extends TaskConformanceSuite {
  @Override
  protected TaskProvider provider() {
    return new StrokeNextTaskProvider();
  }

  @Override
  protected List<TaskConfig> smallConfigs() {
    List<TaskConfig> configs = new ArrayList<>();
    for (String fusion : List.of("conv1d", "concat", "sum", "single")) {
      configs.add(provider().configure("atto", Map.of("fusion", fusion, "image_size", "32")));
    }
    for (String subtask : List.of("presence", "subtype")) {
      configs.add(provider().configure("atto", Map.of("subtask", subtask, "image_size", "32")));
    }
    return configs;
  }
}
