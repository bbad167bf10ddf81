package org.medvision.engine.tensorflow;

import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Initializer;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.testkit.engine.EngineTestModels;

/**
 * Graphs only this module's tests run; the conv classifier and seeded weights shared with the other engines are in
 * {@link EngineTestModels}.
 */
final class TestModels {
  private static final Initializer UNUSED = EngineTestModels.SUPPLIED_WEIGHTS;
  private static final Attributes TO_CHANNELS_LAST = Attributes.builder().set("perm", 0L, 2L, 3L, 1L).build();
  private static final Attributes TO_CHANNELS_FIRST = Attributes.builder().set("perm", 0L, 3L, 1L, 2L).build();

  private TestModels() {}

  /**
   * Two ConvNeXt blocks as the tasks module writes them (timm's layout) on x [N, 8, 14, 14], dynamic batch:
   * depthwise 7x7 conv, transpose to channels-last, LayerNorm, Linear (MatMul with a transposed weight, Add), GELU,
   * Linear, layer scale, transpose back, residual Add; then a BatchNorm, a ReLU and a 2x2 max pool.
   */
  static Graph convNextBlocks() {
    GraphBuilder b = new GraphBuilder("convnext-blocks");
    Value x = b.input("x", DType.FLOAT32, Shape.of(-1, 8, 14, 14));
    for (int i = 0; i < 2; i++) {
      String p = "blocks." + i + ".";
      Value y = b.apply(Op.CONV, Attributes.builder().set("group", 8L).set("pads", 3L, 3L, 3L, 3L).build(), x,
          b.parameter(p + "conv_dw.weight", Shape.of(8, 1, 7, 7), ParamRole.WEIGHT, UNUSED),
          b.parameter(p + "conv_dw.bias", Shape.of(8), ParamRole.BIAS, UNUSED));
      y = b.apply(Op.TRANSPOSE, TO_CHANNELS_LAST, y);
      y = b.apply(Op.LAYER_NORM, Attributes.builder().set("epsilon", 1e-6f).build(), y,
          b.parameter(p + "norm.weight", Shape.of(8), ParamRole.NORM_SCALE, UNUSED),
          b.parameter(p + "norm.bias", Shape.of(8), ParamRole.NORM_BIAS, UNUSED));
      y = linear(b, p + "mlp.fc1", y, 8, 32);
      y = b.apply(Op.GELU, y);
      y = linear(b, p + "mlp.fc2", y, 32, 8);
      y = b.apply(Op.MUL, y, b.parameter(p + "gamma", Shape.of(8), ParamRole.LAYER_SCALE, UNUSED));
      y = b.apply(Op.TRANSPOSE, TO_CHANNELS_FIRST, y);
      x = b.apply(Op.ADD, x, y);
    }
    x = b.apply(Op.BATCH_NORM, x, b.parameter("bn.weight", Shape.of(8), ParamRole.NORM_SCALE, UNUSED),
        b.parameter("bn.bias", Shape.of(8), ParamRole.NORM_BIAS, UNUSED),
        b.parameter("bn.running_mean", Shape.of(8), ParamRole.RUNNING_MEAN, UNUSED),
        b.parameter("bn.running_var", Shape.of(8), ParamRole.RUNNING_VAR, UNUSED));
    x = b.apply(Op.RELU, x);
    x = b.apply(Op.MAX_POOL, Attributes.builder().set("kernel_shape", 2L, 2L).set("strides", 2L, 2L).build(), x);
    b.output("features", x);
    return b.build();
  }

  private static Value linear(GraphBuilder b, String name, Value x, int in, int out) {
    Value w = b.parameter(name + ".weight", Shape.of(out, in), ParamRole.WEIGHT, UNUSED);
    Value wt = b.apply(Op.TRANSPOSE, Attributes.builder().set("perm", 1L, 0L).build(), w);
    return b.apply(Op.ADD, b.apply(Op.MATMUL, x, wt), b.parameter(name + ".bias", Shape.of(out), ParamRole.BIAS,
        UNUSED));
  }
}
