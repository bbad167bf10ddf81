package org.medvision.cli;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.RandomWeights;

/**
 * Measures an engine's float32 peak on this machine: the best rate over several runs of a chain of large square
 * GEMMs, which is as close to pure multiply-add throughput as a graph gets.
 *
 * <p>Several GEMMs are chained per run so the input and output copies (n*n floats each) are amortised over
 * {@link #CHAIN} products; the weights are scaled by 1/sqrt(n) so values stay of order one (no overflow or
 * denormals to slow the arithmetic).
 */
final class PeakFlops {
  /** GEMMs per run. */
  static final int CHAIN = 4;

  private PeakFlops() {}

  /** The chained-GEMM graph for {@code n}x{@code n} matrices. */
  static Graph graph(int n) {
    GraphBuilder b = new GraphBuilder("gemm-peak-" + n);
    Value x = b.input("a", DType.FLOAT32, Shape.of(n, n));
    double scale = 1.0 / Math.sqrt(n);
    for (int i = 0; i < CHAIN; i++) {
      Value w = b.parameter("b" + i, Shape.of(n, n), ParamRole.WEIGHT, (out, shape, random) -> {
        for (int j = 0; j < out.length; j++) {
          out[j] = (float) (random.nextDouble(-1.0, 1.0) * scale * Math.sqrt(3.0));
        }
      });
      x = b.apply(Op.GEMM, x, w);
    }
    b.output("c", x);
    return b.build();
  }

  /** Timed runs of one peak measurement. */
  static final int RUNS = 5;

  /**
   * The best rate of {@link #RUNS} runs with a progress bar labelled with {@code phase}, or NaN when {@code n} is 0
   * ({@code --peak-size 0} turned the measurement off).
   */
  static double best(Engine engine, CompileOptions options, int n, CommandContext ctx, String phase) {
    if (n == 0) {
      return Double.NaN;
    }
    try (ProgressBar bar = ctx.progress("peak GEMM " + n + " (" + phase + ")", RUNS + 1)) {
      return measure(engine, options, n, RUNS, bar::update);
    }
  }

  /**
   * The best rate in GFLOP/s (2 n^3 per GEMM) over {@code runs} timed runs after one warm-up.
   *
   * @param progress called after each run with the number of runs done (warm-up included)
   */
  static double measure(Engine engine, CompileOptions options, int n, int runs, IntConsumer progress) {
    Graph g = graph(n);
    float[] a = new float[n * n];
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) random.nextDouble(-1.0, 1.0);
    }
    Map<String, Tensor> feeds = Map.of("a", Tensor.of(Shape.of(n, n), a));
    double flops = 2.0 * n * (double) n * n * CHAIN;
    double best = 0;
    try (CompiledModel model = engine.compile(g, RandomWeights.initialize(g, 1), options)) {
      model.run(feeds);
      progress.accept(1);
      for (int r = 0; r < runs; r++) {
        long t0 = System.nanoTime();
        model.run(feeds);
        long t = System.nanoTime() - t0;
        best = Math.max(best, flops / t);
        progress.accept(r + 2);
      }
    }
    return best;
  }
}
