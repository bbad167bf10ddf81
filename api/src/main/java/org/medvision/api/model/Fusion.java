package org.medvision.api.model;

import java.util.List;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Value;
import org.medvision.api.registry.Named;

/**
 * Combines several feature vectors of one length into one vector. Registered in
 * {@code META-INF/services/org.medvision.api.model.Fusion}.
 */
public interface Fusion extends Named {
  /** Length of the fused vector for {@code count} inputs of length {@code featureDim}. */
  int outputDim(int featureDim, int count);

  /**
   * Emits the fusion under the builder's current scope.
   *
   * @param features one or more [N, d] values of equal d
   * @return [N, outputDim(d, features.size())]
   */
  Value fuse(GraphBuilder builder, List<Value> features);
}
