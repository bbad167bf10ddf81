package org.medvision.testkit.training;

import static org.medvision.api.graph.Op.ADD;
import static org.medvision.api.graph.Op.AVG_POOL;
import static org.medvision.api.graph.Op.BATCH_NORM;
import static org.medvision.api.graph.Op.BCE_WITH_LOGITS;
import static org.medvision.api.graph.Op.CONCAT;
import static org.medvision.api.graph.Op.CONV;
import static org.medvision.api.graph.Op.DROP_PATH;
import static org.medvision.api.graph.Op.FLATTEN;
import static org.medvision.api.graph.Op.GELU;
import static org.medvision.api.graph.Op.GEMM;
import static org.medvision.api.graph.Op.GLOBAL_AVG_POOL;
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
import static org.medvision.api.graph.Op.TRANSPOSE;

import java.util.ArrayList;
import java.util.List;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.Tensor;

/**
 * The catalogue of gradient cases: every loss op on a small linear or convolutional head, and the blocks models are
 * made of, each ending in a loss. Extents are small so that a finite difference costs a few milliseconds, and losses
 * are means over few elements so that gradients are of order 0.1 to 1 and tolerances mean something.
 */
final class GradientCases {
  private GradientCases() {}

  /**
   * A weighted BCE whose weights are all 0 on a linear head: the loss is 0 and so is every gradient, which a
   * finite-difference comparison cannot tell from a missing gradient, so it is checked on its own.
   */
  static TrainingCase allZeroWeights() {
    TrainingCaseBuilder c = new TrainingCaseBuilder("bce_with_logits: all-zero weight [4,1] gives 0 loss, 0 gradient");
    Value logits = linear(c, "fc", c.input("x", 4, 5), 5, 3);
    return c.loss(BCE_WITH_LOGITS, Attributes.empty(), logits, c.input("target", 0f, 1f, 4, 3),
        c.input("weight", Tensor.ofFloats(new float[4], 4, 1)));
  }

  /** Every case. */
  static List<TrainingCase> all() {
    List<TrainingCase> all = new ArrayList<>();
    losses(all);
    blocks(all);
    VersionFourGradientCases.addTo(all);
    return all;
  }

  private static Attributes.Builder attrs() {
    return Attributes.builder();
  }

  /** A linear layer x·Wᵀ + b with a weight [out, in] and a bias [out]. */
  private static Value linear(TrainingCaseBuilder c, String name, Value x, int in, int out) {
    return c.apply(GEMM, attrs().set("transB", 1L).build(), x, c.weight(name + ".weight", out, in),
        c.parameter(name + ".bias", ParamRole.BIAS, -0.5f, 0.5f, out));
  }

