package org.medvision.engine.tensorflow;

import org.medvision.api.graph.ParameterSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Supplies the TensorFlow node that reads each parameter while a graph is lowered. Inference uses
 * {@link ConstantParameters}; a training lowering supplies reads of resource variables (each with its own shared
 * name) instead, and the rest of the lowering is unchanged. Called at most once per parameter per lowering.
 */
interface ParameterSource {
  /**
   * The value of {@code spec} in its declared (PyTorch) layout and shape.
   *
   * @param tf the op factory of the graph being built
   */
  Operand<TFloat32> value(Ops tf, ParameterSpec spec);
}
