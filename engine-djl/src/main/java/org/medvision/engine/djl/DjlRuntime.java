package org.medvision.engine.djl;

import ai.djl.pytorch.jni.JniUtils;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.medvision.api.engine.CpuCacheReport;
import org.medvision.api.engine.Device;
import org.medvision.api.engine.EngineException;

/**
 * The loaded DJL PyTorch engine and the process-wide settings around it.
 *
 * <p><b>Offline.</b> Before DJL initialises, {@link #load()} sets the system properties {@code ai.djl.offline=true}
 * and {@code OPT_OUT_TRACKING=true}, each only when the user has not set it. DJL reads both as "environment variable,
 * else system property" ({@code DJL_OFFLINE} / {@code ai.djl.offline}, {@code OPT_OUT_TRACKING}); its only call home,
 * {@code ai.djl.util.Ec2Utils.callHome}, returns at once when either says so, and in offline mode DJL never downloads
 * natives. So no network request is made unless the user explicitly sets both to false.
 *
 * <p><b>Natives.</b> With {@code ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64} on the classpath DJL extracts
 * libtorch (about 430 MB) to {@code ~/.djl.ai/pytorch/2.7.1-20250812-cpu-linux-x86_64/} on first use;
 * {@code DJL_CACHE_DIR} moves that directory.
 *
 * <p><b>Threads.</b> libtorch's CPU build parallelises with its bundled libgomp, whose default is to spin while
 * waiting. On a machine with more runnable threads than cores (a CI host, a second engine in the process) the
 * spinning threads steal the cores from the working ones: StrokeNeXt-tiny at 224 ran 3.4 to 3.9 s per image on 2 busy
 * cores with spinning and 0.6 s with {@code OMP_WAIT_POLICY=PASSIVE}. So {@link #load()} sets that variable in the
 * C environment (through JNA, before libgomp is loaded and reads it) unless the user has set it.
 *
 * <p><b>oneDNN.</b> On AMD machines whose CPU hides its cache sizes ({@link CpuCacheReport}) oneDNN's AVX2 and
 * AVX-512 backward-data convolution kernels compute wrong gradients (see {@link OneDnnConvolutionCheck}). There
 * {@link #load()} sets {@code ONEDNN_MAX_CPU_ISA=AVX} in the C environment, unless the user has set it, before
 * oneDNN first reads it: oneDNN then convolves forward with its AVX kernels and backward through its GEMM path, both
 * right. Measured on such a machine (2 vCPUs, StrokeNeXt-atto, one thread): training at 64 px ran at 39 examples/s,
 * against 10 with oneDNN switched off; inference at 224 px costs 7-8% against the uncapped kernels (whose forward
 * pass is right), accepted because the cap must be set before oneDNN's first use, when the process cannot know
 * yet whether it will train. The first training session still checks the gradients and switches oneDNN
 * off if they are wrong all the same.
 *
 * <p><b>CUDA.</b> Maven Central has no CUDA build of libtorch that matches DJL 0.36 ({@code pytorch-jni
 * 2.7.1-0.36.0} carries a JNI library for {@code cu128}, but the matching libtorch lives only on publish.djl.ai). To
 * run on CUDA, download PyTorch's own "libtorch 2.7.1, CUDA 12.8, cxx11 ABI, shared with deps" archive (or use the
 * {@code torch/lib} directory of a pip install of {@code torch==2.7.1+cu128}) and start the JVM with the environment
 * variables {@code PYTORCH_LIBRARY_PATH=<libtorch>/lib} (the directory holding {@code libtorch.so},
 * {@code libtorch_cuda.so} and {@code libc10_cuda.so}), {@code PYTORCH_FLAVOR=cu128} (selects the JNI library
 * {@code jnilib/linux-x86_64/cu128/libdjl_torch.so} from pytorch-jni) and {@code PYTORCH_VERSION=2.7.1}; an NVIDIA
 * driver for CUDA 12.8 or later is needed. DJL then reports the GPUs and {@code cuda:N} works; otherwise a CUDA
 * request fails with an {@link EngineException} that says this.
 */
