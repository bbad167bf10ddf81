package org.medvision.engine.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Device;
import org.medvision.api.engine.Engine;
import org.medvision.api.engine.EngineCapabilities;
import org.medvision.api.engine.EngineException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.IndexOperands;
import org.medvision.api.weights.Weights;

/**
 * The ONNX Runtime engine: compiles a graph by lowering it to ONNX and loading it into an {@code OrtSession}.
 *
 * <p>Thread-safe. The ONNX Runtime environment is process-wide and shared by every engine instance, so
 * {@link #close} releases nothing native; it only stops this instance from compiling. Models already compiled stay
 * usable until they are closed themselves.
 */
final class OnnxEngine implements Engine {
  private final OrtEnvironment env;
  private final long externalDataThreshold;
  private volatile boolean closed;
  private volatile Boolean cuda0Usable;

  OnnxEngine(OrtEnvironment env, long externalDataThreshold) {
    this.env = env;
    this.externalDataThreshold = externalDataThreshold;
  }

  /**
   * Gets the process-wide ONNX Runtime environment (loading the native library on first use) and wraps it.
   *
   * @throws EngineException if the natives cannot be loaded
   */
  static OnnxEngine load(long externalDataThreshold) {
    try {
      return new OnnxEngine(OrtEnvironments.shared(), externalDataThreshold);
    } catch (RuntimeException | LinkageError e) {
      throw new EngineException("cannot load the ONNX Runtime native library (" + OnnxEngineProvider.ARTIFACT
          + "): " + e, e);
    }
  }

  @Override
  public String name() {
    return OnnxEngineProvider.NAME;
  }

  @Override
  public String version() {
    return "onnxruntime " + env.getVersion();
  }

  /** {@code cpu}, plus {@code cuda:0} when the CUDA provider is in the build and its libraries load. */
  @Override
  public List<Device> availableDevices() {
    List<Device> devices = new ArrayList<>();
    devices.add(Device.CPU);
    if (cuda0Usable()) {
      devices.add(Device.cuda(0));
    }
    return List.copyOf(devices);
  }

  @Override
  public EngineCapabilities capabilities() {
    return OnnxEngineProvider.CAPABILITIES;
  }

  /**
   * Compiles {@code graph}: fits the weights, lowers to ONNX and creates a session with {@code options.threads()}
   * intra-op threads (when positive) and full or no graph optimisation. {@code auto} picks {@code cuda:0} when it is
   * usable and the CPU otherwise; {@code cuda:N} never falls back. Models whose parameters exceed the protobuf
   * limit are written to a temporary directory with external data, loaded from there, and the files deleted.
   */
  @Override
  public CompiledModel compile(Graph graph, Weights weights, CompileOptions options) {
    if (closed) {
      throw new IllegalStateException("the onnx engine is closed");
    }
    if (options.threads() < 0) {
      throw new EngineException("threads must be 0 (let the engine choose) or positive, got " + options.threads());
    }
    // ONNX Runtime would happily reshape or add int64 tensors; the IR gives them no meaning outside index operands.
    List<String> misuses = IndexOperands.misuses(graph);
    if (!misuses.isEmpty()) {
      throw new EngineException("graph '" + graph.name() + "': " + String.join("; ", misuses));
    }
    Weights fitted = weights.fitTo(graph);
    Device device = resolve(options.device());
    boolean external = OnnxModelWriter.needsExternalData(fitted, externalDataThreshold);
    byte[] bytes = external ? null : OnnxModelWriter.toBytes(graph, fitted, externalDataThreshold);
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      if (options.threads() > 0) {
        so.setIntraOpNumThreads(options.threads());
      }
      so.setOptimizationLevel(
          options.optimize() ? OrtSession.SessionOptions.OptLevel.ALL_OPT : OrtSession.SessionOptions.OptLevel.NO_OPT);
      if (device.kind() == Device.Kind.CUDA) {
        CudaSupport.add(so, device.index(), env.getVersion());
      }
      OrtSession session = external ? sessionFromFile(graph, fitted, so) : env.createSession(bytes, so);
      return new OnnxCompiledModel(env, session, graph, device);
    } catch (OrtException e) {
      throw new EngineException("ONNX Runtime could not load graph '" + graph.name() + "' for " + device + ": "
          + e.getMessage(), e);
    }
  }

  private OrtSession sessionFromFile(Graph graph, Weights fitted, OrtSession.SessionOptions so)
      throws OrtException {
    Path dir;
    try {
      dir = Files.createTempDirectory("medvision-onnx-");
    } catch (IOException e) {
      throw new EngineException("graph '" + graph.name() + "' is too large for an in-memory ONNX model and no "
          + "temporary directory could be created for it: " + e, e);
    }
    try {
      Path model = dir.resolve("model.onnx");
      OnnxModelWriter.write(graph, fitted, model, externalDataThreshold);
      return env.createSession(model.toString(), so);
    } finally {
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // A leftover temporary file is not worth failing a compile that succeeded; the OS cleans its temp dir.
    }
  }

  private Device resolve(Device requested) {
    switch (requested.kind()) {
      case AUTO: return cuda0Usable() ? Device.cuda(0) : Device.CPU;
      case CPU: return Device.CPU;
      case CUDA: return requested;
      default: throw new EngineException("the onnx engine cannot target device " + requested);
    }
  }

  private boolean cuda0Usable() {
    Boolean usable = cuda0Usable;
    if (usable == null) {
      usable = CudaSupport.usable(0);
      cuda0Usable = usable;
    }
    return usable;
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
