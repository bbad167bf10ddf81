package org.medvision.train;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.medvision.api.task.Task;
import org.medvision.api.weights.Weights;
import org.medvision.io.dataset.TaskData;

/**
 * One call of {@link Trainer#train}.
 *
 * @param task the model to train; it must declare a training recipe
 * @param data the examples, split
 * @param config how to train; when resuming, the checkpoint's configuration (only {@code epochs} and
 *     {@code patience} may differ; more epochs stretch the cosine schedule from the current update on)
 * @param runDirectory where checkpoints and the log go
 * @param initialWeights starting weights for every parameter, or null; ignored when resuming
 * @param backbone a checkpoint (already in the task's names) to initialise the parameters it has from, the rest at
 *     random (partial initialisation), or null; ignored when resuming
 * @param resume continue the run in {@code runDirectory} from its {@code last.*} checkpoint
 * @param force start a new run in a non-empty {@code runDirectory}, replacing its run files
 * @param medvisionVersion the version recorded in sidecars
 * @param settings trainer settings the task's recipe may honour (see
 *     {@link org.medvision.api.training.TrainingContext#settings()})
 */
public record TrainingRequest(Task task, TaskData data, TrainerConfig config, Path runDirectory,
    Weights initialWeights, Weights backbone, boolean resume, boolean force, String medvisionVersion,
    Map<String, String> settings) {
  /** Checks the required parts. */
  public TrainingRequest {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(runDirectory, "runDirectory");
    Objects.requireNonNull(medvisionVersion, "medvisionVersion");
    settings = settings == null ? Map.of() : Map.copyOf(settings);
    if (initialWeights != null && backbone != null) {
      throw new IllegalArgumentException("give full initial weights or a backbone checkpoint, not both");
    }
  }

  /** A new run from random weights. */
  public TrainingRequest(Task task, TaskData data, TrainerConfig config, Path runDirectory, boolean force,
      String medvisionVersion) {
    this(task, data, config, runDirectory, null, null, false, force, medvisionVersion, Map.of());
  }
}
