package org.medvision.testkit.engine;

import static org.medvision.api.graph.Op.ADD;
import static org.medvision.api.graph.Op.AVG_POOL;
import static org.medvision.api.graph.Op.BATCH_NORM;
import static org.medvision.api.graph.Op.BCE_WITH_LOGITS;
import static org.medvision.api.graph.Op.CONCAT;
import static org.medvision.api.graph.Op.CONSTANT;
import static org.medvision.api.graph.Op.CONV;
import static org.medvision.api.graph.Op.CROSS_ENTROPY;
import static org.medvision.api.graph.Op.DIV;
import static org.medvision.api.graph.Op.DROPOUT;
import static org.medvision.api.graph.Op.DROP_PATH;
import static org.medvision.api.graph.Op.ERF;
import static org.medvision.api.graph.Op.FLATTEN;
import static org.medvision.api.graph.Op.GELU;
import static org.medvision.api.graph.Op.GEMM;
import static org.medvision.api.graph.Op.GLOBAL_AVG_POOL;
import static org.medvision.api.graph.Op.IDENTITY;
import static org.medvision.api.graph.Op.L1_LOSS;
import static org.medvision.api.graph.Op.LAYER_NORM;
import static org.medvision.api.graph.Op.MATMUL;
import static org.medvision.api.graph.Op.MAX_POOL;
import static org.medvision.api.graph.Op.MSE_LOSS;
import static org.medvision.api.graph.Op.MUL;
import static org.medvision.api.graph.Op.RELU;
import static org.medvision.api.graph.Op.RESHAPE;
import static org.medvision.api.graph.Op.SIGMOID;
import static org.medvision.api.graph.Op.SOFTMAX;
import static org.medvision.api.graph.Op.SOFT_DICE;
import static org.medvision.api.graph.Op.SQUEEZE;
import static org.medvision.api.graph.Op.SUB;
import static org.medvision.api.graph.Op.TRANSPOSE;
import static org.medvision.api.graph.Op.UNSQUEEZE;

import java.util.ArrayList;
import java.util.List;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/**
 * The catalogue of single-op conformance cases. Shapes are deliberately awkward: batch 1, odd extents, groups,
 * strides that do not divide the input, asymmetric padding, dilation, 1-D and 3-D variants, broadcasting from both
 * sides, negative axes and a dynamic batch. Each case's graph contains only nodes of its own op, so an engine that
 * lacks one op fails only that op's cases.
 */
final class OpCases {
  private OpCases() {}

  /** Every case, grouped by op in declaration order. */
  static List<ConformanceCase> all() {
    List<ConformanceCase> all = new ArrayList<>();
    conv(all);
    matmul(all);
    gemm(all);
    elementwise(all);
    activations(all);
    softmax(all);
    normalization(all);
    pooling(all);
    layout(all);
    constants(all);
    losses(all);
    VersionFourOpCases.addTo(all);
    return all;
  }

  private static Attributes.Builder attrs() {
    return Attributes.builder();
  }

