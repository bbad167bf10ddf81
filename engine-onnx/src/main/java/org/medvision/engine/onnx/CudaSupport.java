package org.medvision.engine.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import org.medvision.api.engine.EngineException;

/**
 * Adds ONNX Runtime's CUDA execution provider to session options, or explains precisely why it cannot: the CPU-only
 * {@code onnxruntime} artifact on the classpath, or a GPU artifact whose CUDA 12 / cuDNN 9 libraries are missing.
 */
final class CudaSupport {
  private CudaSupport() {}

  /** True when the ONNX Runtime build on the classpath contains the CUDA execution provider. */
  static boolean providerInBuild() {
    OrtEnvironments.disableTelemetryBeforeLoad();
    return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
  }

  /**
   * True when CUDA device {@code index} can be added to a session: the provider is in the build and its libraries
   * load. Loading the provider is slow the first time, so callers cache the answer.
   */
  static boolean usable(int index) {
    if (!providerInBuild()) {
      return false;
    }
    try (OrtSession.SessionOptions probe = new OrtSession.SessionOptions()) {
      probe.addCUDA(index);
      return true;
    } catch (OrtException | RuntimeException | LinkageError e) {
      return false;
    }
  }

  /**
   * Adds CUDA device {@code index} to {@code options}.
   *
   * @param ortVersion the ONNX Runtime version in use, for the artifact to swap to
   * @throws EngineException saying which artifact and system libraries are needed, with ORT's own error
   */
  static void add(OrtSession.SessionOptions options, int index, String ortVersion) {
    boolean inBuild = providerInBuild();
    try {
      options.addCUDA(index);
      return;
    } catch (OrtException | RuntimeException | LinkageError e) {
      String device = "cuda:" + index;
      String cause = e.getClass().getSimpleName() + ": " + e.getMessage();
      if (!inBuild) {
        throw new EngineException("device " + device + " was requested, but the ONNX Runtime on the classpath "
            + "(onnxruntime " + ortVersion + ", execution providers " + OrtEnvironment.getAvailableProviders()
            + ") is the CPU-only build. To run on CUDA, replace the dependency "
            + "com.microsoft.onnxruntime:onnxruntime with com.microsoft.onnxruntime:onnxruntime_gpu:" + ortVersion
            + " and install CUDA 12 and cuDNN 9 on this machine (the GPU jar bundles neither); or use device cpu "
            + "or auto. Underlying error: " + cause, e);
      }
      throw new EngineException("device " + device + " was requested and onnxruntime_gpu " + ortVersion
          + " is on the classpath, but its CUDA execution provider could not be initialised. It needs an NVIDIA "
          + "driver, CUDA 12 (libcudart.so.12, libcublas.so.12, libcublasLt.so.12, libcurand.so.10) and cuDNN 9 "
          + "on the library path; install them, or use device cpu or auto. Underlying error: " + cause, e);
    }
  }
}
