package org.medvision.api.training;

/** The arithmetic a training step uses. */
public enum Precision {
  /** Float32 everywhere; the only choice on CPU. */
  FLOAT32,
  /** Automatic mixed precision with bfloat16 compute and float32 master weights (CUDA only). */
  BF16_MIXED,
  /** Automatic mixed precision with float16 compute, float32 master weights and dynamic loss scaling (CUDA only). */
  FP16_MIXED
}
