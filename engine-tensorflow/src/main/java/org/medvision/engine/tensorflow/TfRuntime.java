package org.medvision.engine.tensorflow;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.medvision.api.engine.CpuCacheReport;
import org.medvision.api.engine.Device;
import org.medvision.api.engine.EngineException;
import org.medvision.api.engine.NativeLogging;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;

/**
 * The loaded TensorFlow native library and the devices it can use.
 *
 * <p><b>Natives.</b> {@code org.tensorflow:tensorflow-core-native:1.1.0:linux-x86_64} (TensorFlow 2.18, CPU) is
 * extracted by JavaCPP to {@code ~/.javacpp/cache} on first use (about 650 MB; {@code -Dorg.bytedeco.javacpp.cachedir}
 * moves it) and loads in about 1 s afterwards. Nothing is downloaded: TensorFlow Java never touches the network.
 *
 * <p><b>CUDA.</b> Building this module with {@code -Pcuda} swaps in the {@code linux-x86_64-gpu} native jar (526 MB),
 * which bundles TensorFlow's CUDA build but not CUDA itself: the machine needs an NVIDIA driver, CUDA 12 (cudart,
 * cuBLAS, cuFFT, cuSPARSE, cuSOLVER) and cuDNN 9 on the library path. Whether a GPU is usable is found by running a
 * one-op graph pinned to it, so a missing library shows up as TensorFlow's own error in the message.
 */
final class TfRuntime {
  /** Where JavaCPP finds the CUDA build's natives; present only when that jar is on the classpath. */
  static final String GPU_NATIVES = "/org/tensorflow/internal/c_api/linux-x86_64-gpu/";
  /** Where JavaCPP finds the CPU build's natives. */
  static final String CPU_NATIVES = "/org/tensorflow/internal/c_api/linux-x86_64/";
  private static final int MAX_PROBED_GPUS = 16;
  private static boolean oneDnnDecided;

  private final String version;
  private volatile Integer gpuCount;

  private TfRuntime(String version) {
    this.version = version;
  }

  /** The C library's {@code setenv}. */
  private interface CLibrary extends Library {
    int setenv(String name, String value, int overwrite);
  }

  /** TensorFlow's own lowest logged severity unless {@code --verbose}: errors only (0 info, 1 warning, 2 error). */
  static final int QUIET_LEVEL = 2;

  /**
   * The severity below which TensorFlow's native code stays silent: {@code TF_CPP_MIN_LOG_LEVEL} when the user set it,
   * else everything with {@code --verbose} ({@link NativeLogging}), else {@link #QUIET_LEVEL}.
   */
  static int nativeLogLevel() {
    String set = System.getenv("TF_CPP_MIN_LOG_LEVEL");
    if (set != null && set.trim().matches("[0-3]")) {
      return Integer.parseInt(set.trim());
    }
    return NativeLogging.verbose() ? 0 : QUIET_LEVEL;
  }

  /**
   * Sets {@code TF_CPP_MIN_LOG_LEVEL} for TensorFlow's own logging, which reads it when it first logs, so before the
   * library loads. Otherwise its C++ core prints informational lines (oneDNN and CPU-feature notices) to stderr in the
   * middle of our command output.
   */
  private static void quietTensorFlowLogging(int level) {
    if (System.getenv("TF_CPP_MIN_LOG_LEVEL") != null || level == 0) {
      return;
    }
    try {
      Native.load("c", CLibrary.class).setenv("TF_CPP_MIN_LOG_LEVEL", Integer.toString(level), 0);
    } catch (RuntimeException | LinkageError e) {
      // Only the noise depends on it (no C library reachable through JNA): load with TensorFlow's default logging.
    }
  }

  /**
   * Sets {@code TF_ENABLE_ONEDNN_OPTS=0} before the library loads (TensorFlow reads it once) when the user has not
   * set it and this is an AMD machine whose cache sizes oneDNN cannot read ({@link CpuCacheReport}): there oneDNN's
   * convolution gradients are wrong (StrokeNeXt-atto's first gradients off by 10-50% against DJL and against
   * TensorFlow's own Eigen kernels), and with oneDNN off TensorFlow uses those Eigen kernels.
   *
   * @return whether it switched oneDNN off
   */
  private static synchronized boolean avoidOneDnnWithHiddenCaches() {
    // System.getenv does not see a variable set through the C library, so the first decision is remembered.
    if (oneDnnDecided) {
      return false;
    }
    oneDnnDecided = true;
    if (System.getenv("TF_ENABLE_ONEDNN_OPTS") != null || !CpuCacheReport.amdCachesHidden()) {
      return false;
    }
    try {
      return Native.load("c", CLibrary.class).setenv("TF_ENABLE_ONEDNN_OPTS", "0", 0) == 0;
    } catch (RuntimeException | LinkageError e) {
      throw new EngineException("this AMD CPU hides its cache sizes, which makes TensorFlow's oneDNN kernels compute "
          + "wrong convolution gradients, and TF_ENABLE_ONEDNN_OPTS=0 could not be set through JNA (" + e + "); set "
          + "it in the environment before starting the JVM", e);
    }
  }

