package org.medvision.api.metrics;

import java.util.List;

/**
 * Tiny prediction sets whose metrics the tests work out by hand. Confidences sit inside the 15 calibration bins,
 * away from the edges k/15, so float rounding cannot move a sample between bins.
 */
final class Examples {
  static final List<String> ABC = List.of("A", "B", "C");

  /**
   * Eight samples, three classes. Predictions (arg-max): 0,0,1 | 1,1,2 | 2,0, where sample 7 ties A and C at 0.45
   * and goes to A, the lower index. Confusion rows (true A, B, C): [2,1,0], [0,2,1], [1,0,1].
   */
  static final int[] THREE_CLASS_LABELS = {0, 0, 0, 1, 1, 1, 2, 2};
  static final float[][] THREE_CLASS_PROBABILITIES = {
      {0.7f, 0.2f, 0.1f},
      {0.5f, 0.3f, 0.2f},
      {0.3f, 0.65f, 0.05f},
      {0.05f, 0.9f, 0.05f},
      {0.2f, 0.5f, 0.3f},
      {0.1f, 0.25f, 0.65f},
      {0.05f, 0.05f, 0.9f},
      {0.45f, 0.1f, 0.45f},
  };

  static final List<String> BINARY = List.of("negative", "positive");

  /**
   * Eight samples, two classes, positive-class scores 0.9 P, 0.6 P, 0.6 P, 0.6 N, 0.3 N, 0.3 P, 0.1 N, 0.05 N: a tie
   * group of two positives and a negative at 0.6 and one of a positive and a negative at 0.3, so grouping ties gives
   * a different average precision than either order within a group would.
   */
  static final int[] BINARY_LABELS = {1, 1, 1, 0, 0, 1, 0, 0};
  static final float[][] BINARY_PROBABILITIES = {
      {0.1f, 0.9f},
      {0.4f, 0.6f},
      {0.4f, 0.6f},
      {0.4f, 0.6f},
      {0.7f, 0.3f},
      {0.7f, 0.3f},
      {0.9f, 0.1f},
      {0.95f, 0.05f},
  };

  private Examples() {
  }

  static ClassificationMetrics threeClass() {
    return ClassificationMetrics.compute(THREE_CLASS_LABELS, THREE_CLASS_PROBABILITIES, ABC);
  }

  static ClassificationMetrics binary() {
    return ClassificationMetrics.compute(BINARY_LABELS, BINARY_PROBABILITIES, BINARY);
  }
}
