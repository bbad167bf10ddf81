package org.medvision.engine.tensorflow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.medvision.api.graph.ParameterSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Parameters as reads of the training session's resource variables, for a lowering: the gradients are taken with
 * respect to these reads (never the variables themselves, whose gradient path crashed TensorFlow's C API), so the
 * source remembers the read it gave for each parameter.
 */
final class VariableReads implements ParameterSource {
  private final ResourceVariables variables;
  private final Map<String, Operand<TFloat32>> reads = new LinkedHashMap<>();

  VariableReads(ResourceVariables variables) {
    this.variables = variables;
  }

  @Override
  public Operand<TFloat32> value(Ops tf, ParameterSpec spec) {
    Operand<TFloat32> read = variables.read(tf, spec.name());
    reads.put(spec.name(), read);
    return read;
  }

  /** The reads handed out so far, by parameter name. */
  Map<String, Operand<TFloat32>> reads() {
    return Collections.unmodifiableMap(reads);
  }
}