  private static void conv(List<ConformanceCase> out) {
    CaseBuilder c = new CaseBuilder(CONV, "2d 3x3 pads 1 with bias, batch 1, odd 7x5 input");
    out.add(c.outputs(c.apply(CONV, attrs().set("pads", 1L, 1L, 1L, 1L).build(),
        c.input("x", 1, 3, 7, 5), c.weight("w", 4, 3, 3, 3), c.parameter("b", -1f, 1f, 4))));

    c = new CaseBuilder(CONV, "2d 3x2 stride 2, asymmetric pads (0,1,1,0), no bias");
    out.add(c.outputs(c.apply(CONV, attrs().set("strides", 2L, 2L).set("pads", 0L, 1L, 1L, 0L).build(),
        c.input("x", 2, 3, 9, 8), c.weight("w", 5, 3, 3, 2))));

    c = new CaseBuilder(CONV, "2d 3x3 dilation 2, pads 2");
    out.add(c.outputs(c.apply(CONV, attrs().set("dilations", 2L, 2L).set("pads", 2L, 2L, 2L, 2L).build(),
        c.input("x", 1, 2, 9, 7), c.weight("w", 3, 2, 3, 3))));

    c = new CaseBuilder(CONV, "2d grouped (group 2) with bias");
    out.add(c.outputs(c.apply(CONV, attrs().set("group", 2L).build(),
        c.input("x", 2, 4, 6, 5), c.weight("w", 6, 2, 3, 3), c.parameter("b", -1f, 1f, 6))));

    c = new CaseBuilder(CONV, "2d depthwise 7x7, pads 3 (ConvNeXt block)");
    out.add(c.outputs(c.apply(CONV, attrs().set("group", 8L).set("pads", 3L, 3L, 3L, 3L).build(),
        c.input("x", 1, 8, 7, 7), c.weight("w", 8, 1, 7, 7), c.parameter("b", -1f, 1f, 8))));

    c = new CaseBuilder(CONV, "2d 4x4 stride 4 patchify stem");
    out.add(c.outputs(c.apply(CONV, attrs().set("strides", 4L, 4L).build(),
        c.input("x", 2, 3, 8, 12), c.weight("w", 8, 3, 4, 4), c.parameter("b", -1f, 1f, 8))));

    c = new CaseBuilder(CONV, "2d 1x1 pointwise on 7x5");
    out.add(c.outputs(c.apply(CONV, c.input("x", 2, 5, 7, 5), c.weight("w", 3, 5, 1, 1))));

    c = new CaseBuilder(CONV, "1d k3 stride 2, dilation 2, pads (2,1), bias");
    out.add(c.outputs(c.apply(CONV, attrs().set("strides", new long[] {2}).set("dilations", new long[] {2})
            .set("pads", 2L, 1L).build(),
        c.input("x", 2, 3, 11), c.weight("w", 4, 3, 3), c.parameter("b", -1f, 1f, 4))));

    c = new CaseBuilder(CONV, "3d 3x3x3 stride (1,2,2), pads 1, bias");
    out.add(c.outputs(c.apply(CONV, attrs().set("strides", 1L, 2L, 2L).set("pads", 1L, 1L, 1L, 1L, 1L, 1L).build(),
        c.input("x", 1, 2, 5, 6, 7), c.weight("w", 3, 2, 3, 3, 3), c.parameter("b", -1f, 1f, 3))));

    // MedicalNet's dilated layer3 (2) and layer4 (4), on extents that are not multiples of the dilation.
    c = new CaseBuilder(CONV, "3d 3x3x3 dilation 2, pads 2, bias, odd extents");
    out.add(c.outputs(c.apply(CONV, attrs().set("dilations", 2L, 2L, 2L).set("pads", 2L, 2L, 2L, 2L, 2L, 2L).build(),
        c.input("x", 2, 3, 5, 6, 7), c.weight("w", 4, 3, 3, 3, 3), c.parameter("b", -1f, 1f, 4))));

    c = new CaseBuilder(CONV, "3d 3x3x3 dilation (4,1,4), pads (4,1,4)");
    out.add(c.outputs(c.apply(CONV, attrs().set("dilations", 4L, 1L, 4L).set("pads", 4L, 1L, 4L, 4L, 1L, 4L).build(),
        c.input("x", 1, 2, 6, 5, 9), c.weight("w", 3, 2, 3, 3, 3))));

    c = new CaseBuilder(CONV, "2d dynamic batch axis fed batch 3");
    out.add(c.outputs(c.apply(CONV, attrs().set("pads", 1L, 1L, 1L, 1L).build(),
        c.inputDynamicBatch("x", 3, 3, 6, 6), c.weight("w", 4, 3, 3, 3), c.parameter("b", -1f, 1f, 4))));
  }

  private static void matmul(List<ConformanceCase> out) {
    CaseBuilder c = new CaseBuilder(MATMUL, "2-D 7x5 by 5x3");
    out.add(c.outputs(c.apply(MATMUL, c.input("a", 7, 5), c.input("b", 5, 3))));

    c = new CaseBuilder(MATMUL, "4-D [2,3,4,5] by 2-D weight [5,6]");
    out.add(c.outputs(c.apply(MATMUL, c.input("a", 2, 3, 4, 5), c.weight("w", 5, 6))));

    // Attention scores Q·Kᵀ of a BERT layer: [batch, heads, tokens, head size] by [batch, heads, head size, tokens].
    c = new CaseBuilder(MATMUL, "batched 4-D [2,3,4,5] by 4-D [2,3,5,4]");
    out.add(c.outputs(c.apply(MATMUL, c.input("a", 2, 3, 4, 5), c.input("b", 2, 3, 5, 4))));

    c = new CaseBuilder(MATMUL, "batch broadcast [2,1,4,5] by [3,5,2]");
    out.add(c.outputs(c.apply(MATMUL, c.input("a", 2, 1, 4, 5), c.input("b", 3, 5, 2))));

    c = new CaseBuilder(MATMUL, "vector [5] by matrix [5,3]");
    out.add(c.outputs(c.apply(MATMUL, c.input("a", 5), c.input("b", 5, 3))));

    c = new CaseBuilder(MATMUL, "batched matrix [2,4,5] by vector [5]");
    out.add(c.outputs(c.apply(MATMUL, c.input("a", 2, 4, 5), c.input("b", 5))));

    c = new CaseBuilder(MATMUL, "vector [6] by vector [6] gives a scalar");
    out.add(c.outputs(c.apply(MATMUL, c.input("a", 6), c.input("b", 6))));
  }

