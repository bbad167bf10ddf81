package org.medvision.testkit.engine;

import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;

/**
 * A small multi-node graph in the shape of a real model: convolution, channel-wise LayerNorm written as transpose
 * plus layer_norm, a linear layer (Gemm with transB), GELU and softmax. It checks that values flow correctly
 * between nodes, which single-op cases cannot.
 */
final class PipelineCase {
  private PipelineCase() {}

  /** The case: input "image" [N, 3, 9, 8] (dynamic batch, fed 2), one output of shape [2·5·4, 6]. */
  static ConformanceCase build() {
    CaseBuilder c = new CaseBuilder(Op.SOFTMAX, "pipeline conv, transpose, layer_norm, reshape, gemm, gelu, softmax");
    Value x = c.inputDynamicBatch("image", 2, 3, 9, 8);
    x = c.apply(Op.CONV, Attributes.builder().set("strides", 2L, 2L).set("pads", 1L, 1L, 1L, 1L).build(),
        x, c.weight("conv_w", 8, 3, 3, 3), c.parameter("conv_b", -0.1f, 0.1f, 8));
    x = c.apply(Op.TRANSPOSE, Attributes.builder().set("perm", 0L, 2L, 3L, 1L).build(), x);
    x = c.apply(Op.LAYER_NORM, x, c.parameter("norm_scale", ParamRole.NORM_SCALE, 0.5f, 1.5f, 8),
        c.parameter("norm_bias", ParamRole.NORM_BIAS, -0.5f, 0.5f, 8));
    x = c.apply(Op.RESHAPE, Attributes.builder().set("shape", -1L, 8L).build(), x);
    x = c.apply(Op.GEMM, Attributes.builder().set("transB", 1L).build(), x, c.weight("fc_w", 6, 8),
        c.parameter("fc_b", -0.1f, 0.1f, 6));
    x = c.apply(Op.GELU, x);
    x = c.apply(Op.SOFTMAX, x);
    return c.outputs(x);
  }
}
