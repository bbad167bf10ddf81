package org.medvision.api.training;

/**
 * How a task is trained, supplied by the task and interpreted by the generic trainer: it builds the training graph
 * (model, targets, named losses), says which example key feeds each target, and chooses the loss weights, parameter
 * groups, sampler and any Java preparation step.
 */
public interface TrainingRecipe {
  /**
   * The training specification for one run.
   *
   * @param context what the run knows before training: the data's class counts, the configuration
   * @throws org.medvision.api.MedvisionException if the data or options do not allow training this way
   */
  TrainingSpec build(TrainingContext context);

  /**
   * Trainer settings this task trains best with when the user sets none, by the command's option name (e.g.
   * {@code batch} to {@code 8}, {@code lr} to {@code 3e-4}, {@code epochs}, {@code weight-decay},
   * {@code warmup-epochs}); empty to take the trainer's general defaults.
   */
  default java.util.Map<String, String> trainerDefaults() {
    return java.util.Map.of();
  }
}
