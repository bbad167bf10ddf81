package org.medvision.io.classify;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The classification of one image.
 *
 * @param image the file classified
 * @param output the graph output the probabilities come from
 * @param probabilities label to probability, in the task's label order (softmax for class logits, per-label sigmoid
 *     for multi-label logits)
 * @param topLabel the most probable label (the first one on a tie)
 * @param topProbability its probability
 */
public record Prediction(Path image, String output, Map<String, Float> probabilities, String topLabel,
    float topProbability) {
  /** Copies the probabilities, keeping label order. */
  public Prediction {
    probabilities = Collections.unmodifiableMap(new LinkedHashMap<>(probabilities));
  }
}
