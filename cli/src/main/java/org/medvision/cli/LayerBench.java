package org.medvision.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Device;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.Graph;
import org.medvision.api.task.Task;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.RandomWeights;
import org.medvision.api.weights.Weights;

/**
 * Times each distinct heavy layer of a model ({@link LayerShapes}) alone on one engine, beside the whole model, and
 * on ONNX Runtime also reads where the whole model's time goes from its profiler ({@link OnnxNodeProfile}).
 *
 * <p>Every time is the median of the timed runs of {@code CompiledModel.run}: a layer's includes handing its input
 * to the engine and its output back (and on TensorFlow the change to channels-last and back), which inside a model
 * it does not pay, so small memory-bound layers look slower alone than they are in the model.
 */
final class LayerBench {
  /** The engine whose profiler is read. */
  static final String ONNX = "onnx";

  /**
   * One engine's measurements.
   *
   * @param modelMs median time of the whole model's run
   * @param layerMs median time of one run of each layer alone, in the order of the layers
   * @param onnxNodes per-node times inside the whole model from ONNX Runtime's profiler; empty on other engines
   */
  record Run(double modelMs, List<Double> layerMs, List<OnnxNodeProfile.NodeTime> onnxNodes) {
    /** Copies the lists. */
    Run {
      layerMs = List.copyOf(layerMs);
      onnxNodes = List.copyOf(onnxNodes);
    }
  }

  private final Task task;
  private final Weights weights;
  private final BenchSettings settings;
  private final int batch;
  private final List<LayerShapes.Layer> layers;
  private final CommandContext ctx;

  LayerBench(Task task, Weights weights, BenchSettings settings, int batch, List<LayerShapes.Layer> layers,
      CommandContext ctx) {
    this.task = task;
    this.weights = weights;
    this.settings = settings;
    this.batch = batch;
    this.layers = List.copyOf(layers);
    this.ctx = ctx;
  }

  /** Times the whole model, then every layer, on {@code engine}. */
  List<Run> run(Engine engine, PhaseMemory memory) {
    memory.startMeasurement();
    SyntheticInputs inputs = new SyntheticInputs(task, batch, 42);
    Map<String, Tensor> feeds = inputs.feeds(inputs.examples());
    List<Double> layerMs = new ArrayList<>();
    double modelMs;
    try (ProgressBar bar = ctx.progress("bench --layers " + engine.name(), layers.size() + 1)) {
      modelMs = median(engine, task.graph(), weights, feeds);
      bar.update(1);
      for (int i = 0; i < layers.size(); i++) {
        Graph g = layers.get(i).graph();
        Map<String, Tensor> x = Map.of("x", uniform(g.inputs().get(0).shape(), i));
        layerMs.add(median(engine, g, RandomWeights.initialize(g, i), x));
        bar.update(i + 2);
      }
    }
    List<OnnxNodeProfile.NodeTime> nodes = List.of();
    if (engine.name().equals(ONNX) && settings.options().device().kind() == Device.Kind.CPU) {
      nodes = OnnxNodeProfile.measure(task.graph(), weights, settings.options(), feeds, settings.warmup(),
          settings.iterations());
    }
    return List.of(new Run(modelMs, layerMs, nodes));
  }

  private double median(Engine engine, Graph graph, Weights w, Map<String, Tensor> feeds) {
    long[] nanos = new long[settings.iterations()];
    try (CompiledModel model = engine.compile(graph, w, settings.options())) {
      for (int i = 0; i < settings.warmup() + settings.iterations(); i++) {
        long t0 = System.nanoTime();
        model.run(feeds);
        long t = System.nanoTime() - t0;
        if (i >= settings.warmup()) {
          nanos[i - settings.warmup()] = t;
        }
      }
    }
    return LatencyStats.of(nanos).p50Ms();
  }

  private static Tensor uniform(Shape shape, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] v = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) random.nextDouble();
    }
    return Tensor.of(shape, v);
  }
}
