package org.medvision.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.OptimizerSpec;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.training.TrainingOptions;
import org.medvision.api.training.TrainingSession;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.engine.EngineTestModels;
import org.medvision.testkit.fixtures.NativeMemory;

/**
 * The body of {@link DjlLeakTest}, run in a child JVM whose heap is fully committed and pre-touched, so that the
 * resident set can only grow through native allocations. Prints one line {@code growthKiB=<n>}.
 *
 * <p>Modes: {@code run} runs one compiled model {@value #RUNS} times after {@value #RUN_WARM_UP} warm-up runs (batch
 * 8, 128 KiB in, 256 KiB of activations per conv output); {@code run-leaky} evaluates the same graph
 * {@value #LEAKY_RUNS} times with the same classes but never closes the per-run scope, the leak the scoping prevents;
 * {@code train} takes {@value #STEPS} forwardBackward + step cycles.
 */
final class LeakWorker {
  /**
   * Runs before the first measurement. libtorch's allocator caches and the JIT keep growing the resident set for
   * the first few thousand runs (observed: +30 MiB over the first 1,000, +2 to 5 MiB over the next 2,000, then
   * flat to within 0.1 MiB from run 8,000 to 16,000), so inference warms up longer than training.
   */
  static final int RUN_WARM_UP = 1000;
  static final int STEP_WARM_UP = 200;
  static final int RUNS = 2000;
  /** Leaky runs measured: enough to leak far past the bound (about 1.2 MiB each) without exhausting the machine. */
  static final int LEAKY_RUNS = 200;
  static final int STEPS = 300;

  private LeakWorker() {}

  public static void main(String[] args) throws IOException {
    Graph graph = EngineTestModels.convClassifierWithLayerScale();
    Weights weights = EngineTestModels.randomWeights(graph, 1);
    Tensor x = EngineTestModels.uniform(Shape.of(8, 4, 32, 32), new SplittableRandom(2));
    try (Engine engine = new DjlEngineProvider().create()) {
      NativeMemory.measureAndReport(args[0], Map.of(
          "run", () -> runs(engine, graph, weights, x),
          "run-leaky", () -> leakyRuns(engine, graph, weights, x),
          "train", () -> steps(engine, graph, weights, x)));
    }
  }

  private static long runs(Engine engine, Graph graph, Weights weights, Tensor x) throws IOException {
    try (CompiledModel m = engine.compile(graph, weights, CompileOptions.defaults())) {
      return NativeMemory.loopGrowthKib(RUN_WARM_UP, RUNS, measured -> m.run(Map.of("x", x)));
    }
  }

  /** What a run would be without its scope being closed: the per-run arrays stay in a sub-manager. */
  private static long leakyRuns(Engine engine, Graph graph, Weights weights, Tensor x) throws IOException {
    DjlRuntime runtime = DjlRuntime.load();
    try (ParameterStore params = ParameterStore.create(runtime.engine(), ai.djl.Device.cpu(), graph,
        weights.fitTo(graph))) {
      return NativeMemory.loopGrowthKib(STEP_WARM_UP, LEAKY_RUNS, measured -> {
        NDManager scope = params.manager().newSubManager();
        params.lendTo(scope);
        Map<String, NDArray> values = new HashMap<>(params.arrays());
        for (ValueInfo in : graph.inputs()) {
          values.put(in.name(), HostArrays.toDevice(scope, x, in.name()));
        }
        GraphInterpreter.run(graph.nodes(), values, scope, null, null);
        values.get("probs").toFloatArray();
      });
    }
  }

  private static long steps(Engine engine, Graph graph, Weights weights, Tensor x) throws IOException {
    Graph training = TrainingGraph.classification(graph, "probs", 0.1f, null);
    Map<String, Tensor> batch = Map.of("x", x, TrainingGraph.LABELS,
        Tensor.ofLongs(Shape.of(8), 0, 1, 2, 0, 1, 2, 0, 1));
    try (TrainingSession s = engine.train(training, weights, OptimizerSpec.adamW(0.05), TrainingOptions.cpu(3))) {
      return NativeMemory.loopGrowthKib(STEP_WARM_UP, STEPS, measured -> {
        s.forwardBackward(batch);
        s.gradientNorm();
        s.scaleGradients(0.5);
        s.step(1e-3);
      });
    }
  }
}
