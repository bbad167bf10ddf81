package org.medvision.api.task;

import java.util.List;
import org.medvision.api.graph.Graph;

/** The value class behind {@link Task#of}. */
record ConfiguredTask(String name, TaskConfig config, Graph graph, List<InputSpec> inputs, List<OutputSpec> outputs)
    implements Task {
  ConfiguredTask {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }
}
