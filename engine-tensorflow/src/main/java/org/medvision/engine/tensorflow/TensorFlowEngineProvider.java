package org.medvision.engine.tensorflow;

import java.util.List;
import java.util.Set;
import org.medvision.api.engine.Device;
import org.medvision.api.engine.Engine;
import org.medvision.api.engine.EngineCapabilities;
import org.medvision.api.engine.EngineException;
import org.medvision.api.engine.EngineProvider;
import org.medvision.api.tensor.DType;

/**
 * Registers the TensorFlow Java engine under the name {@code tensorflow}: inference of every IR op except the losses
 * (which only training graphs contain), in float32, on the CPU, or on CUDA when the module is built with
 * {@code -Pcuda} and the machine has CUDA 12 and cuDNN 9; training graphs (with the losses) through
 * {@link org.medvision.api.engine.Engine#train}.
 *
 * <p>Discovery is free of side effects: no TensorFlow class that loads natives is touched until {@link #create()}.
 */
public final class TensorFlowEngineProvider implements EngineProvider {
  static final String NAME = "tensorflow";
  static final String ARTIFACT = "org.medvision:medvision-engine-tensorflow (org.tensorflow:tensorflow-core-native "
      + "linux-x86_64, or linux-x86_64-gpu with -Pcuda)";
  static final EngineCapabilities CAPABILITIES = new EngineCapabilities(List.of(Device.Kind.CPU, Device.Kind.CUDA),
      Set.of(DType.FLOAT32), java.util.EnumSet.allOf(org.medvision.api.graph.Op.class), true);

  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public TensorFlowEngineProvider() {}

  /** Always {@code tensorflow}. */
  @Override
  public String name() {
    return NAME;
  }

  /** One line for engine listings. */
  @Override
  public String description() {
    return "TensorFlow Java (TensorFlow 2.18): inference on CPU, or CUDA with the -Pcuda native build";
  }

  /** CPU and CUDA devices, float32, every IR op (the losses in training graphs), training; known without natives. */
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
   * Loads TensorFlow's native library (about 1 s; the first run extracts about 650 MB to {@code ~/.javacpp/cache})
   * and returns an engine over it.
   *
   * @throws EngineException if the native library cannot be loaded, saying which jar or directory is at fault
   */
  @Override
  public Engine create() {
    return new TensorFlowEngine(TfRuntime.load());
  }
}
