package org.medvision.engine.djl;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.function.Supplier;
import org.medvision.api.engine.EngineException;

/**
 * libtorch's own autocast switch ({@code at::autocast}), reached through JNA because DJL 0.36 exposes neither
 * autocast nor a usable cast to a 16-bit float.
 *
 * <p>Why not a DJL cast: {@code NDArray.toType} runs libtorch's {@code Tensor::to} under a {@code NoGradGuard}, so
 * a cast array has no gradient path back to its source (backward fails with "element 0 of tensors does not require
 * grad"), and DJL's dtype table stops at complex64, so {@code toType(BFLOAT16)} aborts the JVM inside the native
 * library. libtorch's autocast casts inside its own dispatcher, where the casts are recorded by autograd, and it
 * reaches bfloat16. So a low-precision op runs with autocast switched on for that one call, and its 16-bit result is
 * brought back to float32 by type promotion (see {@link #toFloat32}), which autograd also records.
 *
 * <p>The bound functions are {@code at::autocast::set_autocast_enabled(c10::DeviceType, bool)},
 * {@code set_autocast_dtype(c10::DeviceType, c10::ScalarType)}, {@code is_autocast_enabled(c10::DeviceType)} and
 * {@code clear_cache()} of {@code libtorch_cpu.so} 2.7 (both enums are 8-bit and passed as C ints). Autocast state
 * and its weight-cast cache are per thread in libtorch, so a session's calls must come from the thread that runs it,
 * which they do: every call here is made inside one {@code forwardBackward}.
 */
final class TorchAutocast {
  /** c10::ScalarType::Half. */
  static final int HALF = 5;
  /** c10::ScalarType::BFloat16. */
  static final int BFLOAT16 = 15;
  /** c10::DeviceType::CPU. */
  static final int CPU = 0;
  /** c10::DeviceType::CUDA. */
  static final int CUDA = 1;

  private static final String LIBRARY = "libtorch_cpu.so";
  private static final String SET_ENABLED = "_ZN2at8autocast20set_autocast_enabledEN3c1010DeviceTypeEb";
  private static final String IS_ENABLED = "_ZN2at8autocast19is_autocast_enabledEN3c1010DeviceTypeE";
  private static final String SET_DTYPE = "_ZN2at8autocast18set_autocast_dtypeEN3c1010DeviceTypeENS1_10ScalarTypeE";
  private static final String CLEAR_CACHE = "_ZN2at8autocast11clear_cacheEv";

  private static volatile TorchAutocast instance;

  private final Function setEnabled;
  private final Function isEnabled;
  private final Function setDtype;
  private final Function clearCache;

  private TorchAutocast(NativeLibrary lib) {
    this.setEnabled = lib.getFunction(SET_ENABLED);
    this.isEnabled = lib.getFunction(IS_ENABLED);
    this.setDtype = lib.getFunction(SET_DTYPE);
    this.clearCache = lib.getFunction(CLEAR_CACHE);
  }

  /**
   * Binds the autocast functions of the libtorch that DJL has loaded into this process (DJL must be loaded first).
   *
   * @throws EngineException when the loaded libtorch cannot be found or lacks one of the functions
   */
  static TorchAutocast bind() {
    TorchAutocast a = instance;
    if (a == null) {
      synchronized (TorchAutocast.class) {
        a = instance;
        if (a == null) {
          Path library = loadedLibtorch();
          try {
            a = new TorchAutocast(NativeLibrary.getInstance(library.toString()));
          } catch (UnsatisfiedLinkError e) {
            throw new EngineException("mixed precision needs libtorch's at::autocast functions (libtorch 2.7), but "
                + library + " does not provide them: " + e.getMessage() + "; train in FLOAT32", e);
          }
          instance = a;
        }
      }
    }
    return a;
  }

  /** The path of the {@value #LIBRARY} mapped into this process, read from {@code /proc/self/maps}. */
  private static Path loadedLibtorch() {
    List<String> maps;
    try {
      maps = Files.readAllLines(Paths.get("/proc/self/maps"));
    } catch (IOException | RuntimeException e) {
      throw new EngineException("mixed precision needs libtorch's autocast functions, but /proc/self/maps cannot be "
          + "read to find the loaded " + LIBRARY + " (" + e + "); train in FLOAT32", e);
    }
    for (String line : maps) {
      int slash = line.indexOf('/');
      if (slash >= 0 && line.endsWith("/" + LIBRARY)) {
        return Paths.get(line.substring(slash));
      }
    }
    throw new EngineException("mixed precision needs libtorch's autocast functions, but no " + LIBRARY + " is "
        + "loaded in this process (DJL's PyTorch engine must be loaded first); train in FLOAT32");
  }

  /**
   * Runs {@code op} with autocast on for {@code deviceType} in {@code scalarType}, then restores the previous switch
   * (the dtype is left set; it only matters while the switch is on).
   */
  <T> T run(int deviceType, int scalarType, Supplier<T> op) {
    boolean was = (isEnabled.invokeInt(new Object[] {deviceType}) & 0xFF) != 0;
    setDtype.invokeVoid(new Object[] {deviceType, scalarType});
    setEnabled.invokeVoid(new Object[] {deviceType, 1});
    try {
      return op.get();
    } finally {
      setEnabled.invokeVoid(new Object[] {deviceType, was ? 1 : 0});
    }
  }

  /**
   * Drops the calling thread's cache of cast parameters. libtorch keeps the 16-bit copy of each float32 leaf that
   * requires a gradient until this is called, so it must run after every forward pass: the optimiser then updates the
   * float32 masters in place and the next forward must cast them afresh.
   */
  void clearCache() {
    clearCache.invokeVoid(new Object[0]);
  }
}
