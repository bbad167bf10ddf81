package org.medvision.train.schedule;

import org.medvision.api.MedvisionException;

/**
 * Linear warm-up followed by cosine annealing, stepped once per optimiser update.
 *
 * <p>With base rate {@code b}, final rate {@code m}, {@code W} warm-up steps and {@code T} steps in all, step
 * {@code s} (0-based) gets:
 * <ul>
 *   <li>{@code b·(s+1)/W} for {@code s < W}, so the first update already moves and step {@code W−1} reaches
 *       {@code b};
 *   <li>{@code m + (b−m)·(1 + cos(π·(s−W)/(T−W)))/2} for {@code W ≤ s < T}, so step {@code W} gets {@code b} and
 *       the rate falls towards {@code m}, which it would reach at step {@code T} (one past the last);
 *   <li>{@code m} for {@code s ≥ T}.
 * </ul>
 * This is timm's cosine scheduler with {@code warmup_prefix=True} evaluated per update, and, for {@code W = 0}, PyTorch's
 * {@code CosineAnnealingLR(T_max=T, eta_min=m)}.
 *
 * @param baseRate peak rate b, positive
 * @param finalRate rate m the cosine decays to, in [0, b]
 * @param warmupSteps W, at least 0
 * @param totalSteps T, greater than W
 */
public record WarmupCosineSchedule(double baseRate, double finalRate, long warmupSteps, long totalSteps)
    implements LearningRateSchedule {
  /** Checks the ranges. */
  public WarmupCosineSchedule {
    if (!(baseRate > 0) || Double.isInfinite(baseRate)) {
      throw new MedvisionException("learning rate must be a positive number, got " + baseRate);
    }
    if (!(finalRate >= 0 && finalRate <= baseRate)) {
      throw new MedvisionException("final learning rate must be between 0 and the base rate " + baseRate + ", got "
          + finalRate);
    }
    if (warmupSteps < 0 || totalSteps <= warmupSteps) {
      throw new MedvisionException("a warm-up cosine schedule needs 0 <= warm-up steps < total steps, got "
          + warmupSteps + " warm-up of " + totalSteps + " steps; use fewer warm-up epochs or more epochs");
    }
  }

  @Override
  public double rate(long step) {
    if (step < 0) {
      throw new MedvisionException("schedule step must be non-negative, got " + step);
    }
    if (step < warmupSteps) {
      return baseRate * (step + 1) / warmupSteps;
    }
    if (step >= totalSteps) {
      return finalRate;
    }
    double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
    return finalRate + (baseRate - finalRate) * 0.5 * (1 + Math.cos(Math.PI * progress));
  }
}
