package org.medvision.api.model;

import java.util.List;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Value;
import org.medvision.api.registry.Named;

/**
 * An image encoder family (e.g. {@code convnext}) with named size variants. Registered in
 * {@code META-INF/services/org.medvision.api.model.Encoder}.
 */
public interface Encoder extends Named {
  /** Variant names, smallest first. */
  List<String> variants();

  /**
   * Length of the feature vector {@link #encode} returns.
   *
   * @throws org.medvision.api.registry.UnknownNameException for an unknown variant
   */
  int featureDim(String variant);

  /**
   * Emits the encoder. Parameter names are relative to the builder's current scope and follow the reference
   * implementation's checkpoint names (e.g. timm), so its weights load without renaming.
   *
   * @param image [N, C, H, W] float32
   * @return [N, featureDim] pooled features
   */
  Value encode(GraphBuilder builder, Value image, String variant);
}
