package org.medvision.testkit.training;

import java.util.LinkedHashMap;
import java.util.Map;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Graph;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.ReferenceInterpreter;

/**
 * Central finite differences of a training graph's loss with respect to single parameter elements, each loss
 * evaluated by {@link ReferenceInterpreter#runTraining} (so BatchNorm uses batch statistics, as an engine's training
 * step does). The graph may hold dropout and drop-path nodes only with ratio 0.
 *
 * <p>The perturbed parameter is a float32 value, so the step actually taken is the difference of the rounded values
 * p ± h, and that is what the loss difference is divided by.
 */
public final class FiniteDifferences {
  private final Graph graph;
  private final Map<String, Tensor> weights;
  private final Map<String, Tensor> batch;
  private final String output;

  /**
   * Differences of {@code trainingGraph}'s {@value TrainingGraph#LOSS} output at {@code weights} on {@code batch}.
   *
   * @throws MedvisionException if the graph has no {@value TrainingGraph#LOSS} output
   */
  public FiniteDifferences(Graph trainingGraph, Weights weights, Map<String, Tensor> batch) {
    this(trainingGraph, weights, batch, TrainingGraph.LOSS);
  }

  /**
   * Differences of the scalar output {@code output} (e.g. one loss term, {@code loss.dice}) of
   * {@code trainingGraph} at {@code weights} on {@code batch}.
   *
   * @throws MedvisionException if the graph has no output {@code output}
   */
  public FiniteDifferences(Graph trainingGraph, Weights weights, Map<String, Tensor> batch, String output) {
    if (trainingGraph.outputs().stream().noneMatch(o -> o.name().equals(output))) {
      throw new MedvisionException("graph '" + trainingGraph.name() + "' has no output '" + output + "'");
    }
    this.graph = trainingGraph;
    this.weights = new LinkedHashMap<>(weights.tensors());
    this.batch = Map.copyOf(batch);
    this.output = output;
  }

  /** The differenced output (the loss unless another was named) at the unperturbed weights. */
  public double loss() {
    return lossAt(weights);
  }

  /**
   * (L(p + h) − L(p − h)) / ((p + h) − (p − h)) for element {@code index} (row-major) of {@code parameter}, with both
   * perturbed values rounded to float32.
   *
   * @throws MedvisionException naming an unknown parameter or an index out of range
   */
  public double derivative(String parameter, int index, double step) {
    Tensor original = weights.get(parameter);
    if (original == null) {
      throw new MedvisionException("graph '" + graph.name() + "' has no parameter '" + parameter + "'");
    }
    float[] values = original.toFloatArray();
    if (index < 0 || index >= values.length) {
      throw new MedvisionException("index " + index + " is outside parameter '" + parameter + "' "
          + original.shape());
    }
    float centre = values[index];
    float up = (float) (centre + step);
    float down = (float) (centre - step);
    values[index] = up;
    double lossUp = lossWith(parameter, Tensor.of(original.shape(), values.clone()));
    values[index] = down;
    double lossDown = lossWith(parameter, Tensor.of(original.shape(), values));
    return (lossUp - lossDown) / ((double) up - down);
  }

  private double lossWith(String parameter, Tensor value) {
    Map<String, Tensor> perturbed = new LinkedHashMap<>(weights);
    perturbed.put(parameter, value);
    return lossAt(perturbed);
  }

  private double lossAt(Map<String, Tensor> tensors) {
    Map<String, Tensor> out = ReferenceInterpreter.runTraining(graph, Weights.of(tensors, "finite-differences"), batch);
    return out.get(output).toFloatArray()[0];
  }
}
