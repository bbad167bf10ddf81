package org.medvision.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one epoch measured. Values that were not measured are NaN.
 *
 * @param epoch 1-based epoch number
 * @param learningRate the rate of the epoch's last optimiser step
 * @param trainLoss mean total training loss over the epoch's micro-batches (as optimised)
 * @param trainTerms mean of each named loss term over the epoch (empty for a single unnamed loss)
 * @param val the validation metrics by key (e.g. {@code loss}, {@code acc}, {@code auroc}, {@code attention_dice})
 * @param examplesPerSecond training examples per second of the epoch (forward, backward and update; data loading
 *     included)
 * @param seconds wall time of the epoch, validation included
 */
public record EpochMetrics(int epoch, double learningRate, double trainLoss, Map<String, Double> trainTerms,
    Map<String, Double> val, double examplesPerSecond, double seconds) {
  /** Copies the maps, keeping order. */
  public EpochMetrics {
    trainTerms = Collections.unmodifiableMap(new LinkedHashMap<>(trainTerms == null ? Map.of() : trainTerms));
    val = Collections.unmodifiableMap(new LinkedHashMap<>(val == null ? Map.of() : val));
  }

  /** Validation metric {@code key}, or NaN when not measured. */
  public double val(String key) {
    Double v = val.get(key);
    return v == null ? Double.NaN : v;
  }
}
