package org.medvision.engine.tensorflow;

import org.medvision.api.engine.EngineException;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Parameters baked into the graph as constants, for inference: the session's constant folding then precomputes
 * everything that depends only on them (transposed filters, BatchNorm factors) once.
 */
final class ConstantParameters implements ParameterSource {
  private final Weights weights;

  /** Over weights already fitted to the graph ({@link Weights#fitTo}), so every parameter is present as float32. */
  ConstantParameters(Weights fitted) {
    this.weights = fitted;
  }

  @Override
  public Operand<TFloat32> value(Ops tf, ParameterSpec spec) {
    Tensor t = weights.find(spec.name()).orElseThrow(() -> new EngineException("parameter '" + spec.name()
        + "' has no value in weights " + weights.source()));
    return tf.constant(Shape.of(t.shape().dims()), DataBuffers.of(t.toFloatArray(), true, false));
  }
}
