package org.medvision.api.task;

import java.util.List;
import org.medvision.api.graph.Graph;

/** A configured model of one task: its graph and how to feed and read it. Immutable. */
public interface Task {
  /** A task made of its parts; the lists are copied. */
  static Task of(String name, TaskConfig config, Graph graph, List<InputSpec> inputs, List<OutputSpec> outputs) {
    return new ConfiguredTask(name, config, graph, inputs, outputs);
  }

  /** The provider's registry name. */
  String name();

  /** The configuration it was built with. */
  TaskConfig config();

  /** The model graph (inference mode). */
  Graph graph();

  /** The graph inputs and how to fill them. */
  List<InputSpec> inputs();

  /** The graph outputs and how to read them. */
  List<OutputSpec> outputs();
}
