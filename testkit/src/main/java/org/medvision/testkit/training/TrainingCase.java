package org.medvision.testkit.training;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.Node;
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
   * The model part: the nodes, inputs and parameters the non-loss outputs depend on, without the loss and the
   * inputs only it reads. This is the graph {@code infer} runs, fed {@link #modelInputs()}.
   */
  Graph modelGraph() {
    Map<String, Node> producer = new HashMap<>();
    for (Node n : graph.nodes()) {
      producer.put(n.output(), n);
    }
    Set<String> needed = new HashSet<>();
    Deque<String> work = new ArrayDeque<>();
    List<ValueInfo> outputs = new ArrayList<>();
    for (ValueInfo o : graph.outputs()) {
      if (!o.name().equals(TrainingGraph.LOSS)) {
        outputs.add(o);
        work.add(o.name());
      }
    }
    while (!work.isEmpty()) {
      String v = work.pop();
      if (needed.add(v) && producer.containsKey(v)) {
        work.addAll(producer.get(v).inputs());
      }
    }
    List<Node> nodes = graph.nodes().stream().filter(n -> needed.contains(n.output())).toList();
    List<ValueInfo> inputs = graph.inputs().stream().filter(i -> needed.contains(i.name())).toList();
    List<ParameterSpec> parameters = graph.parameters().stream().filter(p -> needed.contains(p.name())).toList();
    return new Graph(graph.name() + "-model", graph.irVersion(), inputs, parameters, nodes, outputs,
        graph.metadata()).validate();
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
