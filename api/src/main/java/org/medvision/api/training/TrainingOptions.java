package org.medvision.api.training;

import org.medvision.api.engine.Device;

/**
 * How an engine runs training.
 *
 * @param device target device
 * @param seed seed of every random draw the engine makes (dropout and drop-path masks)
 * @param threads intra-op threads; 0 lets the engine choose
 * @param precision arithmetic; engines reject mixed precision on the CPU
 * @param lossGradientNormParameters a regular expression (matched against whole parameter names) choosing the
 *     parameters at which {@link TrainingSession#lossGradientNorms()} measures each loss term's gradient, e.g. the
 *     last shared layer for GradNorm; {@code null} when no such norms are wanted (they cost one extra backward pass
 *     per loss term)
 */
public record TrainingOptions(Device device, long seed, int threads, Precision precision,
    String lossGradientNormParameters) {
  /** Options without per-loss gradient norms. */
  public TrainingOptions(Device device, long seed, int threads, Precision precision) {
    this(device, seed, threads, precision, null);
  }

  /** CPU, float32, engine-chosen threads. */
  public static TrainingOptions cpu(long seed) {
    return new TrainingOptions(Device.CPU, seed, 0, Precision.FLOAT32);
  }

  /** These options measuring per-loss gradient norms at the parameters matching {@code pattern}. */
  public TrainingOptions withLossGradientNorms(String pattern) {
    return new TrainingOptions(device, seed, threads, precision, pattern);
  }
}
