package org.medvision.testkit.training;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
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
 *
 * <p>No gradient flows through a {@link Op#STOP_GRADIENT} node, so its output is a constant of the loss: it is
 * computed once at the unperturbed weights and fed unchanged to every perturbed evaluation (the node becomes a graph
 * input holding that value). The differences are then those of the loss with the stopped branches held fixed, which
 * is what an engine's backward pass computes: for loss = Σ p·stop_gradient(p) the derivative is p, not 2p.
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
    this.weights = new LinkedHashMap<>(weights.tensors());
    this.output = output;
    Map<String, Tensor> stopped = stoppedValues(trainingGraph, weights, batch);
    this.graph = stopped.isEmpty() ? trainingGraph : withStoppedAsInputs(trainingGraph, stopped);
    Map<String, Tensor> fed = new LinkedHashMap<>(batch);
    fed.putAll(stopped);
    this.batch = Map.copyOf(fed);
  }

  /** The output of every STOP_GRADIENT node at {@code weights} on {@code batch}, by value name; empty if none. */
  private static Map<String, Tensor> stoppedValues(Graph graph, Weights weights, Map<String, Tensor> batch) {
    List<ValueInfo> outputs = new ArrayList<>(graph.outputs());
    Map<String, Shape> shapes = new HashMap<>();
    batch.forEach((name, t) -> shapes.put(name, t.shape()));
    Map<String, ValueInfo> infos = graph.valueInfos(shapes);
    List<String> stopped = new ArrayList<>();
    for (Node n : graph.nodes()) {
      if (n.op() == Op.STOP_GRADIENT) {
        stopped.add(n.output());
        if (outputs.stream().noneMatch(o -> o.name().equals(n.output()))) {
          outputs.add(infos.get(n.output()));
        }
      }
    }
    if (stopped.isEmpty()) {
      return Map.of();
    }
    Graph probe = new Graph(graph.name(), graph.irVersion(), graph.inputs(), graph.parameters(), graph.nodes(),
        outputs, graph.metadata());
    Map<String, Tensor> all = ReferenceInterpreter.runTraining(probe, weights, batch);
    Map<String, Tensor> values = new LinkedHashMap<>();
    stopped.forEach(name -> values.put(name, all.get(name)));
    return values;
  }

  /** {@code graph} with each stopped node replaced by a graph input of its output's name, exact shape and float32. */
  private static Graph withStoppedAsInputs(Graph graph, Map<String, Tensor> stopped) {
    List<ValueInfo> inputs = new ArrayList<>(graph.inputs());
    stopped.forEach((name, t) -> inputs.add(new ValueInfo(name, DType.FLOAT32, t.shape())));
    List<Node> nodes = graph.nodes().stream().filter(n -> !stopped.containsKey(n.output())).toList();
    return new Graph(graph.name(), graph.irVersion(), inputs, graph.parameters(), nodes, graph.outputs(),
        graph.metadata());
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
