package org.medvision.engine.tensorflow;

import java.util.Arrays;
import org.medvision.api.engine.EngineException;
import org.medvision.api.graph.Node;
import org.medvision.api.tensor.Tensor;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The IR's loss ops as differentiable TensorFlow compositions, each following the formula in its
 * {@link org.medvision.api.graph.Op} Javadoc (PyTorch's and MONAI's definitions); each yields a float32 scalar. Inputs
 * are taken in the IR's axis order, since every loss either reduces everything or names IR axes.
 */
final class LossLowering {
  private LossLowering() {}

  /**
   * CROSS_ENTROPY: Σ_i [(1−ε)·w[y_i]·(−l[i,y_i]) + (ε/C)·Σ_c w[c]·(−l[i,c])] / Σ_i w[y_i] with l = log_softmax.
   * The class indices are checked on the host before each run ({@link #checkLabels}), because TensorFlow's OneHot
   * turns an out-of-range index into a zero row silently.
   */
  static Operand<TFloat32> crossEntropy(OpContext ctx, Placed logitsIn, Operand<TInt64> labels) {
    Ops tf = ctx.tf();
    long[] dims = logitsIn.dims();
    if (dims.length != 2 || dims[1] < 1) {
      throw ctx.error("logits must be [N, C] with C known, got " + Arrays.toString(dims));
    }
    int classes = Math.toIntExact(dims[1]);
    float epsilon = ctx.node().attributes().getFloat("label_smoothing");
    float[] weights = classWeights(ctx.node(), classes);
    Operand<TFloat32> logits = Relayout.logical(tf, logitsIn).operand();
    Operand<TFloat32> negLog = tf.math.neg(tf.nn.logSoftmax(logits));
    Operand<TFloat32> oneHot = tf.oneHot(labels, tf.constant(classes), ctx.scalar(1f), ctx.scalar(0f));
    Operand<TFloat32> w = weights == null ? null : tf.constant(weights);
    Operand<TFloat32> picked = w == null ? oneHot : tf.math.mul(oneHot, w);
    Operand<TFloat32> loss = tf.math.mul(sumAll(ctx, tf.math.mul(negLog, picked)), ctx.scalar(1 - epsilon));
    if (epsilon != 0f) {
      Operand<TFloat32> spread = sumAll(ctx, w == null ? negLog : tf.math.mul(negLog, w));
      loss = tf.math.add(loss, tf.math.mul(spread, ctx.scalar(epsilon / classes)));
    }
    return tf.math.div(loss, sumAll(ctx, picked));
  }

