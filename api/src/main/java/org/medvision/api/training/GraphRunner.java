package org.medvision.api.training;

import java.util.Map;
import org.medvision.api.graph.Graph;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;

/**
 * Runs a graph once, in inference mode, on the training run's engine and device: what a
 * {@link ParameterComputation} uses to compute parameter values with a model that is not itself trained (e.g. a
 * frozen text encoder).
 */
@FunctionalInterface
public interface GraphRunner {
  /**
   * Compiles {@code graph} with {@code weights}, runs it on {@code inputs} and releases it.
   *
   * @param inputs one tensor per graph input
   * @return one tensor per graph output
   * @throws org.medvision.api.MedvisionException if the weights do not fit the graph or the engine fails
   */
  Map<String, Tensor> run(Graph graph, Weights weights, Map<String, Tensor> inputs);
}
