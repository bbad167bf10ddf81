package org.medvision.api.training;

/**
 * The arithmetic a training step uses. FLOAT32 is the default everywhere; the mixed precisions are meant for CUDA,
 * and an engine may also run them on the CPU when the user asks for them explicitly (the DJL engine does; engines
 * that cannot refuse them with an {@link org.medvision.api.engine.EngineException}).
 */
public enum Precision {
  /** Float32 everywhere; the default on every device. */
  FLOAT32,
  /**
   * Automatic mixed precision: convolution and matrix products compute in bfloat16 from float32 master weights;
   * everything else, the gradients and the optimiser stay float32. No loss scaling.
   */
  BF16_MIXED,
  /**
   * Automatic mixed precision as {@link #BF16_MIXED} but in float16, with dynamic loss scaling: steps whose gradients
   * overflow are skipped and the scale backs off.
   */
  FP16_MIXED
}
