package org.medvision.train;

import java.nio.file.Path;
import java.util.List;

/**
 * What a run is about to do.
 *
 * @param runDirectory where checkpoints and the log go
 * @param firstEpoch the 1-based epoch it starts in (above 1 when resuming)
 * @param epochs the last epoch
 * @param batchesPerEpoch training micro-batches per epoch
 * @param updatesPerEpoch optimiser updates per epoch
 * @param trainExamples training examples per epoch (as the sampler draws them, over all of the epoch's passes)
 * @param valExamples validation examples
 * @param parameters trainable parameter count (frozen ones excluded)
 * @param seed the run seed
 * @param sampler the sampler's name
 * @param selectMetric the validation metric key that picks the best checkpoint
 * @param notes what the task's recipe and the initialisation want the user to know (class weights, masks missing,
 *     what a backbone checkpoint loaded)
 */
public record TrainingPlan(Path runDirectory, int firstEpoch, int epochs, int batchesPerEpoch, int updatesPerEpoch,
    int trainExamples, int valExamples, long parameters, long seed, String sampler, String selectMetric,
    List<String> notes) {
  /** Copies the notes. */
  public TrainingPlan {
    notes = List.copyOf(notes);
  }
}
