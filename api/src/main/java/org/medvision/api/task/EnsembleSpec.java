package org.medvision.api.task;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ensemble a paper uses: members trained separately with different training options (same model options), whose
 * predictions are averaged (class and label probabilities, maps and images; detections cannot be averaged). Members
 * are ordinary training runs; {@code medvision ensemble} combines them.
 *
 * @param members member name to the training options that make it (e.g. {@code uniform} to {@code sampler=uniform})
 * @param description one line for listings
 */
public record EnsembleSpec(Map<String, Map<String, String>> members, String description) {
  /** Copies the members, keeping their order. */
  public EnsembleSpec {
    Map<String, Map<String, String>> m = new LinkedHashMap<>();
    members.forEach((k, v) -> m.put(k, Map.copyOf(v)));
    members = Collections.unmodifiableMap(m);
  }

  /** The member names, in order. */
  public List<String> names() {
    return List.copyOf(members.keySet());
  }
}
