package org.medvision.train;

import java.nio.file.Path;
import java.util.List;

/**
 * How a run ended.
 *
 * @param runDirectory the run's folder
 * @param status why it ended
 * @param epochsCompleted epochs finished in all (resumed ones included)
 * @param bestEpoch the epoch of {@code best.safetensors}
 * @param selectMetric the validation metric key that chose it
 * @param bestValue its value at the best epoch
 * @param history every finished epoch's metrics, first to last
 * @param seed the run seed
 */
public record TrainingResult(Path runDirectory, Status status, int epochsCompleted, int bestEpoch,
    String selectMetric, double bestValue, List<EpochMetrics> history, long seed) {
  /** Why a run ended. */
  public enum Status {
    /** All epochs ran. */
    COMPLETED,
    /** The selection metric stopped improving for the patience. */
    EARLY_STOPPED,
    /** A stop was requested (Ctrl-C); {@code last.*} holds a resumable checkpoint. */
    INTERRUPTED
  }

  /** Copies the history. */
  public TrainingResult {
    history = List.copyOf(history);
  }

  /** The best checkpoint's weights file. */
  public Path bestWeights() {
    return runDirectory.resolve(RunFiles.BEST_WEIGHTS);
  }
}
