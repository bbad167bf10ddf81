package org.medvision.engine.onnx;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.engine.EngineTestModels;
import org.medvision.testkit.fixtures.NativeMemory;

/**
 * The body of {@link OnnxLeakTest}, run in a child JVM whose heap is fully committed and pre-touched, so that the
 * resident set can only grow through native allocations. Prints one line {@code growthKiB=<n>}.
 *
 * <p>Modes: {@code compile} compiles, runs and closes a small model; {@code run} runs one compiled model with
 * 128 KiB in and out; {@code compile-leaky} is {@code compile} without closing, to show the measurement detects a leak.
 */
final class LeakWorker {
  static final int WARM_UP = 100;
  static final int CYCLES = 500;

  private LeakWorker() {}

  public static void main(String[] args) throws IOException {
    try (Engine engine = new OnnxEngineProvider().create()) {
      NativeMemory.measureAndReport(args[0], Map.of(
          "compile", () -> compiles(engine, false),
          "compile-leaky", () -> compiles(engine, true),
          "run", () -> runs(engine)));
    }
  }

  private static long compiles(Engine engine, boolean leak) throws IOException {
    Graph graph = TestModels.convClassifier();
    Weights weights = EngineTestModels.randomWeights(graph, 1);
    Tensor x = EngineTestModels.uniform(Shape.of(4, 2, 5, 5), new SplittableRandom(2));
    List<CompiledModel> kept = new ArrayList<>();
    long growth = NativeMemory.loopGrowthKib(WARM_UP, CYCLES, measured -> {
      CompiledModel m = engine.compile(graph, weights, CompileOptions.defaults().withThreads(1));
      m.run(Map.of("x", x));
      if (leak && measured) {
        kept.add(m);
      } else {
        m.close();
      }
    });
    kept.forEach(CompiledModel::close);
    return growth;
  }

  private static long runs(Engine engine) throws IOException {
    GraphBuilder b = new GraphBuilder("relu-large");
    b.output("y", b.apply(Op.RELU, b.input("x", DType.FLOAT32, Shape.of(-1, 8, 64, 64))));
    Tensor x = EngineTestModels.uniform(Shape.of(1, 8, 64, 64), new SplittableRandom(3));
    try (CompiledModel m = engine.compile(b.build(), Weights.of(Map.of(), "none"), CompileOptions.defaults())) {
      return NativeMemory.loopGrowthKib(WARM_UP, CYCLES, measured -> m.run(Map.of("x", x)));
    }
  }
}
