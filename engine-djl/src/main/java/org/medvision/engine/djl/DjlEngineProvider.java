package org.medvision.engine.djl;

import java.util.List;
import java.util.Set;
import org.medvision.api.engine.Device;
import org.medvision.api.engine.Engine;
import org.medvision.api.engine.EngineCapabilities;
import org.medvision.api.engine.EngineException;
import org.medvision.api.engine.EngineProvider;
import org.medvision.api.tensor.DType;

/**
 * Registers the DJL engine under the name {@code djl}: inference and training of every IR op, losses included, in
 * float32 on the CPU (natives from {@code ai.djl.pytorch:pytorch-native-cpu}) or on CUDA with a local libtorch build
 * (see {@link DjlRuntime}); training also in bfloat16 or float16 mixed precision ({@link MixedPrecision}).
 *
 * <p>Discovery is free of side effects: no DJL class that loads natives is touched until {@link #create()}.
 */
public final class DjlEngineProvider implements EngineProvider {
  static final String NAME = "djl";
  static final String ARTIFACT = "org.medvision:medvision-engine-djl (ai.djl.pytorch:pytorch-native-cpu, or "
      + "PYTORCH_LIBRARY_PATH for CUDA)";
  static final EngineCapabilities CAPABILITIES = new EngineCapabilities(List.of(Device.Kind.CPU, Device.Kind.CUDA),
      Set.of(DType.FLOAT32), GraphInterpreter.SUPPORTED_OPS, true);

  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public DjlEngineProvider() {}

  /** Always {@code djl}. */
  @Override
  public String name() {
    return NAME;
  }

  /** One line for engine listings. */
  @Override
  public String description() {
    return "DJL on PyTorch (libtorch 2.7.1): inference and training on CPU, or CUDA with a local libtorch";
  }

  /** CPU and CUDA devices, float32, every IR op including the losses, training; known without loading natives. */
  @Override
  public EngineCapabilities capabilities() {
    return CAPABILITIES;
  }

  /** The Maven coordinates to add for this engine. */
  @Override
  public String artifact() {
    return ARTIFACT;
  }

  /**
   * Switches DJL to offline mode without tracking (unless the user configured either), loads the PyTorch natives
   * (about 0.5 s once extracted; the first run extracts about 430 MB to {@code ~/.djl.ai}) and returns an engine.
   *
   * @throws EngineException naming what failed: the native jar missing, the cache directory not writable, a
   *     libtorch under {@code PYTORCH_LIBRARY_PATH} that does not load
   */
  @Override
  public Engine create() {
    return new DjlEngine(DjlRuntime.load());
  }
}
