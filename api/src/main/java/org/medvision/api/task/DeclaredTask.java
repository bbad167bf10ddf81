package org.medvision.api.task;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.medvision.api.data.DataSchema;
import org.medvision.api.graph.Graph;
import org.medvision.api.metrics.MetricSuite;
import org.medvision.api.pipeline.Pipeline;
import org.medvision.api.training.TrainingRecipe;

/** The value class behind {@link Task#builder}. */
record DeclaredTask(String name, TaskConfig config, Graph graph, Map<String, Graph> stageMap, DataSchema data,
    List<OutputSpec> outputs, Optional<TrainingRecipe> training, List<Supplier<MetricSuite>> metrics,
    Pipeline pipeline, Optional<EnsembleSpec> ensemble, Optional<String> backbone, List<String> stageOrder,
    Acquisition acquisition) implements Task {
  @Override
  public Map<String, Graph> stages() {
    Map<String, Graph> ordered = new LinkedHashMap<>();
    stageOrder.forEach(s -> ordered.put(s, stageMap.get(s)));
    return Collections.unmodifiableMap(ordered);
  }

  @Override
  public String toString() {
    return "Task[" + name + " " + config + "]";
  }
}
