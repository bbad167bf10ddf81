package org.medvision.engine.onnx.nodetest;

/** The outcome of one node-test case. */
public enum CaseStatus {
  /** Every output matched the expected tensor within tolerance. */
  PASSED,
  /** The engine ran the case but an output differed (dtype, shape or values), or the engine failed on it. */
  FAILED,
  /**
   * The case uses something deliberately outside the IR or the engine (an attribute value, a dtype, an op the engine
   * lacks); the reason says what.
   */
  UNSUPPORTED,
  /** The case's own files could not be read or imported (a malformed model or tensor file). */
  ERROR
}
