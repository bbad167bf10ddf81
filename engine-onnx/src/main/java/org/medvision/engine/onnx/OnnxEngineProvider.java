package org.medvision.engine.onnx;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.medvision.api.engine.Device;
import org.medvision.api.engine.Engine;
import org.medvision.api.engine.EngineCapabilities;
import org.medvision.api.engine.EngineException;
import org.medvision.api.engine.EngineProvider;
import org.medvision.api.graph.Op;
import org.medvision.api.tensor.DType;

/**
 * Registers the ONNX Runtime engine under the name {@code onnx}: inference on the CPU, or on CUDA when the
 * {@code onnxruntime_gpu} artifact and CUDA 12 + cuDNN 9 are present. Every IR op of inference graphs is supported;
 * the losses, which only training graphs contain, are not, and there is no training.
 *
 * <p>Discovery is free of side effects: the native library is loaded only by {@link #create()}.
 */
public final class OnnxEngineProvider implements EngineProvider {
  static final String NAME = "onnx";
  static final String ARTIFACT = "org.medvision:medvision-engine-onnx (com.microsoft.onnxruntime:onnxruntime, or "
      + "onnxruntime_gpu for CUDA)";
  static final EngineCapabilities CAPABILITIES = new EngineCapabilities(List.of(Device.Kind.CPU, Device.Kind.CUDA),
      Set.of(DType.FLOAT32), inferenceOps(), false);

  private static Set<Op> inferenceOps() {
    Set<Op> ops = EnumSet.allOf(Op.class);
    ops.removeIf(Op::isLoss);
    return ops;
  }

  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public OnnxEngineProvider() {}

  /** Always {@code onnx}. */
  @Override
  public String name() {
    return NAME;
  }

  /** One line for engine listings. */
  @Override
  public String description() {
    return "ONNX Runtime: inference on CPU, or CUDA with onnxruntime_gpu";
  }

  /** CPU and CUDA devices, float32, every IR op, no training; known without loading natives. */
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
   * Loads ONNX Runtime's native library (first call only; about 0.2 s) and returns an engine over it.
   *
   * @throws EngineException if the native library cannot be loaded, with the reason
   */
  @Override
  public Engine create() {
    return OnnxEngine.load(OnnxModelWriter.EXTERNAL_DATA_THRESHOLD);
  }
}