  private static void losses(List<TrainingCase> out) {
    TrainingCaseBuilder c = new TrainingCaseBuilder("cross_entropy: plain, linear head [6,5] -> [6,4]");
    out.add(c.classification(linear(c, "fc", c.input("x", 6, 5), 5, 4), 0f, null));

    c = new TrainingCaseBuilder("cross_entropy: label smoothing 0.2 and class weights (1, 2.5, 0.5, 1.5)");
    out.add(c.classification(linear(c, "fc", c.input("x", 6, 5), 5, 4), 0.2f, new float[] {1f, 2.5f, 0.5f, 1.5f}));

    c = new TrainingCaseBuilder("bce_with_logits: pos_weight (0.5, 2, 1.5), soft targets");
    Value logits = linear(c, "fc", c.input("x", 6, 5), 5, 3);
    out.add(c.loss(BCE_WITH_LOGITS, attrs().set("pos_weight", new float[] {0.5f, 2f, 1.5f}).build(), logits,
        c.input("target", 0f, 1f, 6, 3)));

    c = new TrainingCaseBuilder("bce_with_logits: no pos_weight");
    logits = linear(c, "fc", c.input("x", 6, 5), 5, 3);
    out.add(c.loss(BCE_WITH_LOGITS, Attributes.empty(), logits, c.input("target", 0f, 1f, 6, 3)));

    c = new TrainingCaseBuilder("bce_with_logits: per-element weight with zeros (a partial mask), pos_weight");
    logits = linear(c, "fc", c.input("x", 6, 5), 5, 3);
    Tensor mask = Tensor.ofFloats(new float[] {1, 0, 2, 0.5f, 1, 0, 0, 0, 0, 1.5f, 1, 1, 0, 2, 0, 1, 0.25f, 1}, 6, 3);
    out.add(c.loss(BCE_WITH_LOGITS, attrs().set("pos_weight", new float[] {0.5f, 2f, 1.5f}).build(), logits,
        c.input("target", 0f, 1f, 6, 3), c.input("weight", mask)));

    // DSA-Net's attention loss: a 3-D map per scan, weighted 1 for a scan that has a mask and 0 for one without.
    c = new TrainingCaseBuilder("bce_with_logits: per-sample weight [3,1,1,1,1] (0, 1, 0.5) on 5-D conv3d logits");
    Value maps3d = c.apply(CONV, c.input("x", 3, 2, 3, 2, 2), c.weight("head.weight", 2, 2, 1, 1, 1),
        c.parameter("head.bias", ParamRole.BIAS, -0.5f, 0.5f, 2));
    out.add(c.loss(BCE_WITH_LOGITS, Attributes.empty(), maps3d, c.input("target", 0f, 1f, 3, 2, 3, 2, 2),
        c.input("weight", Tensor.ofFloats(new float[] {0f, 1f, 0.5f}, 3, 1, 1, 1, 1))));

    c = new TrainingCaseBuilder("l1_loss: linear regression head");
    Value y = linear(c, "fc", c.input("x", 6, 5), 5, 3);
    out.add(c.loss(L1_LOSS, Attributes.empty(), y, c.input("target", -2f, 2f, 6, 3)));

    c = new TrainingCaseBuilder("mse_loss: linear regression head");
    y = linear(c, "fc", c.input("x", 6, 5), 5, 3);
    out.add(c.loss(MSE_LOSS, Attributes.empty(), y, c.input("target", -2f, 2f, 6, 3)));

    c = new TrainingCaseBuilder("soft_dice: 1x1 conv segmentation head [2,3,4,4] -> [2,2,4,4], smooth 1");
    Value maps = c.apply(CONV, c.input("x", 2, 3, 4, 4), c.weight("head.weight", 2, 3, 1, 1),
        c.parameter("head.bias", ParamRole.BIAS, -0.5f, 0.5f, 2));
    out.add(c.loss(SOFT_DICE, attrs().set("smooth", 1f).build(), maps, c.input("target", 0f, 1f, 2, 2, 4, 4)));
  }

