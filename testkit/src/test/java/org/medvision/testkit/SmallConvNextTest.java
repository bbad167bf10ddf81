package org.medvision.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Initializers;
import org.medvision.api.weights.RandomWeights;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.fixtures.RandomTensors;
import org.medvision.testkit.fixtures.TensorAssertions;

/**
 * A small ConvNeXt (4 stages, dims 40..320, 10 blocks, 32x32 input, batch 2) written twice: with the pointwise
 * layers as linear layers in channels-last layout (as timm does) and as 1x1 convolutions in channels-first layout
 * (as the original ConvNeXt code does). With the same weights both must give the same logits, which checks conv,
 * gemm, layer norm, transposes and reshapes against each other through a realistic depth.
 */
class SmallConvNextTest {
  private static final int[] DIMS = {40, 80, 160, 320};
  private static final int[] DEPTHS = {2, 2, 4, 2};
  private static final int BATCH = 2;
  private static final int SIZE = 32;
  private static final int CLASSES = 5;

  @Test
  void linearAndPointwiseConvFormulationsAgree() {
    Graph linear = build(false);
    Graph conv = build(true);
    Weights weights = RandomWeights.initialize(linear, 7);
    Map<String, Tensor> reshaped = new LinkedHashMap<>();
    for (ParameterSpec p : conv.parameters()) {
      reshaped.put(p.name(), weights.tensors().get(p.name()).reshape(p.shape()));
    }
    Map<String, Tensor> in = Map.of("image", RandomTensors.uniform(Shape.of(BATCH, 3, SIZE, SIZE), -1, 1, 8));
    Tensor a = ReferenceInterpreter.run(linear, weights, in).get("logits");
    Tensor b = ReferenceInterpreter.run(conv, Weights.of(reshaped, "reshaped"), in).get("logits");
    assertEquals(Shape.of(BATCH, CLASSES), a.shape());
    for (float v : a.toFloatArray()) {
      assertTrue(Float.isFinite(v) && Math.abs(v) > 1e-6, "logit " + v);
    }
    // The two formulations add the bias before or after the same double sum, so roundings can differ by an ulp
    // here and there; through ten blocks that stays far below 1e-4 on logits of order 1.
    TensorAssertions.assertClose(a, b, 1e-4, 1e-4, "conv formulation vs linear formulation");
  }

  private static Graph build(boolean pointwiseConv) {
    GraphBuilder b = new GraphBuilder("convnext-" + (pointwiseConv ? "conv" : "linear"));
    Value x = b.input("image", DType.FLOAT32, Shape.of(BATCH, 3, SIZE, SIZE));
    int size = SIZE / 4;
    try (GraphBuilder.Scope s = b.scope("stem")) {
      x = conv(b, x, "0", 3, DIMS[0], 4, 1);
      x = channelNorm(b, x, "1", DIMS[0]);
    }
    for (int stage = 0; stage < DIMS.length; stage++) {
      try (GraphBuilder.Scope s = b.scope("stages." + stage)) {
        if (stage > 0) {
          x = channelNorm(b, x, "downsample.0", DIMS[stage - 1]);
          x = conv(b, x, "downsample.1", DIMS[stage - 1], DIMS[stage], 2, 1);
          size /= 2;
        }
        for (int block = 0; block < DEPTHS[stage]; block++) {
          try (GraphBuilder.Scope t = b.scope("blocks." + block)) {
            x = block(b, x, DIMS[stage], size, pointwiseConv);
          }
        }
      }
    }
    x = b.apply(Op.GLOBAL_AVG_POOL, x);
    x = b.apply(Op.FLATTEN, x);
    int d = DIMS[DIMS.length - 1];
    try (GraphBuilder.Scope s = b.scope("head")) {
      x = layerNorm(b, x, "norm", d);
      x = linear(b, x, "fc", d, CLASSES);
    }
    b.output("logits", x);
    return b.build();
  }