final class DjlRuntime {
  /** DJL's name of its PyTorch engine. */
  static final String PYTORCH = "PyTorch";
  private static boolean nnpackChecked;
  private static boolean oneDnnIsaDecided;

  private final ai.djl.engine.Engine engine;

  private DjlRuntime(ai.djl.engine.Engine engine) {
    this.engine = engine;
  }

  /**
   * Sets offline mode, loads DJL's PyTorch engine (idempotent: DJL keeps one engine per process) and quiets
   * NNPACK where it cannot start.
   *
   * @throws EngineException naming the missing native jar, an unwritable cache directory or a failing libtorch
   */
  static DjlRuntime load() {
    setIfAbsent("ai.djl.offline", "true");
    setIfAbsent("OPT_OUT_TRACKING", "true");
    passiveOpenMpWaiting();
    if (limitOneDnnWhereCachesHidden()) {
      System.err.println("medvision: this AMD CPU does not report its cache sizes, which makes oneDNN's AVX2 and "
          + "AVX-512 convolution gradients wrong; ONEDNN_MAX_CPU_ISA=AVX is set for this process (right; inference a "
          + "few percent slower).");
    }
    DjlRuntime runtime;
    try {
      runtime = new DjlRuntime(ai.djl.engine.Engine.getEngine(PYTORCH));
    } catch (RuntimeException | LinkageError e) {
      throw new EngineException(diagnose(e), e);
    }
    quietUnavailableNnpack();
    return runtime;
  }

