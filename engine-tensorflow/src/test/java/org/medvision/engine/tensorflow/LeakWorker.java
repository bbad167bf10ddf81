package org.medvision.engine.tensorflow;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.Graph;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.engine.EngineTestModels;
import org.medvision.testkit.fixtures.NativeMemory;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The body of {@link TensorFlowLeakTest}, run in a child JVM whose heap is fully committed and pre-touched, so that
 * the resident set can only grow through native allocations. Prints one line {@code growthKiB=<n>}.
 *
 * <p>Modes: {@code run} runs one compiled model {@value #RUNS} times after {@value #WARM_UP} warm-up runs (batch 8,
 * 128 KiB of input per run); {@code run-leaky} feeds the same lowered graph {@value #LEAKY_RUNS} times through a bare
 * session but never closes the fed and fetched tensors (and keeps them, as a caller that forgot to close would), the
 * leak that the compiled model's try-with-resources prevents.
 */
final class LeakWorker {
  /**
   * Runs before the first measurement. TensorFlow's allocator caches and the JIT grow the resident set for the first
   * few thousand runs (observed: +14 MiB over runs 0 to 1,000, +8 MiB to 2,000, +3 MiB to 3,000, then flat within
   * 0.2 MiB from 4,000 to 10,000), so measuring from run 500 would see warm-up as a leak.
   */
  static final int WARM_UP = 3000;
  static final int RUNS = 2000;
  /** Leaky runs measured: 128 KiB each, far past the bound. */
  static final int LEAKY_RUNS = 400;

  private LeakWorker() {}

  public static void main(String[] args) throws IOException {
    Graph graph = EngineTestModels.convClassifier();
    Weights weights = EngineTestModels.randomWeights(graph, 1);
    Tensor x = EngineTestModels.uniform(Shape.of(8, 4, 32, 32), new SplittableRandom(2));
    try (Engine engine = new TensorFlowEngineProvider().create()) {
      NativeMemory.measureAndReport(args[0], Map.of(
          "run", () -> runs(engine, graph, weights, x),
          "run-leaky", () -> leakyRuns(graph, weights, x)));
    }
  }

  private static long runs(Engine engine, Graph graph, Weights weights, Tensor x) throws IOException {
    try (CompiledModel m = engine.compile(graph, weights, CompileOptions.defaults())) {
      return NativeMemory.loopGrowthKib(WARM_UP, RUNS, measured -> m.run(Map.of("x", x)));
    }
  }

  private static long leakyRuns(Graph graph, Weights weights, Tensor x) throws IOException {
    List<AutoCloseable> forgotten = new ArrayList<>();
    try (org.tensorflow.Graph tfGraph = new org.tensorflow.Graph()) {
      Ops tf = Ops.create(tfGraph);
      VariableParameters parameters = new VariableParameters(tf, weights.fitTo(graph));
      LoweredGraph lowered = new GraphLowering(tf, parameters).lower(graph);
      try (Session session = new Session(tfGraph)) {
        parameters.initialise(session);
        long growth = NativeMemory.loopGrowthKib(WARM_UP, LEAKY_RUNS, measured -> {
          TFloat32 in = HostTensors.toTensorFlow(x);
          Result r = session.runner().feed(lowered.inputs().get(0), in).fetch(lowered.outputs().get(0)).run();
          HostTensors.toHost(r.get(0));
          if (measured) {
            forgotten.add(r);
            forgotten.add(in);
          } else {
            r.close();
            in.close();
          }
        });
        System.out.println("kept " + forgotten.size() + " unclosed tensors");
        return growth;
      }
    }
  }
}
