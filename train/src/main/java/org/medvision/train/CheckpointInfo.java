package org.medvision.train;

import java.util.List;
import org.medvision.api.weights.FitReport;
import org.medvision.runtime.ModelCheckpoint;
import org.medvision.api.task.TaskConfig;

/**
 * The JSON sidecar of a checkpoint ({@code best.json}, {@code last.json}): what the weights are, how they were
 * trained, where the run stood, and provenance. Non-finite metrics are written as JSON {@code null}.
 *
 * @param format {@value #FORMAT}
 * @param kind {@code best} or {@code last}
 * @param task the task's registry name
 * @param taskConfig the task's variant and every option (model and training options)
 * @param classes the classes of the task's label field, in output order (empty when it has none)
 * @param trainer the trainer configuration
 * @param epoch epochs whose training the weights include
 * @param batchesDone micro-batches of epoch {@code epoch + 1} already trained (non-zero only for an interrupted run)
 * @param optimizerSteps optimiser updates so far, the learning-rate schedule's position
 * @param partialLossSum sum of the losses of the {@code batchesDone} micro-batches
 * @param partialSeconds training seconds spent on them
 * @param metrics the metrics of epoch {@code epoch}, or null before the first epoch ends
 * @param bestEpoch the best epoch so far (0 if none)
 * @param bestValue its selection-metric value
 * @param epochsWithoutImprovement epochs since the best one, for early stopping
 * @param history the metrics of every finished epoch
 * @param seed the run seed
 * @param engine engine registry name
 * @param engineVersion engine runtime version
 * @param device the training device
 * @param data the manifest or dataset folder trained on
 * @param dataSha256 its SHA-256 (see {@link org.medvision.io.dataset.TaskData#sha256()})
 * @param weightsFile the weights file name in the run directory
 * @param weightsSha256 the SHA-256 of the weights file
 * @param optimizerFile the optimiser-state file name, or null for {@code best}
 * @param optimizerSha256 its SHA-256, or null
 * @param medvisionVersion the medvision version that trained
 * @param java Java runtime version and vendor
 * @param os operating system and architecture
 * @param created ISO-8601 time the checkpoint was written
 * @param selectMetric the validation metric key that picks the best checkpoint
 * @param initialization what a partial initialisation from a backbone checkpoint loaded, initialised and dropped, or
 *     null when the run started from random weights or full weights
 * @param notes what the task's recipe said about the run (class weights, examples without a mask)
 */
public record CheckpointInfo(String format, String kind, String task, TaskConfig taskConfig, List<String> classes,
    TrainerConfig trainer, int epoch, int batchesDone, long optimizerSteps, double partialLossSum,
    double partialSeconds, EpochMetrics metrics, int bestEpoch, double bestValue, int epochsWithoutImprovement,
    List<EpochMetrics> history, long seed, String engine, String engineVersion, String device, String data,
    String dataSha256, String weightsFile, String weightsSha256, String optimizerFile, String optimizerSha256,
    String medvisionVersion, String java, String os, String created, String selectMetric, FitReport initialization,
    List<String> notes) {
  /** The format tag of this sidecar layout. */
  public static final String FORMAT = ModelCheckpoint.FORMAT;

  /** Copies the lists. */
  public CheckpointInfo {
    classes = List.copyOf(classes);
    history = List.copyOf(history);
    notes = notes == null ? List.of() : List.copyOf(notes);
  }
}