  /**
   * Checks that {@code labels} holds class indices in [0, classes) for cross-entropy node {@code node}.
   *
   * @throws EngineException naming the node, the first bad index and its position
   */
  static void checkLabels(Node node, Tensor labels, long classes) {
    long[] values = labels.toLongArray();
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0 || values[i] >= classes) {
        throw new EngineException("node '" + node.name() + "' (" + node.op().irName() + "): target class "
            + values[i] + " at index " + i + " of input '" + node.inputs().get(1) + "' is outside [0, " + classes
            + ")");
      }
    }
  }

  private static float[] classWeights(Node node, int classes) {
    float[] weights = node.attributes().raw("class_weights").map(float[].class::cast).orElse(null);
    if (weights != null && weights.length != classes) {
      throw new EngineException("node '" + node.name() + "' (" + node.op().irName() + "): class_weights has "
          + weights.length + " values for " + classes + " classes");
    }
    return weights;
  }

  /**
   * BCE_WITH_LOGITS with positive weights p: the mean of ℓ = (1−t)·x + (1 + (p−1)·t)·softplus(−x), which equals
   * −(p·t·log σ(x) + (1−t)·log(1−σ(x))) and stays finite for large |x|; with a weight w, Σ w·ℓ / Σ w over x's
   * elements (w broadcast), where DivNoNan gives the contract's 0, with a 0 gradient, when every weight is 0.
   *
   * @param wIn the weight, or {@code null} for the plain mean
   */
  static Operand<TFloat32> bceWithLogits(OpContext ctx, Placed xIn, Placed tIn, Placed wIn) {
    Ops tf = ctx.tf();
    sameShape(ctx, xIn, tIn);
    Operand<TFloat32> x = Relayout.logical(tf, xIn).operand();
    Operand<TFloat32> t = Relayout.logical(tf, tIn).operand();
    float[] pos = ctx.node().attributes().raw("pos_weight").map(float[].class::cast).orElse(null);
    Operand<TFloat32> softplusNeg = tf.math.softplus(tf.math.neg(x));
    Operand<TFloat32> notTarget = tf.math.sub(ctx.scalar(1f), t);
    Operand<TFloat32> weighted = softplusNeg;
    if (pos != null) {
      long[] dims = xIn.dims();
      long k = dims.length == 0 ? 1 : dims[dims.length - 1];
      if (pos.length != k && pos.length != 1) {
        throw ctx.error("pos_weight has " + pos.length + " values for " + k + " labels (last axis of "
            + Arrays.toString(dims) + ")");
      }
      Operand<TFloat32> logWeight = tf.math.add(tf.math.mul(tf.math.sub(tf.constant(pos), ctx.scalar(1f)), t),
          ctx.scalar(1f));
      weighted = tf.math.mul(logWeight, softplusNeg);
    }
    Operand<TFloat32> loss = tf.math.add(tf.math.mul(notTarget, x), weighted);
    if (wIn == null) {
      return meanAll(ctx, loss);
    }
    Operand<TFloat32> w = tf.broadcastTo(Relayout.logical(tf, wIn).operand(), tf.shape(x));
    return tf.math.divNoNan(sumAll(ctx, tf.math.mul(loss, w)), sumAll(ctx, w));
  }

  /** L1_LOSS: mean absolute error. */
  static Operand<TFloat32> l1(OpContext ctx, Placed a, Placed b) {
    return meanAll(ctx, ctx.tf().math.abs(difference(ctx, a, b)));
  }

  /** MSE_LOSS: mean squared error. */
  static Operand<TFloat32> mse(OpContext ctx, Placed a, Placed b) {
    return meanAll(ctx, ctx.tf().math.square(difference(ctx, a, b)));
  }

  /** SOFT_DICE: mean over (n, c) of 1 − (2·Σ p·t + s) / (Σ p + Σ t + s) over the spatial axes, p = σ(x). */
  static Operand<TFloat32> softDice(OpContext ctx, Placed xIn, Placed tIn) {
    Ops tf = ctx.tf();
    sameShape(ctx, xIn, tIn);
    int rank = xIn.rank();
    if (rank < 2) {
      throw ctx.error("input must be [N, C, spatial...], got " + Arrays.toString(xIn.dims()));
    }
    float smooth = ctx.node().attributes().getFloat("smooth");
    Operand<TFloat32> p = tf.math.sigmoid(Relayout.logical(tf, xIn).operand());
    Operand<TFloat32> t = Relayout.logical(tf, tIn).operand();
    Operand<TFloat32> intersection = tf.math.mul(p, t);
    Operand<TFloat32> total = tf.math.add(p, t);
    if (rank > 2) {
      int[] axes = new int[rank - 2];
      Arrays.setAll(axes, i -> i + 2);
      intersection = tf.reduceSum(intersection, ctx.ints(axes));
      total = tf.reduceSum(total, ctx.ints(axes));
    }
    Operand<TFloat32> dice = tf.math.div(tf.math.add(tf.math.mul(intersection, ctx.scalar(2f)), ctx.scalar(smooth)),
        tf.math.add(total, ctx.scalar(smooth)));
    return meanAll(ctx, tf.math.sub(ctx.scalar(1f), dice));
  }

  private static Operand<TFloat32> difference(OpContext ctx, Placed a, Placed b) {
    sameShape(ctx, a, b);
    Ops tf = ctx.tf();
    // Both in a's layout: the difference is reduced over everything, so the storage order does not matter.
    return tf.math.sub(a.operand(), Relayout.to(tf, b, a.layout()).operand());
  }

  private static void sameShape(OpContext ctx, Placed a, Placed b) {
    long[] x = a.dims();
    long[] y = b.dims();
    boolean same = x.length == y.length;
    for (int i = 0; same && i < x.length; i++) {
      same = x[i] < 0 || y[i] < 0 || x[i] == y[i];
    }
    if (!same) {
      throw ctx.error("its two inputs must have one shape, got " + Arrays.toString(x) + " and "
          + Arrays.toString(y));
    }
  }

  private static Operand<TFloat32> sumAll(OpContext ctx, Operand<TFloat32> x) {
    return ctx.tf().reduceSum(x, allAxes(ctx, x), ReduceSum.keepDims(false));
  }

  private static Operand<TFloat32> meanAll(OpContext ctx, Operand<TFloat32> x) {
    return ctx.tf().math.mean(x, allAxes(ctx, x));
  }

  /** [0, rank) of {@code x} computed at run time, so dynamic extents need nothing special. */
  private static Operand<org.tensorflow.types.TInt32> allAxes(OpContext ctx, Operand<TFloat32> x) {
    Ops tf = ctx.tf();
    return tf.range(tf.constant(0), tf.rank(x), tf.constant(1));
  }
}
