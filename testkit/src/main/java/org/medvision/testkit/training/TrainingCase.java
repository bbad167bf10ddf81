package org.medvision.testkit.training;

import java.util.LinkedHashMap;
import java.util.Map;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.weights.Weights;

/**
 * One training check's data: a training graph (with a scalar {@value TrainingGraph#LOSS} output), its initial
 * weights and one batch, all derived from {@code seed}.
 *
 * @param label what the case exercises
 * @param seed the seed its weights and batch were drawn from
 * @param graph the training graph
 * @param weights a tensor for every parameter
 * @param batch a tensor for every graph input
 */
record TrainingCase(String label, long seed, Graph graph, Weights weights, Map<String, Tensor> batch) {
  TrainingCase {
    batch = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(batch));
  }

  /** "label [seed n]", for test names and messages. */
  String displayName() {
    return label + " [seed " + seed + "]";
  }

  /**
   * The model part ({@link TrainingGraph#inferenceGraph}): the nodes, inputs and parameters the non-loss outputs
   * depend on, without the losses and the inputs only they read. This is the graph {@code infer} runs, fed
   * {@link #modelInputs()}.
   */
  Graph modelGraph() {
    return TrainingGraph.inferenceGraph(graph);
  }

  /** The batch entries the model part reads. */
  Map<String, Tensor> modelInputs() {
    Map<String, Tensor> in = new LinkedHashMap<>();
    for (ValueInfo i : modelGraph().inputs()) {
      in.put(i.name(), batch.get(i.name()));
    }
    return in;
  }

  /** {@code all} restricted to the model part's parameters. */
  Weights modelWeights(Weights all) {
    Map<String, Tensor> w = new LinkedHashMap<>();
    for (ParameterSpec p : modelGraph().parameters()) {
      w.put(p.name(), all.tensors().get(p.name()));
    }
    return Weights.of(w, all.source() + " (model part)");
  }
}
