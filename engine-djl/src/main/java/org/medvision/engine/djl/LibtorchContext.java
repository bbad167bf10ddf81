package org.medvision.engine.djl;

import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Paths;
import org.medvision.api.engine.EngineException;

/**
 * libtorch's process-wide {@code at::Context} switch for oneDNN (what Python calls
 * {@code torch.backends.mkldnn.enabled}), which DJL's JNI layer does not expose. The two exported C++ functions are
 * called through JNA on the libtorch DJL loaded: {@code at::globalContext()} and the member
 * {@code at::Context::setUserEnabledMkldnn(bool)}, whose Itanium-ABI form takes the context as first argument.
 */
final class LibtorchContext {
  private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
  private static final String SET_MKLDNN = "_ZN2at7Context20setUserEnabledMkldnnEb";
  private static final String GET_MKLDNN = "_ZNK2at7Context17userEnabledMkldnnEv";
  private static final String NNPACK_AVAILABLE = "_ZN2at6native17_nnpack_availableEv";
  private static final String SET_NNPACK = "_ZN2at7Context20setUserEnabledNNPACKEb";
  private static final String GET_NNPACK = "_ZNK2at7Context17userEnabledNNPACKEv";

  private final NativeLibrary torchCpu;
  private final Pointer context;

  private LibtorchContext(NativeLibrary torchCpu, Pointer context) {
    this.torchCpu = torchCpu;
    this.context = context;
  }

  /**
   * Binds to the {@code libtorch_cpu.so} that DJL loaded; call after DJL's PyTorch engine is up.
   *
   * @throws EngineException when the library or one of the functions cannot be found (a libtorch other than the
   *     2.x cxx11-ABI builds DJL 0.36 uses)
   */
  static LibtorchContext bind() {
    String library = Paths.get(LibUtils.getLibtorchPath(), "libtorch_cpu.so").toString();
    try {
      NativeLibrary lib = NativeLibrary.getInstance(library);
      Pointer context = lib.getFunction(GLOBAL_CONTEXT).invokePointer(new Object[0]);
      lib.getFunction(SET_MKLDNN);
      lib.getFunction(GET_MKLDNN);
      return new LibtorchContext(lib, context);
    } catch (RuntimeException | LinkageError e) {
      throw new EngineException("cannot reach libtorch's oneDNN switch (at::Context::setUserEnabledMkldnn) in "
          + library + ": " + e.getMessage(), e);
    }
  }

  /** Whether libtorch may pick oneDNN kernels (convolutions above all); true unless switched off. */
  boolean oneDnnEnabled() {
    // A C++ bool comes back in the low byte of the return register; the rest is undefined.
    return (function(GET_MKLDNN).invokeInt(new Object[] {context}) & 0xff) != 0;
  }

  /** Lets libtorch pick oneDNN kernels, or makes it use its own (im2col and GEMM, direct loops) for every op. */
  void setOneDnnEnabled(boolean enabled) {
    function(SET_MKLDNN).invokeVoid(new Object[] {context, enabled});
  }

  /**
   * Switches NNPACK off when it cannot start on this CPU. libtorch asks NNPACK before every eligible convolution and,
   * where NNPACK's CPU detection fails (the virtual machines of {@link OneDnnConvolutionCheck}), logs "Could not
   * initialize NNPACK! Reason: Unsupported hardware." each time, hundreds of lines an epoch; switched off, libtorch
   * no longer asks. The first question still logs its line once.
   *
   * @return whether NNPACK was switched off
   */
  boolean switchOffUnavailableNnpack() {
    boolean available = nnpackAvailable();
    if (!available) {
      function(SET_NNPACK).invokeVoid(new Object[] {context, false});
    }
    return !available;
  }

  /** Whether NNPACK started on this CPU (asking logs libtorch's warning once where it did not). */
  boolean nnpackAvailable() {
    return (function(NNPACK_AVAILABLE).invokeInt(new Object[0]) & 0xff) != 0;
  }

  /** Whether libtorch may use NNPACK. */
  boolean nnpackEnabled() {
    return (function(GET_NNPACK).invokeInt(new Object[] {context}) & 0xff) != 0;
  }

  private Function function(String symbol) {
    return torchCpu.getFunction(symbol);
  }
}