  private static void blocks(List<TrainingCase> out) {
    TrainingCaseBuilder c = new TrainingCaseBuilder("block: conv 3x3 -> batch_norm (training mode) -> relu, mse");
    Value x = c.apply(CONV, attrs().set("pads", 1L, 1L, 1L, 1L).build(), c.input("x", 3, 2, 5, 5),
        c.weight("conv.weight", 3, 2, 3, 3), c.parameter("conv.bias", ParamRole.BIAS, -0.5f, 0.5f, 3));
    x = c.apply(BATCH_NORM, x, c.parameter("bn.scale", ParamRole.NORM_SCALE, 0.5f, 1.5f, 3),
        c.parameter("bn.bias", ParamRole.NORM_BIAS, -0.5f, 0.5f, 3),
        c.parameter("bn.running_mean", ParamRole.RUNNING_MEAN, -0.5f, 0.5f, 3),
        c.parameter("bn.running_var", ParamRole.RUNNING_VAR, 0.5f, 1.5f, 3));
    x = c.apply(RELU, x);
    out.add(c.loss(MSE_LOSS, Attributes.empty(), x, c.input("target", 0f, 1f, 3, 3, 5, 5)));

    c = new TrainingCaseBuilder("block: linear -> layer_norm -> gelu, mse");
    x = linear(c, "fc", c.input("x", 5, 6), 6, 8);
    x = c.apply(LAYER_NORM, x, c.parameter("ln.scale", ParamRole.NORM_SCALE, 0.5f, 1.5f, 8),
        c.parameter("ln.bias", ParamRole.NORM_BIAS, -0.5f, 0.5f, 8));
    x = c.apply(GELU, x);
    out.add(c.loss(MSE_LOSS, Attributes.empty(), x, c.input("target", -0.5f, 1.5f, 5, 8)));

    out.add(convNextBlock());

    c = new TrainingCaseBuilder("block: linear -> softmax, mse against one-hot rows");
    x = c.apply(SOFTMAX, linear(c, "fc", c.input("x", -2f, 2f, 2, 4), 4, 3));
    Tensor oneHot = Tensor.ofFloats(new float[] {1, 0, 0, 0, 0, 1}, 2, 3);
    out.add(c.loss(MSE_LOSS, Attributes.empty(), x, c.input("target", oneHot)));

    c = new TrainingCaseBuilder("block: conv -> avg_pool 2x2 -> max_pool 2x2 stride 1 -> global_avg_pool -> "
        + "flatten, mse");
    x = c.apply(CONV, c.input("x", 2, 3, 6, 6), c.weight("conv.weight", 4, 3, 3, 3),
        c.parameter("conv.bias", ParamRole.BIAS, -0.5f, 0.5f, 4));
    x = c.apply(AVG_POOL, attrs().set("kernel_shape", 2L, 2L).set("strides", 2L, 2L).build(), x);
    x = c.apply(MAX_POOL, attrs().set("kernel_shape", 2L, 2L).build(), x);
    x = c.apply(FLATTEN, c.apply(GLOBAL_AVG_POOL, x));
    out.add(c.loss(MSE_LOSS, Attributes.empty(), x, c.input("target", -1f, 1f, 2, 4)));

    // TensorFlow's grappler fuses a grouped Conv2D with the bias after it into a kernel some CPUs lack.
    c = new TrainingCaseBuilder("block: grouped conv (3 groups) 3x3 with bias -> relu, mse");
    x = c.apply(CONV, attrs().set("group", 3L).set("pads", 1L, 1L, 1L, 1L).build(), c.input("x", 2, 6, 4, 4),
        c.weight("conv.weight", 6, 2, 3, 3), c.parameter("conv.bias", ParamRole.BIAS, -0.5f, 0.5f, 6));
    x = c.apply(RELU, x);
    out.add(c.loss(MSE_LOSS, Attributes.empty(), x, c.input("target", 0f, 1f, 2, 6, 4, 4)));

    // Volumetric models (the 3D papers) train 3D convolutions; TensorFlow registers no Conv3D gradient, so an engine
    // must supply its own, and this is where it is checked.
    c = new TrainingCaseBuilder("block: conv3d 3x3x3 stride 2 pad 1 -> relu, mse");
    x = c.apply(CONV, attrs().set("pads", 1L, 1L, 1L, 1L, 1L, 1L).set("strides", 2L, 2L, 2L).build(),
        c.input("x", 2, 2, 5, 5, 5), c.weight("conv.weight", 3, 2, 3, 3, 3),
        c.parameter("conv.bias", ParamRole.BIAS, -0.5f, 0.5f, 3));
    x = c.apply(RELU, x);
    out.add(c.loss(MSE_LOSS, Attributes.empty(), x, c.input("target", 0f, 1f, 2, 3, 3, 3, 3)));

    // MedicalNet's layer3/layer4 (DSA-Net's medicalnet layout): dilated 3-D convolutions at stride 1; extents that
    // are not multiples of the dilation check an engine that computes them on interleaved sub-grids.
    c = new TrainingCaseBuilder("block: conv3d 3x3x3 dilation (2,2,1) pads (2,2,1), odd extents -> relu, mse");
    x = c.apply(CONV, attrs().set("dilations", 2L, 2L, 1L).set("pads", 2L, 2L, 1L, 2L, 2L, 1L).build(),
        c.input("x", 2, 2, 5, 4, 3), c.weight("conv.weight", 3, 2, 3, 3, 3),
        c.parameter("conv.bias", ParamRole.BIAS, -0.5f, 0.5f, 3));
    x = c.apply(RELU, x);
    out.add(c.loss(MSE_LOSS, Attributes.empty(), x, c.input("target", 0f, 1f, 2, 3, 5, 4, 3)));

    // Padded (and dilated) 3-D convolution and max pool behind a trained layer, as in MedicalNet's layer3: their
    // padding and dilation are differentiated with respect to their input too (a first layer's input needs no
    // gradient, so cases that start with them miss this).
    c = new TrainingCaseBuilder("block: conv3d 1x1x1 -> conv3d 3x3x3 dilation 2 pad 2 -> max_pool3d 3 stride 2 pad 1,"
        + " mse");
    x = c.apply(CONV, c.input("x", 2, 2, 4, 5, 4), c.weight("reduce.weight", 3, 2, 1, 1, 1));
    x = c.apply(CONV, attrs().set("dilations", 2L, 2L, 2L).set("pads", 2L, 2L, 2L, 2L, 2L, 2L).build(), x,
        c.weight("conv.weight", 3, 3, 3, 3, 3));
    x = c.apply(MAX_POOL, attrs().set("kernel_shape", 3L, 3L, 3L).set("strides", 2L, 2L, 2L)
        .set("pads", 1L, 1L, 1L, 1L, 1L, 1L).build(), x);
    out.add(c.loss(MSE_LOSS, Attributes.empty(), x, c.input("target", -1f, 1f, 2, 3, 2, 3, 2)));

    c = new TrainingCaseBuilder("block: grouped conv3d (2 groups) 3x3x3, mse");
    x = c.apply(CONV, attrs().set("group", 2L).build(), c.input("x", 1, 4, 4, 4, 4),
        c.weight("conv.weight", 4, 2, 3, 3, 3), c.parameter("conv.bias", ParamRole.BIAS, -0.5f, 0.5f, 4));
    out.add(c.loss(MSE_LOSS, Attributes.empty(), x, c.input("target", -1f, 1f, 1, 4, 2, 2, 2)));

    out.add(constants());

    c = new TrainingCaseBuilder("block: linear -> reshape -> concat with a parameter -> flatten -> linear, mse");
    x = linear(c, "fc1", c.input("x", 3, 4), 4, 6);
    x = c.apply(RESHAPE, attrs().set("shape", 3L, 2L, 3L).build(), x);
    x = c.apply(CONCAT, attrs().set("axis", 1L).build(), x,
        c.parameter("extra", ParamRole.BIAS, -1f, 1f, 3, 1, 3));
    x = linear(c, "fc2", c.apply(FLATTEN, x), 9, 2);
    out.add(c.loss(MSE_LOSS, Attributes.empty(), x, c.input("target", -1f, 1f, 3, 2)));
  }

