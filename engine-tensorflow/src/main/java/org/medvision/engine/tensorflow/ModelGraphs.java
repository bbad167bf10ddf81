package org.medvision.engine.tensorflow;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.training.TrainingGraph;

/** Derives the model that {@code TrainingSession.infer} runs from a training graph. */
final class ModelGraphs {
  private ModelGraphs() {}

  /**
   * {@code training} without its loss: the outputs other than {@value TrainingGraph#LOSS}, the nodes they need, and
   * only the inputs those nodes read (so class labels and loss targets are not required).
   */
  static Graph inferenceOnly(Graph training) {
    List<ValueInfo> outputs = training.outputs().stream().filter(o -> !o.name().equals(TrainingGraph.LOSS)).toList();
    List<String> names = outputs.stream().map(ValueInfo::name).toList();
    List<Node> nodes = training.nodesFor(names);
    Set<String> read = new LinkedHashSet<>(names);
    for (Node n : nodes) {
      read.addAll(n.inputs());
    }
    List<ValueInfo> inputs = new ArrayList<>();
    for (ValueInfo in : training.inputs()) {
      if (read.contains(in.name())) {
        inputs.add(in);
      }
    }
    return new Graph(training.name() + "-infer", training.irVersion(), inputs, training.parameters(), nodes, outputs,
        training.metadata());
  }

  /** The inputs of {@code training} that {@code model} does not read. */
  static Set<String> lossOnlyInputs(Graph training, Graph model) {
    Set<String> names = new TreeSet<>();
    for (ValueInfo in : training.inputs()) {
      if (!model.inputs().contains(in)) {
        names.add(in.name());
      }
    }
    return names;
  }
}
