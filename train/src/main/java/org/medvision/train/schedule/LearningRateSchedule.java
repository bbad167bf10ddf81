package org.medvision.train.schedule;

/** The learning rate of each optimiser step of a run. Implementations are immutable and thread-safe. */
@FunctionalInterface
public interface LearningRateSchedule {
  /**
   * The learning rate of optimiser step {@code step}.
   *
   * @param step 0-based index of the optimiser update over the whole run (not of the micro-batch)
   * @return a finite, non-negative rate
   */
  double rate(long step);
}