  private static void gemm(List<ConformanceCase> out) {
    CaseBuilder c = new CaseBuilder(GEMM, "plain, C [N] broadcast over rows");
    out.add(c.outputs(c.apply(GEMM, c.input("a", 4, 6), c.weight("b", 6, 5), c.parameter("c", -1f, 1f, 5))));

    c = new CaseBuilder(GEMM, "transB (linear layer layout), alpha 0.5, beta 2");
    out.add(c.outputs(c.apply(GEMM, attrs().set("transB", 1L).set("alpha", 0.5f).set("beta", 2f).build(),
        c.input("a", 3, 7), c.weight("b", 4, 7), c.parameter("c", -1f, 1f, 4))));

    c = new CaseBuilder(GEMM, "transA, no C");
    out.add(c.outputs(c.apply(GEMM, attrs().set("transA", 1L).build(), c.input("a", 6, 4), c.weight("b", 6, 3))));

    c = new CaseBuilder(GEMM, "transA and transB, C [M,1] broadcast over columns");
    out.add(c.outputs(c.apply(GEMM, attrs().set("transA", 1L).set("transB", 1L).build(),
        c.input("a", 5, 3), c.weight("b", 4, 5), c.parameter("c", -1f, 1f, 3, 1))));

    c = new CaseBuilder(GEMM, "batch 1, full C [1,9], beta 0.25");
    out.add(c.outputs(c.apply(GEMM, attrs().set("beta", 0.25f).build(),
        c.input("a", 1, 7), c.weight("b", 7, 9), c.input("c", 1, 9))));
  }

  private static void elementwise(List<ConformanceCase> out) {
    CaseBuilder c = new CaseBuilder(ADD, "same shape 7x5");
    out.add(c.outputs(c.apply(ADD, c.input("a", 7, 5), c.input("b", 7, 5))));

    c = new CaseBuilder(ADD, "broadcast [2,3,4,5] + [3,1,5]");
    out.add(c.outputs(c.apply(ADD, c.input("a", 2, 3, 4, 5), c.input("b", 3, 1, 5))));

    c = new CaseBuilder(ADD, "broadcast from both sides [4,1] + [1,6]");
    out.add(c.outputs(c.apply(ADD, c.input("a", 4, 1), c.input("b", 1, 6))));

    c = new CaseBuilder(ADD, "per-channel parameter [2,8,3,3] + [8,1,1]");
    out.add(c.outputs(c.apply(ADD, c.input("x", 2, 8, 3, 3), c.parameter("b", -1f, 1f, 8, 1, 1))));

    c = new CaseBuilder(ADD, "single-element operand [1] on the left");
    out.add(c.outputs(c.apply(ADD, c.input("a", 1), c.input("b", 3, 5))));

    c = new CaseBuilder(SUB, "broadcast [2,3,4] - [4]");
    out.add(c.outputs(c.apply(SUB, c.input("a", 2, 3, 4), c.input("b", 4))));

    c = new CaseBuilder(SUB, "broadcast from both sides [3,1,5] - [2,1]");
    out.add(c.outputs(c.apply(SUB, c.input("a", 3, 1, 5), c.input("b", 2, 1))));

    c = new CaseBuilder(MUL, "same shape [2,3,7,5]");
    out.add(c.outputs(c.apply(MUL, c.input("a", 2, 3, 7, 5), c.input("b", 2, 3, 7, 5))));

    c = new CaseBuilder(MUL, "layer scale [1,4,4,8] * parameter [8]");
    out.add(c.outputs(c.apply(MUL, c.input("x", 1, 4, 4, 8), c.parameter("gamma", ParamRole.LAYER_SCALE, -1f, 1f, 8))));

    c = new CaseBuilder(DIV, "broadcast [2,3,5] / [3,1], divisors away from 0");
    out.add(c.outputs(c.apply(DIV, c.input("a", 2, 3, 5), c.inputAwayFromZero("b", 0.5f, 2f, 3, 1))));

    c = new CaseBuilder(DIV, "parameter numerator [5] / input [2,5]");
    out.add(c.outputs(c.apply(DIV, c.parameter("n", -2f, 2f, 5), c.inputAwayFromZero("d", 0.25f, 4f, 2, 5))));
  }