  private static Value block(GraphBuilder b, Value input, int dim, int size, boolean pointwiseConv) {
    Value x = conv(b, input, "conv_dw", dim, dim, 7, dim);
    Value gamma;
    if (pointwiseConv) {
      x = channelNorm(b, x, "norm", dim);
      x = conv(b, x, "mlp.fc1", dim, 4 * dim, 1, 1);
      x = b.apply(Op.GELU, x);
      x = conv(b, x, "mlp.fc2", 4 * dim, dim, 1, 1);
      gamma = b.parameter("gamma", Shape.of(dim, 1, 1), ParamRole.LAYER_SCALE, Initializers.uniform(0.5f));
    } else {
      x = b.apply(Op.TRANSPOSE, Attributes.builder().set("perm", 0L, 2L, 3L, 1L).build(), x);
      x = layerNorm(b, x, "norm", dim);
      x = b.apply(Op.RESHAPE, Attributes.builder().set("shape", -1L, (long) dim).build(), x);
      x = linear(b, x, "mlp.fc1", dim, 4 * dim);
      x = b.apply(Op.GELU, x);
      x = linear(b, x, "mlp.fc2", 4 * dim, dim);
      x = b.apply(Op.RESHAPE, Attributes.builder().set("shape", (long) BATCH, size, size, dim).build(), x);
      x = b.apply(Op.TRANSPOSE, Attributes.builder().set("perm", 0L, 3L, 1L, 2L).build(), x);
      gamma = b.parameter("gamma", Shape.of(dim), ParamRole.LAYER_SCALE, Initializers.uniform(0.5f));
      // Scaling after transposing back keeps the residual sum in the same layout as the conv formulation.
      gamma = b.apply(Op.UNSQUEEZE, Attributes.builder().set("axes", 1L, 2L).build(), gamma);
    }
    x = b.apply(Op.MUL, x, gamma);
    return b.apply(Op.ADD, input, x);
  }

  private static Value conv(GraphBuilder b, Value x, String name, int in, int out, int kernel, int groups) {
    try (GraphBuilder.Scope s = b.scope(name)) {
      Value w = b.parameter("weight", Shape.of(out, in / groups, kernel, kernel), ParamRole.WEIGHT,
          Initializers.kaimingUniform());
      Value bias = b.parameter("bias", Shape.of(out), ParamRole.BIAS, Initializers.uniform(0.1f));
      Attributes.Builder a = Attributes.builder().set("group", (long) groups);
      if (kernel == 7) {
        a.set("pads", 3L, 3L, 3L, 3L);
      } else if (kernel > 1) {
        a.set("strides", (long) kernel, kernel);
      }
      return b.apply(Op.CONV, a.build(), x, w, bias);
    }
  }

  private static Value linear(GraphBuilder b, Value x, String name, int in, int out) {
    try (GraphBuilder.Scope s = b.scope(name)) {
      Value w = b.parameter("weight", Shape.of(out, in), ParamRole.WEIGHT, Initializers.kaimingUniform());
      Value bias = b.parameter("bias", Shape.of(out), ParamRole.BIAS, Initializers.uniform(0.1f));
      return b.apply(Op.GEMM, Attributes.builder().set("transB", 1L).build(), x, w, bias);
    }
  }

  private static Value layerNorm(GraphBuilder b, Value x, String name, int dim) {
    try (GraphBuilder.Scope s = b.scope(name)) {
      Value scale = b.parameter("weight", Shape.of(dim), ParamRole.NORM_SCALE, Initializers.ones());
      Value bias = b.parameter("bias", Shape.of(dim), ParamRole.NORM_BIAS, Initializers.uniform(0.1f));
      return b.apply(Op.LAYER_NORM, Attributes.builder().set("epsilon", 1e-6f).build(), x, scale, bias);
    }
  }

  /** LayerNorm over the channels of NCHW data: transpose to channels-last, normalise, transpose back. */
  private static Value channelNorm(GraphBuilder b, Value x, String name, int dim) {
    Value t = b.apply(Op.TRANSPOSE, Attributes.builder().set("perm", 0L, 2L, 3L, 1L).build(), x);
    t = layerNorm(b, t, name, dim);
    return b.apply(Op.TRANSPOSE, Attributes.builder().set("perm", 0L, 3L, 1L, 2L).build(), t);
  }
}
