package org.medvision.api.engine;

import java.util.List;
import org.medvision.api.graph.Graph;
import org.medvision.api.training.OptimizerSpec;
import org.medvision.api.training.TrainingOptions;
import org.medvision.api.training.TrainingSession;
import org.medvision.api.weights.Weights;

/**
 * A loaded execution engine. Creating one may load native libraries; closing it releases engine-wide native state
 * (models compiled from it must be closed first).
 */
public interface Engine extends AutoCloseable {
  /** The registry name of the provider that made it. */
  String name();

  /** The version of the underlying runtime, e.g. {@code onnxruntime 1.29.0}. */
  String version();

  /** Devices usable on this machine right now; always includes {@link Device#CPU}. */
  List<Device> availableDevices();

  /** What it supports. */
  EngineCapabilities capabilities();

  /**
   * Compiles {@code graph} with {@code weights} for {@code options.device()}.
   *
   * @throws org.medvision.api.weights.WeightMismatchException if the weights do not fit the graph's parameters
   * @throws UnsupportedOpException if the graph uses an op this engine lacks
   * @throws EngineException if the device is unavailable or the runtime fails
   */
  CompiledModel compile(Graph graph, Weights weights, CompileOptions options);

  /**
   * Starts training {@code trainingGraph} from {@code initial} weights.
   *
   * @throws EngineException if this engine does not train (see {@link EngineCapabilities#training()}) or cannot
   *     meet the options (a device, mixed precision on the CPU)
   */
  default TrainingSession train(Graph trainingGraph, Weights initial, OptimizerSpec optimizer,
      TrainingOptions options) {
    throw new EngineException("engine '" + name() + "' runs inference only; train with an engine whose capabilities "
        + "include training (medvision engines lists them)");
  }

  @Override
  void close();
}
