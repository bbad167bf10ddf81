package org.medvision.engine.tensorflow;

import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.internal.c_api.TF_Operation;

/**
 * Recognises the "no gradient" answer of {@code Graph.addGradients}. TensorFlow-Java does not return null for an x
 * the loss reaches only through a {@code StopGradient}: it wraps the C API's null operation in an {@link Output}
 * whose every use fails with a misleading "close() was called on the Graph".
 */
final class MissingGradients {
  private MissingGradients() {}

  /** Whether {@code gradient}, one element of {@code addGradients}' answer, stands for "no gradient". */
  static boolean isMissing(Output<?> gradient) {
    if (gradient == null) {
      return true;
    }
    if (!(gradient.op() instanceof GraphOperation op)) {
      return false;
    }
    TF_Operation handle = op.getUnsafeNativeHandle();
    return handle == null || handle.isNull();
  }
}
