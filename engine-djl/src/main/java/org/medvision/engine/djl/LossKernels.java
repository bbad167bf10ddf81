package org.medvision.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import org.medvision.api.engine.EngineException;

/**
 * The IR's loss ops as compositions of differentiable NDArray operations, each following the formula in its
 * {@link org.medvision.api.graph.Op} Javadoc (PyTorch's and MONAI's definitions). Each returns a float32 scalar.
 */
final class LossKernels {
  private LossKernels() {}

  /**
   * Cross-entropy with label smoothing ε and class weights w: Σ_i [(1−ε)·w[y_i]·(−l[i,y_i]) + (ε/C)·Σ_c w[c]·(−l[i,c])]
   * / Σ_i w[y_i] with l = log_softmax(logits).
   */
  static NDArray crossEntropy(OpContext ctx, NDArray logits, NDArray target) {
    if (logits.getShape().dimension() != 2) {
      throw new EngineException(ctx.where() + ": logits must be [N, C], got " + logits.getShape());
    }
    long n = logits.getShape().get(0);
    int classes = Math.toIntExact(logits.getShape().get(1));
    if (target.getShape().dimension() != 1 || target.getShape().get(0) != n) {
      throw new EngineException(ctx.where() + ": target must be [" + n + "] class indices, got " + target.getShape());
    }
    long[] labels = target.toType(DataType.INT64, false).toLongArray();
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new EngineException(ctx.where() + ": target class " + labels[i] + " at index " + i
            + " is outside [0, " + classes + ")");
      }
    }
    float epsilon = ctx.node().attributes().getFloat("label_smoothing");
    float[] weights = ctx.node().attributes().raw("class_weights").map(float[].class::cast).orElse(null);
    if (weights != null && weights.length != classes) {
      throw new EngineException(ctx.where() + ": class_weights has " + weights.length + " values for " + classes
          + " classes");
    }
    NDArray negLog = logits.logSoftmax(1).neg();
    NDArray oneHot = target.oneHot(classes);
    NDArray w = weights == null ? null : ctx.scope().create(weights);
    NDArray picked = w == null ? oneHot : oneHot.mul(w);
    NDArray sampleWeight = picked.sum(new int[] {1});
    NDArray loss = Scalars.mul(negLog.mul(picked).sum(), 1 - epsilon);
    if (epsilon != 0f) {
      NDArray spread = w == null ? negLog.sum() : negLog.mul(w).sum();
      loss = loss.add(Scalars.mul(spread, epsilon / classes));
    }
    return loss.div(sampleWeight.sum());
  }

  /**
   * Binary cross-entropy on logits with positive weights p: the mean of ℓ = (1−t)·x + (1 + (p−1)·t)·softplus(−x),
   * which equals −(p·t·log σ(x) + (1−t)·log(1−σ(x))) and stays finite for large |x|; with a weight w (broadcast to
   * x), Σ w·ℓ / Σ w, and 0 when Σ w is 0.
   *
   * @param w the weight, or {@code null} for the plain mean
   */
  static NDArray bceWithLogits(OpContext ctx, NDArray x, NDArray t, NDArray w) {
    sameShape(ctx, x, t);
    float[] pos = ctx.node().attributes().raw("pos_weight").map(float[].class::cast).orElse(null);
    NDArray softplusNeg = x.neg().getNDArrayInternal().softPlus();
    NDArray notTarget = Scalars.add(t.neg(), 1f);
    NDArray logWeight;
    if (pos == null) {
      logWeight = null;
    } else {
      long k = x.getShape().dimension() == 0 ? 1 : x.getShape().get(x.getShape().dimension() - 1);
      if (pos.length != k && pos.length != 1) {
        throw new EngineException(ctx.where() + ": pos_weight has " + pos.length + " values for " + k
            + " labels (last axis of " + x.getShape() + ")");
      }
      logWeight = Scalars.add(Scalars.sub(ctx.scope().create(pos), 1f).mul(t), 1f);
    }
    NDArray loss = notTarget.mul(x).add(logWeight == null ? softplusNeg : logWeight.mul(softplusNeg));
    return w == null ? loss.mean() : weightedMean(ctx, loss, w);
  }

  /**
   * Σ w·ℓ / Σ w over ℓ's elements, w broadcast to ℓ's shape. When every weight is 0 the numerator is 0 and its
   * gradient w·dℓ too, so dividing by Σ w + 1 instead of Σ w gives the contract's 0 with a 0 gradient rather than
   * 0/0; the 1 is added only then, through a comparison that carries no gradient.
   */
  private static NDArray weightedMean(OpContext ctx, NDArray loss, NDArray w) {
    NDArray broadcast;
    try {
      broadcast = w.broadcast(loss.getShape());
    } catch (RuntimeException e) {
      throw new EngineException(ctx.where() + ": weight " + w.getShape() + " does not broadcast to the logits "
          + loss.getShape(), e);
    }
    NDArray total = broadcast.sum();
    NDArray none = total.eq(Scalars.like(total, 0)).toType(total.getDataType(), false);
    return loss.mul(broadcast).sum().div(total.add(none));
  }

  /** Mean absolute error. */
  static NDArray l1(OpContext ctx, NDArray a, NDArray b) {
    sameShape(ctx, a, b);
    return a.sub(b).abs().mean();
  }

  /** Mean squared error. */
  static NDArray mse(OpContext ctx, NDArray a, NDArray b) {
    sameShape(ctx, a, b);
    return a.sub(b).square().mean();
  }

  /** Soft Dice: mean over (n, c) of 1 − (2·Σ p·t + s) / (Σ p + Σ t + s) over the spatial axes, p = σ(x). */
  static NDArray softDice(OpContext ctx, NDArray x, NDArray t) {
    sameShape(ctx, x, t);
    int rank = x.getShape().dimension();
    if (rank < 2) {
      throw new EngineException(ctx.where() + ": input must be [N, C, spatial...], got " + x.getShape());
    }
    float smooth = ctx.node().attributes().getFloat("smooth");
    NDArray p = x.getNDArrayInternal().sigmoid();
    NDArray intersection = p.mul(t);
    NDArray total = p.add(t);
    if (rank > 2) {
      int[] axes = new int[rank - 2];
      Arrays.setAll(axes, i -> i + 2);
      intersection = intersection.sum(axes);
      total = total.sum(axes);
    }
    NDArray dice = Scalars.add(Scalars.mul(intersection, 2f), smooth).div(Scalars.add(total, smooth));
    return Scalars.add(dice.neg(), 1f).mean();
  }

  private static void sameShape(OpContext ctx, NDArray a, NDArray b) {
    if (!a.getShape().equals(b.getShape())) {
      throw new EngineException(ctx.where() + ": its two inputs must have one shape, got " + a.getShape() + " and "
          + b.getShape());
    }
  }
}
