package org.medvision.io.dicom;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A classifier's verdict on one slice.
 *
 * @param probabilities label to probability, in the task's label order
 * @param topIndex index of the most probable label (the first one on ties)
 * @param topLabel that label
 * @param topProbability its probability
 */
public record SlicePrediction(Map<String, Float> probabilities, int topIndex, String topLabel, float topProbability) {
  /** Copies the probabilities, keeping label order. */
  public SlicePrediction {
    probabilities = Collections.unmodifiableMap(new LinkedHashMap<>(probabilities));
  }
}
