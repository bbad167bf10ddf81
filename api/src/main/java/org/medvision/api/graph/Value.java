package org.medvision.api.graph;

import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;

/**
 * A handle to a value while a graph is being built: its name and inferred type.
 *
 * @param info name, dtype and shape
 */
public record Value(ValueInfo info) {
  /** The value's name in the graph. */
  public String name() {
    return info.name();
  }

  /** The inferred shape. */
  public Shape shape() {
    return info.shape();
  }

  /** The element type. */
  public DType dtype() {
    return info.dtype();
  }
}
