package org.medvision.engine.tensorflow;

import org.medvision.api.graph.ParameterSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Supplies the TensorFlow node that reads each parameter while a graph is lowered. Inference uses
 * {@link VariableParameters}, which can store a parameter in whatever layout its readers want; a training lowering
 * supplies reads of resource variables in the declared layout ({@link VariableReads}), since the gradients are taken
 * with respect to those reads, and the rest of the lowering is unchanged.
 */
interface ParameterSource {
  /**
   * The value of {@code spec} in its declared (PyTorch) layout and shape. Called at most once per parameter per
   * lowering.
   *
   * @param tf the op factory of the graph being built
   */
  Operand<TFloat32> value(Ops tf, ParameterSpec spec);

  /**
   * Whether {@link #value(Ops, ParameterSpec, Layout)} may be asked for layouts other than the declared one. False by
   * default: the lowering then moves the declared value with Transposes in the graph.
   */
  default boolean storesAnyLayout() {
    return false;
  }

  /**
   * The value of {@code spec} stored in {@code layout} (physical axis {@code i} holds declared axis
   * {@code layout.logicalAxis(i)}). The lowering calls it only when {@link #storesAnyLayout()}, possibly more than
   * once for one layout (a parameter and its IR Transpose share storage), and such a source returns the operand it
   * gave the first time. The default supplies the declared layout only.
   *
   * @param tf the op factory of the graph being built
   * @throws IllegalStateException if the layout is not the declared one and this source cannot store it
   */
  default Operand<TFloat32> value(Ops tf, ParameterSpec spec, Layout layout) {
    if (!layout.isIdentity()) {
      throw new IllegalStateException("parameter '" + spec.name() + "' can only be read in its declared layout, not "
          + layout);
    }
    return value(tf, spec);
  }
}
