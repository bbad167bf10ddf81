package org.medvision.train;

import java.nio.file.Path;
import java.util.Objects;
import org.medvision.api.task.Task;
import org.medvision.api.weights.Weights;

/**
 * One call of {@link Trainer#train}.
 *
 * @param task the model to train; its graph must have a {@code CLASS_LOGITS} output and inputs that all read one
 *     image source with one preprocessing
 * @param data the images, split
 * @param config how to train; when resuming, the checkpoint's configuration (only {@code epochs} and
 *     {@code patience} may differ; more epochs stretch the cosine schedule from the current update on)
 * @param runDirectory where checkpoints and the log go
 * @param initialWeights starting weights fitted to the task's graph, or null for seeded random initialisation;
 *     ignored when resuming
 * @param resume continue the run in {@code runDirectory} from its {@code last.*} checkpoint
 * @param force start a new run in a non-empty {@code runDirectory}, replacing its run files
 * @param medvisionVersion the version recorded in sidecars
 */
public record TrainingRequest(Task task, TrainingData data, TrainerConfig config, Path runDirectory,
    Weights initialWeights, boolean resume, boolean force, String medvisionVersion) {
  /** Checks the required parts. */
  public TrainingRequest {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(runDirectory, "runDirectory");
    Objects.requireNonNull(medvisionVersion, "medvisionVersion");
  }
}
