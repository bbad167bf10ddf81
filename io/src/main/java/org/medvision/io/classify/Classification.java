package org.medvision.io.classify;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A classifier's verdict on one input, whatever it came from (a file, a slice in memory).
 *
 * @param probabilities label to probability, in the task's label order (softmax for class logits, per-label sigmoid
 *     for multi-label logits)
 * @param topIndex index of the most probable label (the first one on a tie)
 * @param topLabel that label
 * @param topProbability its probability
 */
public record Classification(Map<String, Float> probabilities, int topIndex, String topLabel,
    float topProbability) {
  /** Copies the probabilities, keeping label order. */
  public Classification {
    probabilities = Collections.unmodifiableMap(new LinkedHashMap<>(probabilities));
  }
}
