package org.medvision.tasks.covidsa;

import java.util.List;
import java.util.Map;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.task.TaskProvider;
import org.medvision.testkit.task.TaskConformanceSuite;

/**
 * The shared task conformance suite on configurations the reference interpreter runs in seconds: resnet10 with
 * shortcut B, resnet18 with shortcut A (both Hara's layout at 16x32x32, a 1x1x1 attention grid), resnet10 in
 * MedicalNet's dilated layout at 16x16x16 (a 2x2x2 grid), and the size-balanced sampler with 2 bins, whose recipe
 * bins the suite's made-up training table.
 */
class CovidDsaTaskConformanceTest extends TaskConformanceSuite {
  private static final CovidDsaTaskProvider PROVIDER = new CovidDsaTaskProvider();

  @Override
  protected TaskProvider provider() {
    return PROVIDER;
  }

  @Override
  protected List<TaskConfig> smallConfigs() {
    return List.of(
        PROVIDER.configure("resnet10", Map.of("input", "16x32x32")),
        PROVIDER.configure("resnet18", Map.of("input", "16x32x32", "shortcut", "A")),
        PROVIDER.configure("resnet10", Map.of("input", "16x16x16", "layout", "medicalnet")),
        PROVIDER.configure("resnet10", Map.of("input", "16x32x32", "sampler", "size-balanced", "size_bins", "2")));
  }
}