  /**
   * A gated block with two {@link org.medvision.api.graph.Op#CONSTANT}s: the 1, and a per-channel scale s that a
   * channels-last engine must lay out to match and that autograd keeps for the backward pass of the product, so its
   * memory must outlive the step.
   */
  static TrainingCase constants() {
    TrainingCaseBuilder c = new TrainingCaseBuilder("block: x * (1 + sigmoid(s * conv(x))) with constants 1 and s "
        + "[3,1,1], mse");
    Value in = c.input("x", 2, 3, 5, 5);
    Value gate = c.apply(CONV, attrs().set("pads", 1L, 1L, 1L, 1L).build(), in, c.weight("conv.weight", 3, 3, 3, 3),
        c.parameter("conv.bias", ParamRole.BIAS, -0.5f, 0.5f, 3));
    gate = c.apply(SIGMOID, c.apply(MUL, c.constant(new float[] {1.5f, -0.5f, 2f}, 3, 1, 1), gate));
    Value x = c.apply(MUL, in, c.apply(ADD, c.constant(new float[] {1f}), gate));
    return c.loss(MSE_LOSS, Attributes.empty(), x, c.input("target", -1f, 1f, 2, 3, 5, 5));
  }

  /**
   * A ConvNeXt block: depthwise conv, channels-last layer norm, pointwise MLP with GELU, layer scale, drop-path
   * (ratio 0, so deterministic) and the residual connection.
   */
  private static TrainingCase convNextBlock() {
    TrainingCaseBuilder c = new TrainingCaseBuilder("block: ConvNeXt (dwconv, layer_norm, mlp, layer scale, "
        + "drop_path 0, residual), mse");
    int ch = 4;
    Value input = c.input("x", 2, ch, 5, 5);
    Value x = c.apply(CONV, attrs().set("group", (long) ch).set("pads", 1L, 1L, 1L, 1L).build(), input,
        c.weight("dw.weight", ch, 1, 3, 3), c.parameter("dw.bias", ParamRole.BIAS, -0.5f, 0.5f, ch));
    x = c.apply(TRANSPOSE, attrs().set("perm", 0L, 2L, 3L, 1L).build(), x);
    x = c.apply(LAYER_NORM, x, c.parameter("norm.scale", ParamRole.NORM_SCALE, 0.5f, 1.5f, ch),
        c.parameter("norm.bias", ParamRole.NORM_BIAS, -0.5f, 0.5f, ch));
    x = c.apply(ADD, c.apply(MATMUL, x, c.weight("pw1.weight", ch, 4 * ch)),
        c.parameter("pw1.bias", ParamRole.BIAS, -0.5f, 0.5f, 4 * ch));
    x = c.apply(GELU, x);
    x = c.apply(ADD, c.apply(MATMUL, x, c.weight("pw2.weight", 4 * ch, ch)),
        c.parameter("pw2.bias", ParamRole.BIAS, -0.5f, 0.5f, ch));
    x = c.apply(MUL, x, c.parameter("gamma", ParamRole.LAYER_SCALE, 0.5f, 1.5f, ch));
    x = c.apply(TRANSPOSE, attrs().set("perm", 0L, 3L, 1L, 2L).build(), x);
    x = c.apply(DROP_PATH, attrs().set("ratio", 0f).build(), x);
    x = c.apply(ADD, input, x);
    return c.loss(MSE_LOSS, Attributes.empty(), x, c.input("target", -1f, 1f, 2, ch, 5, 5));
  }
}
