package org.medvision.api.pipeline;

import java.util.List;

/**
 * Mutually exclusive class probabilities (a softmax), summing to 1.
 *
 * @param labels class names, in output order
 * @param probabilities one per class
 */
public record ClassProbabilities(List<String> labels, float[] probabilities) implements Prediction {
  /** Checks and copies. */
  public ClassProbabilities {
    labels = List.copyOf(labels);
    probabilities = probabilities.clone();
    if (labels.size() != probabilities.length) {
      throw new IllegalArgumentException(probabilities.length + " probabilities for labels " + labels);
    }
  }

  @Override
  public float[] probabilities() {
    return probabilities.clone();
  }

  /** The probability of class {@code index}. */
  public float probability(int index) {
    return probabilities[index];
  }

  /** The most probable class (the first on a tie). */
  public int top() {
    int best = 0;
    for (int i = 1; i < probabilities.length; i++) {
      if (probabilities[i] > probabilities[best]) {
        best = i;
      }
    }
    return best;
  }

  /** The most probable class's name. */
  public String topLabel() {
    return labels.get(top());
  }
}
