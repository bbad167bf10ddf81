package org.medvision.api.training;

import org.medvision.api.engine.Device;

/**
 * How an engine runs training.
 *
 * @param device target device
 * @param seed seed of every random draw the engine makes (dropout and drop-path masks)
 * @param threads intra-op threads; 0 lets the engine choose
 * @param precision arithmetic; engines reject mixed precision on the CPU
 */
public record TrainingOptions(Device device, long seed, int threads, Precision precision) {
  /** CPU, float32, engine-chosen threads. */
  public static TrainingOptions cpu(long seed) {
    return new TrainingOptions(Device.CPU, seed, 0, Precision.FLOAT32);
  }
}
