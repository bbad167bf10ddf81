package org.medvision.api.model;

import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Value;
import org.medvision.api.registry.Named;

/**
 * Maps a feature vector to task outputs (e.g. class logits). Registered in
 * {@code META-INF/services/org.medvision.api.model.Head}.
 */
public interface Head extends Named {
  /**
   * Emits the head under the builder's current scope.
   *
   * @param features [N, d]
   * @param outputs number of outputs (classes)
   * @return [N, outputs] logits
   */
  Value apply(GraphBuilder builder, Value features, int outputs);
}