  /**
   * Stops libtorch's per-convolution NNPACK warning on CPUs NNPACK cannot start on ({@link
   * LibtorchContext#switchOffUnavailableNnpack}). Only a log line is at stake, so a libtorch without the switch is left
   * as it is.
   */
  private static synchronized void quietUnavailableNnpack() {
    if (nnpackChecked) {
      return;
    }
    nnpackChecked = true;
    try {
      LibtorchContext.bind().switchOffUnavailableNnpack();
    } catch (EngineException | UnsatisfiedLinkError e) {
      // Not the libtorch build we know; its warnings stay.
    }
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /** The C library's {@code setenv}. */
  private interface CLibrary extends Library {
    int setenv(String name, String value, int overwrite);
  }

  /**
   * Sets {@code ONEDNN_MAX_CPU_ISA=AVX} where the CPU hides its cache sizes and the user has set no limit, once per
   * process (System.getenv does not see a variable set through the C library).
   *
   * @return whether it set the limit
   */
  private static synchronized boolean limitOneDnnWhereCachesHidden() {
    if (oneDnnIsaDecided) {
      return false;
    }
    oneDnnIsaDecided = true;
    if (System.getenv("ONEDNN_MAX_CPU_ISA") != null || System.getenv("DNNL_MAX_CPU_ISA") != null
        || !CpuCacheReport.amdCachesHidden()) {
      return false;
    }
    try {
      return Native.load("c", CLibrary.class).setenv("ONEDNN_MAX_CPU_ISA", "AVX", 0) == 0;
    } catch (RuntimeException | LinkageError e) {
      // The training check still switches oneDNN off if its gradients are wrong: right, and slower.
      return false;
    }
  }

  private static void passiveOpenMpWaiting() {
    if (System.getenv("OMP_WAIT_POLICY") != null) {
      return;
    }
    try {
      Native.load("c", CLibrary.class).setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
    } catch (RuntimeException | LinkageError e) {
      // Only speed depends on it (no C library found through JNA, e.g. an unusual platform): run with the default.
    }
  }

  private static String diagnose(Throwable e) {
    StringBuilder sb = new StringBuilder("cannot load DJL's PyTorch engine (" + DjlEngineProvider.ARTIFACT + "): ");
    String libraryPath = System.getenv("PYTORCH_LIBRARY_PATH");
    Path cache = cacheDir();
    if (libraryPath != null) {
      sb.append("PYTORCH_LIBRARY_PATH=").append(libraryPath).append(" is set, so DJL loads libtorch from there; it "
          + "must hold libtorch 2.7.1 (cxx11 ABI), with PYTORCH_FLAVOR naming its build (cpu or cu128). ");
    } else if (DjlRuntime.class.getResource("/native/lib/pytorch.properties") == null) {
      sb.append("the native jar ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64 is not on the classpath, and "
          + "offline mode forbids downloading it; add it (or point PYTORCH_LIBRARY_PATH at a local libtorch 2.7.1). ");
    } else if (Files.exists(cache) && !Files.isWritable(cache) || !Files.exists(cache) && !creatable(cache)) {
      sb.append("the native library cache ").append(cache).append(" is not writable; set DJL_CACHE_DIR to a "
          + "writable directory with about 450 MB free. ");
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    sb.append("DJL said: ").append(e);
    if (root != e) {
      sb.append(" (caused by ").append(root).append(')');
    }
    return sb.toString();
  }

  private static Path cacheDir() {
    String dir = System.getenv("DJL_CACHE_DIR");
    if (dir == null) {
      dir = System.getProperty("DJL_CACHE_DIR");
    }
    return dir != null ? Paths.get(dir) : Paths.get(System.getProperty("user.home"), ".djl.ai");
  }

  private static boolean creatable(Path dir) {
    Path p = dir.toAbsolutePath().getParent();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p != null && Files.isWritable(p);
  }

  /** The DJL engine. */
  ai.djl.engine.Engine engine() {
    return engine;
  }

  /** libtorch's version, e.g. {@code 2.7.1}. */
  String torchVersion() {
    return engine.getVersion();
  }

  /** Number of CUDA devices the loaded libtorch can use (0 with the CPU build). */
  int gpuCount() {
    return engine.getGpuCount();
  }

  /**
   * Maps a device request to a DJL device: {@code auto} is {@code cuda:0} when libtorch sees a GPU, else the CPU;
   * {@code cuda:N} never falls back.
   *
   * @throws EngineException explaining how to get a CUDA libtorch, or naming the devices that exist
   */
  ai.djl.Device resolve(Device requested) {
    int gpus = gpuCount();
    switch (requested.kind()) {
      case CPU:
        return ai.djl.Device.cpu();
      case AUTO:
        return gpus > 0 ? ai.djl.Device.gpu(0) : ai.djl.Device.cpu();
      case CUDA:
        if (gpus == 0) {
          throw new EngineException("device " + requested + " was requested, but the libtorch DJL loaded ("
              + torchVersion() + ", from " + (System.getenv("PYTORCH_LIBRARY_PATH") != null
                  ? "PYTORCH_LIBRARY_PATH" : "the CPU-only pytorch-native-cpu jar")
              + ") sees no CUDA device. To use CUDA, install an NVIDIA driver for CUDA 12.8+, unpack PyTorch's "
              + "libtorch 2.7.1 CUDA 12.8 (cxx11 ABI) build and set PYTORCH_LIBRARY_PATH=<libtorch>/lib, "
              + "PYTORCH_FLAVOR=cu128 and PYTORCH_VERSION=2.7.1 before starting the JVM; or use device cpu or auto");
        }
        if (requested.index() >= gpus) {
          throw new EngineException("device " + requested + " was requested, but libtorch sees " + gpus
              + " CUDA device(s): cuda:0" + (gpus > 1 ? "..cuda:" + (gpus - 1) : ""));
        }
        return ai.djl.Device.gpu(requested.index());
      default:
        throw new EngineException("the djl engine cannot target device " + requested);
    }
  }

  /**
   * Sets libtorch's intra-op thread count when {@code threads} is positive. libtorch has one process-wide pool, so
   * this affects every model and session of this engine.
   *
   * @throws EngineException for a negative count
   */
  static void applyThreads(int threads) {
    if (threads < 0) {
      throw new EngineException("threads must be 0 (let the engine choose) or positive, got " + threads);
    }
    if (threads > 0 && JniUtils.getNumThreads() != threads) {
      JniUtils.setNumThreads(threads);
    }
  }
}
