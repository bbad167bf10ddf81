package org.medvision.api.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * Independent label probabilities (sigmoids) of a multi-label output.
 *
 * @param labels label names, in output order
 * @param probabilities one per label
 * @param threshold the probability from which a label counts as present
 */
public record LabelProbabilities(List<String> labels, float[] probabilities, float threshold) implements Prediction {
  /** Checks and copies. */
  public LabelProbabilities {
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

  /** The labels at or above the threshold, in output order. */
  public List<String> present() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < probabilities.length; i++) {
      if (probabilities[i] >= threshold) {
        out.add(labels.get(i));
      }
    }
    return out;
  }
}
