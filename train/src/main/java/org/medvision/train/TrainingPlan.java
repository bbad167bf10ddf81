package org.medvision.train;

import java.nio.file.Path;

/**
 * What a run is about to do.
 *
 * @param runDirectory where checkpoints and the log go
 * @param firstEpoch the 1-based epoch it starts in (above 1 when resuming)
 * @param epochs the last epoch
 * @param batchesPerEpoch training micro-batches per epoch
 * @param updatesPerEpoch optimiser updates per epoch
 * @param trainImages training images
 * @param valImages validation images
 * @param parameters trainable parameter count
 * @param seed the run seed
 * @param classWeights the cross-entropy class weights, or null
 */
public record TrainingPlan(Path runDirectory, int firstEpoch, int epochs, int batchesPerEpoch, int updatesPerEpoch,
    int trainImages, int valImages, long parameters, long seed, float[] classWeights) {
  /** Copies the weights. */
  public TrainingPlan {
    classWeights = classWeights == null ? null : classWeights.clone();
  }

  @Override
  public float[] classWeights() {
    return classWeights == null ? null : classWeights.clone();
  }
}