  private static void activations(List<ConformanceCase> out) {
    CaseBuilder c = new CaseBuilder(ERF, "values in [-4, 4), shape [3,7,5]");
    out.add(c.outputs(c.apply(ERF, c.input("x", -4f, 4f, 3, 7, 5))));

    c = new CaseBuilder(GELU, "exact (approximate none), values in [-5, 5)");
    out.add(c.outputs(c.apply(GELU, c.input("x", -5f, 5f, 2, 3, 7, 5))));

    c = new CaseBuilder(GELU, "tanh approximation, values in [-5, 5)");
    out.add(c.outputs(c.apply(GELU, attrs().set("approximate", "tanh").build(), c.input("x", -5f, 5f, 4, 9))));

    c = new CaseBuilder(RELU, "shape [2,3,7,5]");
    out.add(c.outputs(c.apply(RELU, c.input("x", 2, 3, 7, 5))));

    c = new CaseBuilder(SIGMOID, "values in [-10, 10), shape [7,5]");
    out.add(c.outputs(c.apply(SIGMOID, c.input("x", -10f, 10f, 7, 5))));
  }

  private static void softmax(List<ConformanceCase> out) {
    CaseBuilder c = new CaseBuilder(SOFTMAX, "axis -1 (default) on [4,7]");
    out.add(c.outputs(c.apply(SOFTMAX, c.input("x", 4, 7))));

    c = new CaseBuilder(SOFTMAX, "middle axis 1 of [2,5,3]");
    out.add(c.outputs(c.apply(SOFTMAX, attrs().set("axis", 1L).build(), c.input("x", 2, 5, 3))));

    c = new CaseBuilder(SOFTMAX, "negative axis -3 of [3,4,2,5]");
    out.add(c.outputs(c.apply(SOFTMAX, attrs().set("axis", -3L).build(), c.input("x", 3, 4, 2, 5))));

    c = new CaseBuilder(SOFTMAX, "last axis of 4-D attention scores [2,3,4,6], logits in [-8, 8)");
    out.add(c.outputs(c.apply(SOFTMAX, attrs().set("axis", -1L).build(), c.input("x", -8f, 8f, 2, 3, 4, 6))));

    c = new CaseBuilder(SOFTMAX, "large logits in [-40, 40)");
    out.add(c.outputs(c.apply(SOFTMAX, c.input("x", -40f, 40f, 3, 6))));

    c = new CaseBuilder(SOFTMAX, "dynamic batch axis fed batch 2");
    out.add(c.outputs(c.apply(SOFTMAX, c.inputDynamicBatch("x", 2, 14))));
  }

  private static void normalization(List<ConformanceCase> out) {
    CaseBuilder c = new CaseBuilder(LAYER_NORM, "last axis with bias, channels-last [2,4,4,8]");
    out.add(c.outputs(c.apply(LAYER_NORM, c.input("x", 2, 4, 4, 8),
        c.parameter("scale", ParamRole.NORM_SCALE, 0.5f, 1.5f, 8),
        c.parameter("bias", ParamRole.NORM_BIAS, -1f, 1f, 8))));

    c = new CaseBuilder(LAYER_NORM, "axis -2 (two axes), no bias, epsilon 1e-6");
    out.add(c.outputs(c.apply(LAYER_NORM, attrs().set("axis", -2L).set("epsilon", 1e-6f).build(),
        c.input("x", 3, 5, 6), c.parameter("scale", ParamRole.NORM_SCALE, 0.5f, 1.5f, 5, 6))));

    c = new CaseBuilder(LAYER_NORM, "axis 1 of [7,5] with offset input");
    out.add(c.outputs(c.apply(LAYER_NORM, attrs().set("axis", 1L).build(),
        c.input("x", 2f, 4f, 7, 5), c.parameter("scale", ParamRole.NORM_SCALE, 0.5f, 1.5f, 5),
        c.parameter("bias", ParamRole.NORM_BIAS, -1f, 1f, 5))));

    c = new CaseBuilder(BATCH_NORM, "2-D [2,4,5,5]");
    out.add(c.outputs(batchNorm(c, 1e-5f, 2, 4, 5, 5)));

    c = new CaseBuilder(BATCH_NORM, "1-D [3,4,7], epsilon 1e-3");
    out.add(c.outputs(batchNorm(c, 1e-3f, 3, 4, 7)));

    c = new CaseBuilder(BATCH_NORM, "3-D [1,3,3,4,5]");
    out.add(c.outputs(batchNorm(c, 1e-5f, 1, 3, 3, 4, 5)));
  }

