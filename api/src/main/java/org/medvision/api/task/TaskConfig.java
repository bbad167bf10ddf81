package org.medvision.api.task;

import java.util.Map;

/**
 * How to configure a task's model.
 *
 * @param variant size variant, e.g. {@code tiny}
 * @param subtask output definition, e.g. {@code 3class}
 * @param fusion fusion plugin name, or {@code single} for a one-encoder baseline where the task allows it
 * @param imageSize input height and width in pixels
 * @param options task-specific extra options (documented by each provider)
 */
public record TaskConfig(String variant, String subtask, String fusion, int imageSize, Map<String, String> options) {
  /** Copies the options. */
  public TaskConfig {
    options = Map.copyOf(options);
  }

  /** This config with another variant. */
  public TaskConfig withVariant(String v) {
    return new TaskConfig(v, subtask, fusion, imageSize, options);
  }

  /** This config with another subtask. */
  public TaskConfig withSubtask(String s) {
    return new TaskConfig(variant, s, fusion, imageSize, options);
  }

  /** This config with another fusion. */
  public TaskConfig withFusion(String f) {
    return new TaskConfig(variant, subtask, f, imageSize, options);
  }

  /** This config with another image size. */
  public TaskConfig withImageSize(int size) {
    return new TaskConfig(variant, subtask, fusion, size, options);
  }
}
