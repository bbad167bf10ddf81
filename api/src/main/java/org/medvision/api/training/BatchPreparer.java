package org.medvision.api.training;

import java.util.Map;
import org.medvision.api.pipeline.StageRunner;
import org.medvision.api.tensor.Tensor;

/**
 * Java that runs on each training batch before the forward/backward pass, with the model's current weights at hand
 * in inference mode: e.g. region proposals from a no-gradient pass that become inputs of the training graph.
 */
@FunctionalInterface
public interface BatchPreparer {
  /**
   * Completes a batch.
   *
   * @param batch the collated batch, by example key
   * @param noGradient runs the task's stages on the current weights without recording gradients
   * @return the batch with whatever keys the training graph's remaining inputs need added
   */
  Map<String, Tensor> prepare(Map<String, Tensor> batch, StageRunner noGradient);
}
