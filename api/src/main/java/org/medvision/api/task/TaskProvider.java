package org.medvision.api.task;

import java.util.List;
import java.util.Map;
import org.medvision.api.registry.Named;
import org.medvision.api.weights.KeyMap;

/**
 * The service a task plugin registers in {@code META-INF/services/org.medvision.api.task.TaskProvider}: one per
 * paper, with the paper's citation, its size variants and its options.
 */
public interface TaskProvider extends Named {
  /** The paper, as a citation line. */
  String citation();

  /** Size variants, smallest first. */
  List<String> variants();

  /** The variant used when the user names none. */
  String defaultVariant();

  /** The options the task declares, in the order help lists them. */
  List<OptionSpec> options();

  /**
   * Legacy command-line flags that set an option (without the leading dashes), e.g. {@code image-size} for
   * {@code image_size}; empty for none.
   */
  default Map<String, String> optionAliases() {
    return Map.of();
  }

  /** The configuration used when the user sets nothing. */
  default TaskConfig defaultConfig() {
    return configure(defaultVariant(), Map.of());
  }

  /**
   * The configuration with {@code overrides} applied to the defaults, every value checked.
   *
   * @throws org.medvision.api.registry.UnknownNameException for an unknown variant or option, listing the valid ones
   * @throws org.medvision.api.MedvisionException for an invalid value, saying what is allowed
   */
  default TaskConfig configure(String variant, Map<String, String> overrides) {
    return TaskConfig.resolve(name(), variants(), variant, options(), overrides);
  }

  /**
   * Builds the model for {@code config}.
   *
   * @throws org.medvision.api.registry.UnknownNameException for an unknown variant or option, listing the valid ones
   * @throws org.medvision.api.MedvisionException for an invalid combination of options
   */
  Task create(TaskConfig config);

  /**
   * Foreign checkpoint layouts this task can load, by name (e.g. {@code torchvision} for the authors' PyTorch code,
   * {@code medicalnet} for a published backbone): each rewrites a checkpoint's names and shapes into the graph's
   * before it is fitted. Empty when the task's own names are the only layout.
   */
  default Map<String, KeyMap> keyMaps() {
    return Map.of();
  }
}