  private static Value batchNorm(CaseBuilder c, float epsilon, int... dims) {
    int ch = dims[1];
    return c.apply(BATCH_NORM, attrs().set("epsilon", epsilon).build(), c.input("x", dims),
        c.parameter("scale", ParamRole.NORM_SCALE, 0.5f, 1.5f, ch),
        c.parameter("bias", ParamRole.NORM_BIAS, -1f, 1f, ch),
        c.parameter("mean", ParamRole.RUNNING_MEAN, -0.5f, 0.5f, ch),
        c.parameter("var", ParamRole.RUNNING_VAR, 0.25f, 2f, ch));
  }

  private static void pooling(List<ConformanceCase> out) {
    CaseBuilder c = new CaseBuilder(AVG_POOL, "2x2 stride 2 on odd 7x5");
    out.add(c.outputs(c.apply(AVG_POOL, attrs().set("kernel_shape", 2L, 2L).set("strides", 2L, 2L).build(),
        c.input("x", 2, 3, 7, 5))));

    c = new CaseBuilder(AVG_POOL, "3x3 stride 2 pads 1, padding excluded from the count");
    out.add(c.outputs(c.apply(AVG_POOL, attrs().set("kernel_shape", 3L, 3L).set("strides", 2L, 2L)
        .set("pads", 1L, 1L, 1L, 1L).build(), c.input("x", 1, 2, 8, 7))));

    c = new CaseBuilder(AVG_POOL, "3x3 stride 2 pads 1, count_include_pad");
    out.add(c.outputs(c.apply(AVG_POOL, attrs().set("kernel_shape", 3L, 3L).set("strides", 2L, 2L)
        .set("pads", 1L, 1L, 1L, 1L).set("count_include_pad", 1L).build(), c.input("x", 1, 2, 8, 7))));

    c = new CaseBuilder(AVG_POOL, "3x3 stride 2 ceil_mode on 8x8 (partial last window)");
    out.add(c.outputs(c.apply(AVG_POOL, attrs().set("kernel_shape", 3L, 3L).set("strides", 2L, 2L)
        .set("ceil_mode", 1L).build(), c.input("x", 2, 2, 8, 8))));

    c = new CaseBuilder(AVG_POOL, "ceil_mode with asymmetric pads (1,0,0,1) and count_include_pad");
    out.add(c.outputs(c.apply(AVG_POOL, attrs().set("kernel_shape", 3L, 2L).set("strides", 2L, 2L)
        .set("pads", 1L, 0L, 0L, 1L).set("ceil_mode", 1L).set("count_include_pad", 1L).build(),
        c.input("x", 1, 3, 7, 6))));

    c = new CaseBuilder(AVG_POOL, "1-D k3 stride 2 pads (1,0)");
    out.add(c.outputs(c.apply(AVG_POOL, attrs().set("kernel_shape", new long[] {3}).set("strides", new long[] {2})
        .set("pads", 1L, 0L).build(), c.input("x", 2, 3, 9))));

    c = new CaseBuilder(AVG_POOL, "3-D 2x2x2 stride 2");
    out.add(c.outputs(c.apply(AVG_POOL, attrs().set("kernel_shape", 2L, 2L, 2L).set("strides", 2L, 2L, 2L).build(),
        c.input("x", 1, 2, 4, 5, 6))));

    c = new CaseBuilder(MAX_POOL, "2x2 stride 2 on odd 7x5");
    out.add(c.outputs(c.apply(MAX_POOL, attrs().set("kernel_shape", 2L, 2L).set("strides", 2L, 2L).build(),
        c.input("x", 2, 3, 7, 5))));

    c = new CaseBuilder(MAX_POOL, "3x3 stride 2 pads 1 on all-negative input (padding never wins)");
    out.add(c.outputs(c.apply(MAX_POOL, attrs().set("kernel_shape", 3L, 3L).set("strides", 2L, 2L)
        .set("pads", 1L, 1L, 1L, 1L).build(), c.input("x", -2f, -0.5f, 1, 3, 9, 8))));

    c = new CaseBuilder(MAX_POOL, "3x3 stride 2 ceil_mode on 8x6");
    out.add(c.outputs(c.apply(MAX_POOL, attrs().set("kernel_shape", 3L, 3L).set("strides", 2L, 2L)
        .set("ceil_mode", 1L).build(), c.input("x", 2, 2, 8, 6))));

    c = new CaseBuilder(MAX_POOL, "2x2 dilation 2 with asymmetric pads (0,1,1,0)");
    out.add(c.outputs(c.apply(MAX_POOL, attrs().set("kernel_shape", 2L, 2L).set("dilations", 2L, 2L)
        .set("pads", 0L, 1L, 1L, 0L).build(), c.input("x", 1, 2, 7, 6))));

    c = new CaseBuilder(MAX_POOL, "1-D k3 stride 2 pads 1");
    out.add(c.outputs(c.apply(MAX_POOL, attrs().set("kernel_shape", new long[] {3}).set("strides", new long[] {2})
        .set("pads", 1L, 1L).build(), c.input("x", 2, 4, 10))));

    c = new CaseBuilder(MAX_POOL, "3-D 3x3x3 stride 2 pads 1 (3-D ResNet stem)");
    out.add(c.outputs(c.apply(MAX_POOL, attrs().set("kernel_shape", 3L, 3L, 3L).set("strides", 2L, 2L, 2L)
        .set("pads", 1L, 1L, 1L, 1L, 1L, 1L).build(), c.input("x", 1, 2, 5, 6, 7))));

    c = new CaseBuilder(GLOBAL_AVG_POOL, "2-D [2,5,7,5]");
    out.add(c.outputs(c.apply(GLOBAL_AVG_POOL, c.input("x", 2, 5, 7, 5))));

    c = new CaseBuilder(GLOBAL_AVG_POOL, "1-D [2,4,9]");
    out.add(c.outputs(c.apply(GLOBAL_AVG_POOL, c.input("x", 2, 4, 9))));

    c = new CaseBuilder(GLOBAL_AVG_POOL, "3-D [1,3,4,3,5]");
    out.add(c.outputs(c.apply(GLOBAL_AVG_POOL, c.input("x", 1, 3, 4, 3, 5))));
  }

