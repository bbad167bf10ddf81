package org.medvision.testkit.training;

import static org.medvision.api.graph.Op.ABS;
import static org.medvision.api.graph.Op.ADD;
import static org.medvision.api.graph.Op.CLIP;
import static org.medvision.api.graph.Op.DIV;
import static org.medvision.api.graph.Op.GATHER;
import static org.medvision.api.graph.Op.GEMM;
import static org.medvision.api.graph.Op.MSE_LOSS;
import static org.medvision.api.graph.Op.MUL;
import static org.medvision.api.graph.Op.REDUCE_MEAN;
import static org.medvision.api.graph.Op.REDUCE_SUM;
import static org.medvision.api.graph.Op.SLICE;
import static org.medvision.api.graph.Op.SQRT;
import static org.medvision.api.graph.Op.STOP_GRADIENT;
import static org.medvision.api.graph.Op.TANH;

import java.util.List;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;

/**
 * Gradient cases of the ops IR version 4 added: an embedding table trained through gather (rows read several times
 * accumulate), gathers and slices behind a linear layer, the reductions, sqrt, abs, tanh, clip with both or one bound,
 * and stop_gradient, whose branch must contribute nothing.
 */
final class VersionFourGradientCases {
  private VersionFourGradientCases() {}

  /** Appends every case. */
  static void addTo(List<TrainingCase> out) {
    selection(out);
    elementwise(out);
    out.add(stopGradientProduct());
    out.add(stopGradientNormalization());
  }

  private static Attributes.Builder attrs() {
    return Attributes.builder();
  }

  /** A linear layer x·Wᵀ + b with a weight [out, in] and a bias [out]. */
  private static Value linear(TrainingCaseBuilder c, Value x, int in, int out) {
    return c.apply(GEMM, attrs().set("transB", 1L).build(), x, c.weight("fc.weight", out, in),
        c.parameter("fc.bias", ParamRole.BIAS, -0.5f, 0.5f, out));
  }

  private static void selection(List<TrainingCase> out) {
    // Every row is read at least twice (row 0 four times, through 0 and −5), so each checked element accumulates.
    TrainingCaseBuilder c = new TrainingCaseBuilder("gather: embedding table [5,4] by ids [3,4], every row repeated, "
        + "negative ids, mse");
    Value rows = c.apply(GATHER, c.parameter("embeddings.weight", ParamRole.WEIGHT, -1f, 1f, 5, 4),
        c.indices("ids", new long[] {0, 1, 2, 3, 4, 0, 1, 2, -2, -1, 0, -5}, 3, 4));
    out.add(c.loss(MSE_LOSS, Attributes.empty(), rows, c.input("target", -1f, 1f, 3, 4, 4)));

    c = new TrainingCaseBuilder("gather: axis 1 of a parameter [3,5] by [4] with column 4 twice, mse");
    Value cols = c.apply(GATHER, attrs().set("axis", 1L).build(),
        c.parameter("codes", ParamRole.WEIGHT, -1f, 1f, 3, 5), c.indices("idx", new long[] {4, -1, 0, 2}, 4));
    out.add(c.loss(MSE_LOSS, Attributes.empty(), cols, c.input("target", -1f, 1f, 3, 4)));

    c = new TrainingCaseBuilder("gather: linear [4,5] -> [4,6] -> gather axis -1 by [2,2] with a repeat, mse");
    Value picked = c.apply(GATHER, attrs().set("axis", -1L).build(), linear(c, c.input("x", 4, 5), 5, 6),
        c.indices("idx", new long[] {5, 1, -1, 3}, 2, 2));
    out.add(c.loss(MSE_LOSS, Attributes.empty(), picked, c.input("target", -1f, 1f, 4, 2, 2)));

    c = new TrainingCaseBuilder("slice: linear [5,4] -> [5,7] -> rows 1 to -1, columns -6 to 100 step 2, mse");
    Value sliced = c.apply(SLICE, attrs().set("starts", 1L, -6L).set("ends", -1L, 100L).set("axes", 0L, 1L)
        .set("steps", 1L, 2L).build(), linear(c, c.input("x", 5, 4), 4, 7));
    out.add(c.loss(MSE_LOSS, Attributes.empty(), sliced, c.input("target", -1f, 1f, 3, 3)));

    c = new TrainingCaseBuilder("reduce_sum: linear [6,5] -> [6,4] -> sum over axis 1 keepdims 1, mse");
    Value sum = c.apply(REDUCE_SUM, attrs().set("axes", new long[] {1}).build(), linear(c, c.input("x", 6, 5), 5, 4));
    out.add(c.loss(MSE_LOSS, Attributes.empty(), sum, c.input("target", -2f, 2f, 6, 1)));

    c = new TrainingCaseBuilder("reduce_mean: linear [6,5] -> [6,4] -> mean over axis 0 keepdims 0, mse");
    Value mean = c.apply(REDUCE_MEAN, attrs().set("axes", new long[] {0}).set("keepdims", 0L).build(),
        linear(c, c.input("x", 6, 5), 5, 4));
    out.add(c.loss(MSE_LOSS, Attributes.empty(), mean, c.input("target", -1f, 1f, 4)));

    c = new TrainingCaseBuilder("reduce_sum: the loss is the sum over all axes of 1 + tanh(linear [4,5] -> [4,3])");
    Value all = c.apply(REDUCE_SUM, attrs().set("keepdims", 0L).build(),
        c.apply(ADD, c.constant(new float[] {1f}), c.apply(TANH, linear(c, c.input("x", 4, 5), 5, 3))));
    out.add(c.loss(all));
  }

