package org.medvision.api.graph;

import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;

/**
 * A parameter or buffer a graph declares: weights files must supply exactly these names with these shapes.
 *
 * @param name dotted hierarchical name, e.g. {@code encoder1.stages.0.blocks.1.conv_dw.weight}
 * @param dtype element type the graph computes with
 * @param shape fully known shape, in PyTorch layout (conv [out, in/groups, k...], linear [out, in])
 * @param role what the value is for (decides trainability and weight decay)
 * @param initializer how to fill it when training from scratch
 */
public record ParameterSpec(String name, DType dtype, Shape shape, ParamRole role, Initializer initializer) {
  /** Number of elements. */
  public long size() {
    return shape.size();
  }
}
