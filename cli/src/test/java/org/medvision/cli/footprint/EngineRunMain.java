package org.medvision.cli.footprint;

import java.util.LinkedHashMap;
import java.util.Map;
import org.medvision.api.embed.Medvision;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Engine;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskProvider;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.RandomWeights;
import org.medvision.testkit.fixtures.RandomTensors;

/** Child-JVM entry point of {@link NothingRecordedTest}: compiles StrokeNeXt-atto on one engine and runs it once. */
public final class EngineRunMain {
  private EngineRunMain() {}

  /** {@code args[0]}: the engine name. */
  public static void main(String[] args) {
    Medvision mv = Medvision.builder().build();
    TaskProvider provider = mv.tasks().get("strokenext");
    Task task = provider.create(provider.configure("atto", Map.of("image_size", "32")));
    try (Engine engine = mv.engine(args[0]);
        CompiledModel model = engine.compile(task.graph(), RandomWeights.initialize(task.graph(), 7),
            CompileOptions.defaults())) {
      Map<String, Tensor> feeds = new LinkedHashMap<>();
      for (var input : task.graph().inputs()) {
        feeds.put(input.name(), RandomTensors.uniform(input.shape().withDim(0, 1), 0f, 1f, 11));
      }
      model.run(feeds);
      System.out.println("ran " + engine.version());
    }
  }
}
