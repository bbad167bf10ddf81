package org.medvision.engine.djl;

import java.util.ArrayList;
import java.util.List;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Device;
import org.medvision.api.engine.Engine;
import org.medvision.api.engine.EngineCapabilities;
import org.medvision.api.engine.EngineException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.IndexOperands;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.DType;
import org.medvision.api.training.OptimizerSpec;
import org.medvision.api.training.Precision;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.training.TrainingOptions;
import org.medvision.api.training.TrainingSession;
import org.medvision.api.weights.Weights;

/**
 * The DJL engine: compiles a graph by checking it and copying its weights into DJL memory; runs and trains it with
 * {@link GraphInterpreter}.
 *
 * <p>Thread-safe. DJL's PyTorch engine is process-wide, so {@link #close} releases nothing native; it stops this
 * instance from compiling and training. Models and sessions stay usable until closed themselves. Only one training
 * session can run a {@code forwardBackward} at a time in a process (DJL allows one gradient collector).
 */
final class DjlEngine implements Engine {
  private final DjlRuntime runtime;
  private volatile boolean closed;

  DjlEngine(DjlRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public String name() {
    return DjlEngineProvider.NAME;
  }

  /** For example {@code djl 0.36.0 / pytorch 2.7.1}. */
  @Override
  public String version() {
    return "djl " + ai.djl.engine.Engine.getDjlVersion() + " / pytorch " + runtime.torchVersion();
  }

  /** {@code cpu}, plus {@code cuda:0..} for each GPU the loaded libtorch sees. */
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
    return DjlEngineProvider.CAPABILITIES;
  }

  /**
   * Compiles {@code graph}: checks its ops and dtypes, fits the weights and copies them to the device.
   * {@code options.threads()}, when positive, sets libtorch's process-wide intra-op thread count;
   * {@code options.optimize()} has no effect (the interpreter does no graph rewrites).
   */
  @Override
  public CompiledModel compile(Graph graph, Weights weights, CompileOptions options) {
    checkOpen();
    DjlRuntime.applyThreads(options.threads());
    GraphInterpreter.checkSupported(graph);
    checkDtypes(graph);
    Weights fitted = weights.fitTo(graph);
    ai.djl.Device device = runtime.resolve(options.device());
    ParameterStore params = ParameterStore.create(runtime.engine(), device, graph, fitted);
    return new DjlCompiledModel(graph, toDevice(device), params);
  }

  /**
   * Opens a training session on {@code trainingGraph}, which must have the scalar output {@value TrainingGraph#LOSS}.
   *
   * <p>Precision: FLOAT32 everywhere by default. BF16_MIXED and FP16_MIXED (see {@link MixedPrecision} for the op
   * policy and {@link DjlTrainingSession} for loss scaling) run on CUDA and, when asked for explicitly, on the CPU,
   * where libtorch also has bfloat16 and float16 kernels (useful to test a mixed-precision setup). Before the session opens, every kind of
   * low-precision product in the graph is run once forward and backward on the device ({@link KernelProbe}).
   *
   * @throws EngineException for an unavailable device, a graph without a scalar loss output, or a mixed precision
   *     whose low-precision kernels libtorch lacks on the device (naming the node, op, dtype and device)
   * @throws org.medvision.api.MedvisionException for a parameter group that matches no trainable parameter or
   *     freezes them all, or a loss-gradient pattern that matches no trained parameter
   */
  @Override
  public TrainingSession train(Graph trainingGraph, Weights initial, OptimizerSpec optimizer,
      TrainingOptions options) {
    return open(trainingGraph, initial, optimizer, options, LossScaler.DEFAULT_GROWTH_INTERVAL);
  }

  /**
   * {@link #train} with a chosen loss-scaler growth interval (FP16_MIXED only), so that tests can watch the scale
   * grow without 2,000 steps.
   */
  DjlTrainingSession open(Graph trainingGraph, Weights initial, OptimizerSpec optimizer, TrainingOptions options,
      int growthInterval) {
    checkOpen();
    // Only gradients are affected, so inference keeps oneDNN's faster (and leaner) kernels.
    OneDnnConvolutionCheck.ensureChecked();
    ValueInfo loss = trainingGraph.outputs().stream().filter(o -> o.name().equals(TrainingGraph.LOSS)).findFirst()
        .orElseThrow(() -> new EngineException("graph '" + trainingGraph.name() + "' has no output '"
            + TrainingGraph.LOSS + "'; build training graphs with TrainingGraph"));
    if (loss.shape().rank() != 0 || loss.dtype() != DType.FLOAT32) {
      throw new EngineException("output '" + TrainingGraph.LOSS + "' of graph '" + trainingGraph.name()
          + "' must be a float32 scalar, got " + loss.dtype() + loss.shape());
    }
    DjlRuntime.applyThreads(options.threads());
    GraphInterpreter.checkSupported(trainingGraph);
    checkDtypes(trainingGraph);
    optimizer.checkGroups(trainingGraph);
    List<ParameterSpec> normTargets = options.lossGradientNormTargets(trainingGraph, optimizer);
    Weights fitted = initial.fitTo(trainingGraph);
    ai.djl.Device device = runtime.resolve(options.device());
    MixedPrecision amp = MixedPrecision.of(options.precision(), device);
    LossScaler scaler = options.precision() == Precision.FP16_MIXED ? new LossScaler(growthInterval) : null;
    ParameterStore params = ParameterStore.create(runtime.engine(), device, trainingGraph, fitted);
    try {
      if (amp != null) {
        KernelProbe.check(trainingGraph, amp, params.manager());
      }
      return new DjlTrainingSession(runtime.engine(), trainingGraph, params, optimizer, options.seed(), amp, scaler,
          normTargets);
    } catch (RuntimeException e) {
      params.close();
      throw e;
    }
  }

  /**
   * Inputs are float32, or int64 indices that only index operands read (the IR's rule, {@link IndexOperands}); every
   * parameter is float32.
   */
  private static void checkDtypes(Graph graph) {
    for (ValueInfo in : graph.inputs()) {
      if (in.dtype() != DType.FLOAT32 && in.dtype() != DType.INT64) {
        throw new EngineException("input '" + in.name() + "' of graph '" + graph.name() + "' is " + in.dtype()
            + "; the djl engine computes in float32 (and takes int64 indices for index operands)");
      }
    }
    List<String> misuses = IndexOperands.misuses(graph);
    if (!misuses.isEmpty()) {
      throw new EngineException("graph '" + graph.name() + "': " + String.join("; ", misuses));
    }
    for (ParameterSpec p : graph.parameters()) {
      if (p.dtype() != DType.FLOAT32) {
        throw new EngineException("parameter '" + p.name() + "' of graph '" + graph.name() + "' is declared "
            + p.dtype() + "; the djl engine computes in float32 only");
      }
    }
  }

  private static Device toDevice(ai.djl.Device d) {
    return d.isGpu() ? Device.cuda(d.getDeviceId()) : Device.CPU;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the djl engine is closed");
    }
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
