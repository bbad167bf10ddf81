package org.medvision.engine.tensorflow;

import java.util.ArrayList;
import java.util.List;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Device;
import org.medvision.api.engine.Engine;
import org.medvision.api.engine.EngineCapabilities;
import org.medvision.api.engine.EngineException;
import org.medvision.api.graph.Graph;
import org.medvision.api.training.OptimizerSpec;
import org.medvision.api.training.TrainingOptions;
import org.medvision.api.training.TrainingSession;
import org.medvision.api.weights.Weights;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * The TensorFlow engine: compiles a graph by lowering it once into a TensorFlow graph whose weights are resource
 * variables, opening a session on it and assigning the variables once.
 *
 * <p>Thread-safe. TensorFlow's native library is process-wide, so {@link #close} releases nothing native; it stops
 * this instance from compiling. Models already compiled stay usable until they are closed themselves.
 */
final class TensorFlowEngine implements Engine {
  private final TfRuntime runtime;
  private volatile boolean closed;

  TensorFlowEngine(TfRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public String name() {
    return TensorFlowEngineProvider.NAME;
  }

  /** For example {@code tensorflow 2.18.0 (tensorflow-java 1.1.0, cpu build)}. */
  @Override
  public String version() {
    return "tensorflow " + runtime.version() + " (tensorflow-java 1.1.0, " + (TfRuntime.gpuBuild() ? "cuda" : "cpu")
        + " build)";
  }

  /** {@code cpu}, plus {@code cuda:0..} for each GPU the CUDA build can run on. */
  @Override
  public List<Device> availableDevices() {
    List<Device> devices = new ArrayList<>();
    devices.add(Device.CPU);
    for (int i = 0; i < runtime.gpuCount(); i++) {
      devices.add(Device.cuda(i));
    }
    return List.copyOf(devices);
  }

  @Override
  public EngineCapabilities capabilities() {
    return TensorFlowEngineProvider.CAPABILITIES;
  }

  /**
   * Compiles {@code graph}: checks ops and dtypes, fits the weights, lowers the graph (see {@link GraphLowering}),
   * opens a session configured by {@link SessionConfig} and copies the weights into it ({@link VariableParameters});
   * the compiled model keeps no reference to {@code weights}. {@code auto} picks {@code cuda:0} when usable and the CPU
   * otherwise; {@code cuda:N} never falls back. The first run of the model also runs TensorFlow's graph optimiser,
   * so it is slower than the rest.
   */
  @Override
  public CompiledModel compile(Graph graph, Weights weights, CompileOptions options) {
    if (closed) {
      throw new IllegalStateException("the tensorflow engine is closed");
    }
    if (options.threads() < 0) {
      throw new EngineException("threads must be 0 (let the engine choose) or positive, got " + options.threads());
    }
    GraphLowering.checkSupported(graph);
    Weights fitted = weights.fitTo(graph);
    Device device = runtime.resolve(options.device());
    org.tensorflow.Graph tfGraph = new org.tensorflow.Graph();
    Session session = null;
    try {
      Ops tf = Ops.create(tfGraph);
      VariableParameters parameters = new VariableParameters(tf, fitted);
      LoweredGraph lowered = new GraphLowering(tf, parameters).lower(graph);
      session = new Session(tfGraph, SessionConfig.of(options, device));
      parameters.initialise(session);
      return new TfCompiledModel(graph, device, tfGraph, session, lowered);
    } catch (RuntimeException e) {
      if (session != null) {
        session.close();
      }
      tfGraph.close();
      if (e instanceof EngineException) {
        throw e;
      }
      throw new EngineException("TensorFlow could not build graph '" + graph.name() + "' for " + device + ": " + e,
          e);
    }
  }

  /**
   * Opens a training session ({@link TensorFlowTrainingSession}): parameters, gradients and optimiser state live in
   * TensorFlow resource variables; {@code auto} and {@code cuda:N} resolve as in {@link #compile}.
   */
  @Override
  public TrainingSession train(Graph trainingGraph, Weights initial, OptimizerSpec optimizer,
      TrainingOptions options) {
    if (closed) {
      throw new IllegalStateException("the tensorflow engine is closed");
    }
    return TrainingSessions.open(runtime, trainingGraph, initial, optimizer, options);
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return version();
  }
}