  /**
   * Runs a small graph on the CPU: the first session run of the process, when TensorFlow's MLIR pass logs. The graph
   * takes a fed input, as models do; a graph of constants only is folded before that pass runs.
   */
  private static void firstRun() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      org.tensorflow.op.core.Placeholder<org.tensorflow.types.TFloat32> x =
          tf.placeholder(org.tensorflow.types.TFloat32.class);
      org.tensorflow.Operand<?> y = tf.math.add(x, tf.constant(1f));
      try (org.tensorflow.types.TFloat32 one = org.tensorflow.types.TFloat32.scalarOf(1f);
          Session s = new Session(g); Result r = s.runner().feed(x, one).fetch(y).run()) {
        r.size();
      }
    }
  }

  /**
   * Loads the native library (idempotent: TensorFlow keeps one per process), first switching oneDNN off where it
   * computes wrong gradients ({@link #avoidOneDnnWithHiddenCaches}).
   *
   * @throws EngineException naming the native jar to add when it is missing, or the loader's error
   */
  static TfRuntime load() {
    int level = nativeLogLevel();
    quietTensorFlowLogging(level);
    if (avoidOneDnnWithHiddenCaches()) {
      System.err.println("medvision: this AMD CPU does not report its cache sizes, which makes TensorFlow's oneDNN "
          + "convolution gradients wrong; TF_ENABLE_ONEDNN_OPTS=0 is set for this process (right, and slower).");
    }
    try {
      TfRuntime runtime = new TfRuntime(TensorFlow.version());
      if (level > 0) {
        AbseilInfoLines.drop(TfRuntime::firstRun);
      }
      return runtime;
    } catch (RuntimeException | LinkageError e) {
      StringBuilder sb = new StringBuilder("cannot load the TensorFlow native library (")
          .append(TensorFlowEngineProvider.ARTIFACT).append("): ");
      if (!gpuBuild() && TfRuntime.class.getResource(CPU_NATIVES) == null) {
        sb.append("no native jar is on the classpath; add org.tensorflow:tensorflow-core-native:1.1.0 with "
            + "classifier linux-x86_64 (or linux-x86_64-gpu for CUDA). ");
      } else {
        sb.append("JavaCPP extracts the natives to ~/.javacpp/cache, which needs about 700 MB and must be writable "
            + "(-Dorg.bytedeco.javacpp.cachedir=<dir> moves it). ");
      }
      throw new EngineException(sb.append("Loader said: ").append(e).toString(), e);
    }
  }

  /** True when the CUDA build of the natives is on the classpath. */
  static boolean gpuBuild() {
    return TfRuntime.class.getResource(GPU_NATIVES) != null;
  }

  /** TensorFlow's version, e.g. {@code 2.18.0}. */
  String version() {
    return version;
  }

  /** The number of CUDA devices TensorFlow can run on; 0 with the CPU build. Probed once. */
  int gpuCount() {
    Integer n = gpuCount;
    if (n == null) {
      int found = 0;
      if (gpuBuild()) {
        while (found < MAX_PROBED_GPUS && probe(found) == null) {
          found++;
        }
      }
      n = found;
      gpuCount = n;
    }
    return n;
  }

  /**
   * Maps a device request to the device a session will use: {@code auto} is {@code cuda:0} when a GPU is usable,
   * else the CPU; {@code cuda:N} never falls back.
   *
   * @throws EngineException saying which native build and system libraries CUDA needs, with TensorFlow's error
   */
  Device resolve(Device requested) {
    switch (requested.kind()) {
      case CPU:
        return Device.CPU;
      case AUTO:
        return gpuCount() > 0 ? Device.cuda(0) : Device.CPU;
      case CUDA:
        checkCuda(requested);
        return requested;
      default:
        throw new EngineException("the tensorflow engine cannot target device " + requested);
    }
  }

  private void checkCuda(Device requested) {
    if (!gpuBuild()) {
      throw new EngineException("device " + requested + " was requested, but the TensorFlow native library on the "
          + "classpath is the CPU build (org.tensorflow:tensorflow-core-native:1.1.0:linux-x86_64). To run on "
          + "CUDA, build medvision-engine-tensorflow with the Maven profile -Pcuda (classifier linux-x86_64-gpu) and "
          + "install an NVIDIA driver, CUDA 12 and cuDNN 9 on this machine (the GPU jar bundles neither); or use "
          + "device cpu or auto");
    }
    String failure = probe(requested.index());
    if (failure != null) {
      throw new EngineException("device " + requested + " was requested and TensorFlow's CUDA build is on the "
          + "classpath, but TensorFlow cannot run on that GPU (" + gpuCount() + " usable). It needs an NVIDIA "
          + "driver, CUDA 12 and cuDNN 9 on the library path (LD_LIBRARY_PATH); TensorFlow said: " + failure);
    }
  }

  /** Runs a one-op graph pinned to GPU {@code index}; null when it ran, else TensorFlow's error. */
  private static String probe(int index) {
    ConfigProto config = ConfigProto.newBuilder().setAllowSoftPlacement(false).build();
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g).withDevice(DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU)
          .deviceIndex(index).build());
      org.tensorflow.Operand<?> one = tf.identity(tf.constant(1f));
      try (Session s = new Session(g, config); Result r = s.runner().fetch(one).run()) {
        return r.size() == 1 ? null : "no result";
      }
    } catch (RuntimeException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }
}
