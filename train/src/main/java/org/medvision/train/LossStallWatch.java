package org.medvision.train;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;

/**
 * Notices a run whose training loss is not falling: after every {@code window} batches it compares the mean loss of
 * the last few batches with that of the first few, and says once, with what to try, when it has not fallen by
 * {@value #REQUIRED_DROP_PERCENT}%. Once the loss has fallen, it stops watching: a plateau late in a run is normal.
 */
final class LossStallWatch {
  /** Batches between checks by default. */
  static final int DEFAULT_WINDOW = 50;
  private static final int REQUIRED_DROP_PERCENT = 5;

  private final int window;
  private final int sample;
  private final double[] first;
  private final Deque<Double> recent = new ArrayDeque<>();
  private int seen;
  private boolean done;

  /** Checks every {@code window} batches (at least 2), comparing means of {@code window/5} batches. */
  LossStallWatch(int window) {
    this.window = Math.max(2, window);
    this.sample = Math.max(1, this.window / 5);
    this.first = new double[sample];
  }

  /**
   * Takes one batch's loss; returns the warning when this batch ends a window in which the loss has not fallen.
   *
   * @param advice what to try, appended to the warning
   */
  Optional<String> observe(double loss, String advice) {
    if (done) {
      return Optional.empty();
    }
    if (seen < sample) {
      first[seen] = loss;
    }
    recent.addLast(loss);
    if (recent.size() > sample) {
      recent.removeFirst();
    }
    seen++;
    if (seen % window != 0) {
      return Optional.empty();
    }
    double start = mean(first);
    double now = recent.stream().mapToDouble(Double::doubleValue).average().orElse(start);
    done = true;
    if (now < start * (1 - REQUIRED_DROP_PERCENT / 100.0)) {
      return Optional.empty();
    }
    return Optional.of(String.format(Locale.ROOT, "the training loss has not fallen in %d batches (mean of the "
        + "first %d: %.4f, of the last %d: %.4f); %s", seen, sample, start, sample, now, advice));
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }
}
