package org.medvision.api.pipeline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a pipeline predicted for one example, by result name (the task's output names).
 *
 * @param id the example's id
 * @param predictions result name to prediction, in the task's output order
 */
public record ExampleResult(String id, Map<String, Prediction> predictions) {
  /** Copies the map, keeping its order. */
  public ExampleResult {
    predictions = Collections.unmodifiableMap(new LinkedHashMap<>(predictions));
  }

  /** The first prediction of type {@code kind}. */
  public <P extends Prediction> Optional<P> first(Class<P> kind) {
    return predictions.values().stream().filter(kind::isInstance).map(kind::cast).findFirst();
  }
}
