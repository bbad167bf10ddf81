package org.medvision.api.task;

import java.util.List;
import java.util.Map;
import org.medvision.api.registry.Named;
import org.medvision.api.weights.KeyMap;

/**
 * The service a task plugin registers in {@code META-INF/services/org.medvision.api.task.TaskProvider}: one per
 * paper, with the paper's citation.
 */
public interface TaskProvider extends Named {
  /** The paper, as a citation line. */
  String citation();

  /** Size variants, smallest first. */
  List<String> variants();

  /** Output definitions the task supports. */
  List<String> subtasks();

  /** Fusion configurations the task supports. */
  List<String> fusions();

  /** The configuration used when the user sets nothing. */
  TaskConfig defaultConfig();

  /**
   * Builds the model for {@code config}.
   *
   * @throws org.medvision.api.registry.UnknownNameException for an unknown variant, subtask or fusion, listing the
   *     valid ones
   */
  Task create(TaskConfig config);

  /**
   * Foreign checkpoint layouts this task can load, by name (e.g. {@code torchvision} for the authors' PyTorch code):
   * each rewrites a checkpoint's names and shapes into the graph's before {@code Weights.fitTo}. Empty when the
   * task's own names are the only layout.
   */
  default Map<String, KeyMap> keyMaps() {
    return Map.of();
  }
}