  private static void elementwise(List<TrainingCase> out) {
    TrainingCaseBuilder c = new TrainingCaseBuilder("sqrt: sqrt(y·y + 0.25) of linear [6,5] -> [6,4], mse");
    Value y = linear(c, c.input("x", 6, 5), 5, 4);
    Value root = c.apply(SQRT, c.apply(ADD, c.apply(MUL, y, y), c.constant(new float[] {0.25f})));
    out.add(c.loss(MSE_LOSS, Attributes.empty(), root, c.input("target", 0f, 1.5f, 6, 4)));

    c = new TrainingCaseBuilder("abs: linear [6,5] -> [6,4] -> abs, mse");
    Value abs = c.apply(ABS, linear(c, c.input("x", 6, 5), 5, 4));
    out.add(c.loss(MSE_LOSS, Attributes.empty(), abs, c.input("target", -1f, 1f, 6, 4)));

    c = new TrainingCaseBuilder("tanh: linear [6,5] -> [6,4] -> tanh, mse");
    Value tanh = c.apply(TANH, linear(c, c.input("x", -2f, 2f, 6, 5), 5, 4));
    out.add(c.loss(MSE_LOSS, Attributes.empty(), tanh, c.input("target", -1f, 1f, 6, 4)));

    c = new TrainingCaseBuilder("clip: linear [6,5] -> [6,4] -> clip to [-0.3, 0.4], mse");
    Value clipped = c.apply(CLIP, attrs().set("min", -0.3f).set("max", 0.4f).build(),
        linear(c, c.input("x", 6, 5), 5, 4));
    out.add(c.loss(MSE_LOSS, Attributes.empty(), clipped, c.input("target", -1f, 1f, 6, 4)));

    c = new TrainingCaseBuilder("clip: linear [6,5] -> [6,4] -> clip with only min 0, mse");
    Value floored = c.apply(CLIP, attrs().set("min", 0f).build(), linear(c, c.input("x", 6, 5), 5, 4));
    out.add(c.loss(MSE_LOSS, Attributes.empty(), floored, c.input("target", -1f, 1f, 6, 4)));
  }

  /**
   * loss = Σ p·stop_gradient(p) over a parameter p [3,4]: the gradient is p (the stopped factor is a constant), where
   * an engine that lets gradient through the stopped branch would give 2p.
   */
  static TrainingCase stopGradientProduct() {
    TrainingCaseBuilder c = new TrainingCaseBuilder("stop_gradient: loss = sum(p * stop_gradient(p)), p [3,4]");
    Value p = c.parameter("p", ParamRole.WEIGHT, -1.5f, 1.5f, 3, 4);
    return c.loss(c.apply(REDUCE_SUM, attrs().set("keepdims", 0L).build(),
        c.apply(MUL, p, c.apply(STOP_GRADIENT, p))));
  }

  /**
   * Rows of a linear layer's output divided by their L2 norm computed through stop_gradient, as a metric loss that
   * treats the norm as a constant: only the numerator carries gradient.
   */
  private static TrainingCase stopGradientNormalization() {
    TrainingCaseBuilder c = new TrainingCaseBuilder("stop_gradient: linear [5,4] -> [5,6] divided by its stopped "
        + "row norm, mse");
    Value h = linear(c, c.input("x", 5, 4), 4, 6);
    Value norm = c.apply(SQRT, c.apply(REDUCE_SUM, attrs().set("axes", new long[] {-1}).build(), c.apply(MUL, h, h)));
    Value unit = c.apply(DIV, h, c.apply(STOP_GRADIENT, norm));
    return c.loss(MSE_LOSS, Attributes.empty(), unit, c.input("target", -0.5f, 0.5f, 5, 6));
  }
}
