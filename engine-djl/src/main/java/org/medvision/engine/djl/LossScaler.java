package org.medvision.engine.djl;

import org.medvision.api.MedvisionException;

/**
 * Dynamic loss scaling for float16 training, as PyTorch's {@code GradScaler} defines it: the loss is multiplied by
 * the scale before backward so that small gradients survive float16, and the gradients are divided by it again
 * before anyone reads them. An optimiser step whose gradients hold an infinity or NaN is skipped and the scale is
 * multiplied by the backoff factor; after {@code growthInterval} consecutive finite steps it is multiplied by the
 * growth factor.
 *
 * <p>Defaults: initial scale 2<sup>16</sup>, growth factor 2, backoff factor 0.5, growth interval 2000. Not
 * thread-safe; owned by one training session.
 */
final class LossScaler {
  /** PyTorch's initial scale, 2^16. */
  static final float INITIAL_SCALE = 65536f;
  /** Multiplier after {@link #DEFAULT_GROWTH_INTERVAL} finite steps. */
  static final float GROWTH_FACTOR = 2f;
  /** Multiplier after a step with a non-finite gradient. */
  static final float BACKOFF_FACTOR = 0.5f;
  /** Consecutive finite steps before the scale grows. */
  static final int DEFAULT_GROWTH_INTERVAL = 2000;

  private final int growthInterval;
  private float scale;
  private long growthTracker;
  private long skippedSteps;

  /**
   * A scaler at the initial scale.
   *
   * @param growthInterval consecutive finite steps before growth, at least 1
   */
  LossScaler(int growthInterval) {
    if (growthInterval < 1) {
      throw new MedvisionException("the loss scaler's growth interval must be at least 1, got " + growthInterval);
    }
    this.growthInterval = growthInterval;
    this.scale = INITIAL_SCALE;
  }

  /** The factor the next backward pass multiplies the loss by. */
  float scale() {
    return scale;
  }

  /** Finite steps since the last growth or backoff. */
  long growthTracker() {
    return growthTracker;
  }

  /** Optimiser steps skipped because of a non-finite gradient, over the session's life (resumes included). */
  long skippedSteps() {
    return skippedSteps;
  }

  /** Consecutive finite steps before the scale grows. */
  int growthInterval() {
    return growthInterval;
  }

  /**
   * Records the outcome of one optimiser step: {@code foundNonFinite} backs off (and counts a skipped step),
   * otherwise the step counts towards growth.
   */
  void update(boolean foundNonFinite) {
    if (foundNonFinite) {
      scale *= BACKOFF_FACTOR;
      growthTracker = 0;
      skippedSteps++;
    } else if (++growthTracker == growthInterval) {
      scale *= GROWTH_FACTOR;
      growthTracker = 0;
    }
  }

  /**
   * Restores a saved state.
   *
   * @throws MedvisionException for a scale that is not positive and finite, or negative counts
   */
  void restore(float savedScale, long savedGrowthTracker, long savedSkippedSteps) {
    if (!(savedScale > 0 && Float.isFinite(savedScale)) || savedGrowthTracker < 0 || savedSkippedSteps < 0) {
      throw new MedvisionException("loss scaler state is invalid: scale " + savedScale + ", growth tracker "
          + savedGrowthTracker + ", skipped steps " + savedSkippedSteps);
    }
    scale = savedScale;
    // A tracker saved under a longer interval would otherwise never reach this one's.
    growthTracker = Math.min(savedGrowthTracker, growthInterval - 1L);
    skippedSteps = savedSkippedSteps;
  }

  @Override
  public String toString() {
    return "loss scale " + scale + ", " + skippedSteps + " skipped step(s)";
  }
}
