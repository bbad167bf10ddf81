package org.medvision.runtime.batch;

import java.util.Locale;

/** How a batch job's workers get their compiled model. */
public enum ModelSharing {
  /** One compiled model, run by every worker at once (one copy of the weights in memory). */
  SHARED,
  /** One compiled model per worker (weights in memory once per worker). */
  PER_WORKER;

  /**
   * The faster choice for {@code engine}, as measured on a 2-core machine (README, "Scale out"): ONNX Runtime and
   * TensorFlow run concurrent calls on one session, so workers share it; DJL serialises the calls on one model with a
   * lock, so each worker gets its own.
   */
  public static ModelSharing defaultFor(String engine) {
    return engine.toLowerCase(Locale.ROOT).equals("djl") ? PER_WORKER : SHARED;
  }
}
