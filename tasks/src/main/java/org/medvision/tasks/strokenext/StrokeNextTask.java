package org.medvision.tasks.strokenext;

import java.util.List;
import org.medvision.api.graph.Graph;
import org.medvision.api.task.InputSpec;
import org.medvision.api.task.OutputSpec;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskConfig;

/** A configured StrokeNeXt model: its graph and how to feed and read it. */
record StrokeNextTask(String name, TaskConfig config, Graph graph, List<InputSpec> inputs, List<OutputSpec> outputs)
    implements Task {
  StrokeNextTask {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }
}
