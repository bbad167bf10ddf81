package org.medvision.api.graph;

import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;

/**
 * A named value's type: dtype and shape, where the shape may have dynamic dimensions.
 *
 * @param name value name, unique in its graph
 * @param dtype element type
 * @param shape shape; {@link Shape#DYNAMIC} marks dimensions known only at run time
 */
public record ValueInfo(String name, DType dtype, Shape shape) {
  @Override
  public String toString() {
    return name + ": " + dtype + shape;
  }
}
