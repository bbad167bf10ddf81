package org.medvision.train;

/**
 * Told how a training run progresses, e.g. to draw a progress bar. Called on the training thread; implementations
 * should return quickly. Every method does nothing by default.
 */
public interface TrainingListener {
  /** Ignores everything. */
  TrainingListener NONE = new TrainingListener() { };

  /**
   * The run is about to start its first batch.
   *
   * @param plan what will run
   */
  default void started(TrainingPlan plan) {}

  /**
   * A training micro-batch finished.
   *
   * @param progress where the run stands
   */
  default void batchFinished(BatchProgress progress) {}

  /**
   * An epoch finished, validation included, and its checkpoints are written.
   *
   * @param metrics what it measured
   * @param improved whether it became the best checkpoint
   */
  default void epochFinished(EpochMetrics metrics, boolean improved) {}

  /**
   * Something the user should read: early stopping, an interruption and how to resume.
   *
   * @param message one line
   */
  default void notice(String message) {}

  /**
   * The state of the run after one micro-batch.
   *
   * @param epoch 1-based epoch
   * @param epochs epochs in the run
   * @param batch 1-based micro-batch within the epoch
   * @param batches micro-batches per epoch
   * @param meanLoss mean training loss of the epoch so far
   * @param learningRate the rate of the latest optimiser step
   * @param examplesPerSecond training throughput of the epoch so far
   * @param etaSeconds estimated seconds until the last epoch ends, validation included
   */
  record BatchProgress(int epoch, int epochs, int batch, int batches, double meanLoss, double learningRate,
      double examplesPerSecond, double etaSeconds) {}
}