  private static void layout(List<ConformanceCase> out) {
    CaseBuilder c = new CaseBuilder(RESHAPE, "0 copies and -1 infers: [2,3,4,5] to [0,-1,5]");
    out.add(c.outputs(c.apply(RESHAPE, attrs().set("shape", 0L, -1L, 5L).build(), c.input("x", 2, 3, 4, 5))));

    c = new CaseBuilder(RESHAPE, "to [-1]");
    out.add(c.outputs(c.apply(RESHAPE, attrs().set("shape", new long[] {-1}).build(), c.input("x", 3, 7, 5))));

    c = new CaseBuilder(RESHAPE, "split axes [6,4] to [2,3,2,2]");
    out.add(c.outputs(c.apply(RESHAPE, attrs().set("shape", 2L, 3L, 2L, 2L).build(), c.input("x", 6, 4))));

    c = new CaseBuilder(TRANSPOSE, "NCHW to NHWC, perm (0,2,3,1)");
    out.add(c.outputs(c.apply(TRANSPOSE, attrs().set("perm", 0L, 2L, 3L, 1L).build(), c.input("x", 2, 3, 7, 5))));

    c = new CaseBuilder(TRANSPOSE, "no perm reverses the axes of [2,3,4]");
    out.add(c.outputs(c.apply(TRANSPOSE, c.input("x", 2, 3, 4))));

    c = new CaseBuilder(TRANSPOSE, "perm (1,0) of 7x5");
    out.add(c.outputs(c.apply(TRANSPOSE, attrs().set("perm", 1L, 0L).build(), c.input("x", 7, 5))));

    c = new CaseBuilder(CONCAT, "three inputs on axis 1");
    out.add(c.outputs(c.apply(CONCAT, attrs().set("axis", 1L).build(),
        c.input("a", 2, 1, 3), c.input("b", 2, 4, 3), c.input("c", 2, 2, 3))));

    c = new CaseBuilder(CONCAT, "negative axis -1 with a parameter operand");
    out.add(c.outputs(c.apply(CONCAT, attrs().set("axis", -1L).build(),
        c.input("a", 2, 3), c.parameter("p", -1f, 1f, 2, 5))));

    c = new CaseBuilder(CONCAT, "axis 0, a single input");
    out.add(c.outputs(c.apply(CONCAT, attrs().set("axis", 0L).build(), c.input("a", 3, 4))));

    c = new CaseBuilder(SQUEEZE, "axes (1,3) of [2,1,3,1]");
    out.add(c.outputs(c.apply(SQUEEZE, attrs().set("axes", 1L, 3L).build(), c.input("x", 2, 1, 3, 1))));

    c = new CaseBuilder(SQUEEZE, "no axes removes every size-1 axis of [1,3,1,4]");
    out.add(c.outputs(c.apply(SQUEEZE, c.input("x", 1, 3, 1, 4))));

    c = new CaseBuilder(SQUEEZE, "negative axis -1 of [2,3,1]");
    out.add(c.outputs(c.apply(SQUEEZE, attrs().set("axes", new long[] {-1}).build(), c.input("x", 2, 3, 1))));

    c = new CaseBuilder(UNSQUEEZE, "axes (0,3) of [2,3]");
    out.add(c.outputs(c.apply(UNSQUEEZE, attrs().set("axes", 0L, 3L).build(), c.input("x", 2, 3))));

    c = new CaseBuilder(UNSQUEEZE, "negative axis -1 of [2,3]");
    out.add(c.outputs(c.apply(UNSQUEEZE, attrs().set("axes", new long[] {-1}).build(), c.input("x", 2, 3))));

    c = new CaseBuilder(FLATTEN, "axis 1 (default) of [2,3,4,5]");
    out.add(c.outputs(c.apply(FLATTEN, c.input("x", 2, 3, 4, 5))));

    c = new CaseBuilder(FLATTEN, "axis 0 of [2,3,4]");
    out.add(c.outputs(c.apply(FLATTEN, attrs().set("axis", 0L).build(), c.input("x", 2, 3, 4))));

    c = new CaseBuilder(FLATTEN, "negative axis -2 of [2,3,4,5]");
    out.add(c.outputs(c.apply(FLATTEN, attrs().set("axis", -2L).build(), c.input("x", 2, 3, 4, 5))));

    c = new CaseBuilder(FLATTEN, "axis equal to the rank of [2,3,4]");
    out.add(c.outputs(c.apply(FLATTEN, attrs().set("axis", 3L).build(), c.input("x", 2, 3, 4))));

    c = new CaseBuilder(IDENTITY, "shape [3,7,5]");
    out.add(c.outputs(c.apply(IDENTITY, c.input("x", 3, 7, 5))));

    c = new CaseBuilder(DROPOUT, "ratio 0.3 is the identity at inference");
    out.add(c.outputs(c.apply(DROPOUT, attrs().set("ratio", 0.3f).build(), c.input("x", 2, 3, 4))));
  }

