package org.medvision.api.pipeline;

import java.util.Map;
import org.medvision.api.tensor.Tensor;

/**
 * Runs one of a task's graph stages (see {@link org.medvision.api.task.Task#stages()}) on a batch, in inference mode,
 * on whatever engine and weights the caller chose: a compiled model at prediction time, the training session's
 * current weights during validation.
 */
@FunctionalInterface
public interface StageRunner {
  /**
   * Runs stage {@code stage}.
   *
   * @param feeds one tensor per graph input of the stage, with a batch axis
   * @return one tensor per graph output
   */
  Map<String, Tensor> run(String stage, Map<String, Tensor> feeds);
}