  /** Graphs without inputs: the output is the constant itself, fixed when the graph is built. */
  private static void constants(List<ConformanceCase> out) {
    CaseBuilder c = new CaseBuilder(CONSTANT, "scalar");
    out.add(c.outputs(c.constant(-2f, 2f)));

    c = new CaseBuilder(CONSTANT, "vector [7]");
    out.add(c.outputs(c.constant(-2f, 2f, 7)));

    c = new CaseBuilder(CONSTANT, "4-D [2,3,4,5], two constants out");
    out.add(c.outputs(c.constant(-2f, 2f, 2, 3, 4, 5), c.constant(-1f, 1f, 1, 3, 1, 1)));
  }

  private static void losses(List<ConformanceCase> out) {
    CaseBuilder c = new CaseBuilder(DROP_PATH, "ratio 0.25 is the identity at inference");
    out.add(c.outputs(c.apply(DROP_PATH, attrs().set("ratio", 0.25f).build(), c.input("x", 3, 4, 5))));

    c = new CaseBuilder(CROSS_ENTROPY, "[7,5] logits in [-4,4], no smoothing, no weights");
    out.add(c.outputs(c.apply(CROSS_ENTROPY, c.input("logits", -4f, 4f, 7, 5), c.labels("target", 7, 5))));

    c = new CaseBuilder(CROSS_ENTROPY, "label smoothing 0.1 and class weights (weighted mean)");
    out.add(c.outputs(c.apply(CROSS_ENTROPY,
        attrs().set("label_smoothing", 0.1f).set("class_weights", new float[] {0.5f, 2f, 1f, 3f}).build(),
        c.input("logits", -4f, 4f, 6, 4), c.labels("target", 6, 4))));

    c = new CaseBuilder(BCE_WITH_LOGITS, "[4,3] logits in [-20,20] (stable form), soft targets");
    out.add(c.outputs(c.apply(BCE_WITH_LOGITS, c.input("x", -20f, 20f, 4, 3), c.input("t", 0f, 1f, 4, 3))));

    c = new CaseBuilder(BCE_WITH_LOGITS, "pos_weight (0.5, 3, 1.5, 1) on [5,4]");
    out.add(c.outputs(c.apply(BCE_WITH_LOGITS, attrs().set("pos_weight", new float[] {0.5f, 3f, 1.5f, 1f}).build(),
        c.input("x", -4f, 4f, 5, 4), c.input("t", 0f, 1f, 5, 4))));

    c = new CaseBuilder(BCE_WITH_LOGITS, "weight [5,1] per sample, with a zero, and pos_weight");
    out.add(c.outputs(c.apply(BCE_WITH_LOGITS, attrs().set("pos_weight", new float[] {0.5f, 3f, 1.5f, 1f}).build(),
        c.input("x", -4f, 4f, 5, 4), c.input("t", 0f, 1f, 5, 4),
        c.input("w", Tensor.ofFloats(new float[] {1f, 0f, 2.5f, 0.5f, 1f}, 5, 1)))));

    c = new CaseBuilder(BCE_WITH_LOGITS, "weight [3] on 3-D logits [2,4,3]");
    out.add(c.outputs(c.apply(BCE_WITH_LOGITS, c.input("x", -4f, 4f, 2, 4, 3), c.input("t", 0f, 1f, 2, 4, 3),
        c.input("w", 0f, 2f, 3))));

    c = new CaseBuilder(BCE_WITH_LOGITS, "all-zero weight [2,1,1,1,1] on 5-D logits gives 0");
    out.add(c.outputs(c.apply(BCE_WITH_LOGITS, c.input("x", -4f, 4f, 2, 2, 3, 2, 2),
        c.input("t", 0f, 1f, 2, 2, 3, 2, 2), c.input("w", Tensor.of(Shape.of(2, 1, 1, 1, 1), 0f, 0f)))));

    c = new CaseBuilder(L1_LOSS, "[3,4,5]");
    out.add(c.outputs(c.apply(L1_LOSS, c.input("a", 3, 4, 5), c.input("b", 3, 4, 5))));

    c = new CaseBuilder(MSE_LOSS, "[3,4,5]");
    out.add(c.outputs(c.apply(MSE_LOSS, c.input("a", 3, 4, 5), c.input("b", 3, 4, 5))));

    c = new CaseBuilder(SOFT_DICE, "[2,3,4,5], default smooth 1e-5");
    out.add(c.outputs(c.apply(SOFT_DICE, c.input("x", -3f, 3f, 2, 3, 4, 5), c.input("t", 0f, 1f, 2, 3, 4, 5))));

    c = new CaseBuilder(SOFT_DICE, "3-D [1,2,3,4,5], smooth 1");
    out.add(c.outputs(c.apply(SOFT_DICE, attrs().set("smooth", 1f).build(), c.input("x", -3f, 3f, 1, 2, 3, 4, 5),
        c.input("t", 0f, 1f, 1, 2, 3, 4, 5))));
  }

  /** The ops that have at least one case. */
  static java.util.Set<Op> covered(List<ConformanceCase> cases) {
    java.util.Set<Op> ops = java.util.EnumSet.noneOf(Op.class);
    cases.forEach(c -> ops.add(c.op()));
    return ops;
  }
}
