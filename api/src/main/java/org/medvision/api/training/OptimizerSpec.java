package org.medvision.api.training;

import org.medvision.api.MedvisionException;

/**
 * An optimiser and its hyper-parameters; the learning rate is given per step (schedules live in the trainer).
 *
 * <p>Update rules, for a parameter p with gradient g at step t (1-based), identical to PyTorch's:
 * <ul>
 *   <li>{@link Kind#ADAMW}: if the parameter's role is decayed, p ← p − lr·λ·p (decoupled weight decay); then
 *       m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², p ← p − lr·(m/(1−β1^t)) / (√(v/(1−β2^t)) + ε).
 *   <li>{@link Kind#SGD}: if decayed, g ← g + λ·p (coupled L2); b ← g at t = 1, else b ← μ·b + g; with Nesterov
 *       g ← g + μ·b, else g ← b; p ← p − lr·g.
 * </ul>
 * Weight decay applies only to parameters whose {@link org.medvision.api.graph.ParamRole#decayed()} is true
 * (convolution and linear weights), never to norms, biases or layer scales.
 *
 * @param kind the algorithm
 * @param beta1 AdamW's first-moment decay β1
 * @param beta2 AdamW's second-moment decay β2
 * @param epsilon AdamW's ε
 * @param weightDecay λ
 * @param momentum SGD's μ (0 for plain SGD)
 * @param nesterov SGD's Nesterov variant
 */
public record OptimizerSpec(Kind kind, double beta1, double beta2, double epsilon, double weightDecay,
    double momentum, boolean nesterov) {
  /** Optimiser algorithms. */
  public enum Kind {
    /** Adam with decoupled weight decay (Loshchilov and Hutter, 2019). */
    ADAMW,
    /** Stochastic gradient descent with optional (Nesterov) momentum. */
    SGD
  }

  /** Checks ranges. */
  public OptimizerSpec {
    if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || epsilon <= 0 || weightDecay < 0 || momentum < 0
        || momentum >= 1) {
      throw new MedvisionException("invalid optimiser settings: betas must be in [0, 1), epsilon positive, weight "
          + "decay non-negative and momentum in [0, 1); got " + this);
    }
    if (nesterov && momentum == 0) {
      throw new MedvisionException("Nesterov momentum needs a momentum above 0");
    }
  }

  /** AdamW with β = (0.9, 0.999), ε = 1e-8 and the given decoupled weight decay (PyTorch's defaults). */
  public static OptimizerSpec adamW(double weightDecay) {
    return new OptimizerSpec(Kind.ADAMW, 0.9, 0.999, 1e-8, weightDecay, 0, false);
  }

  /** SGD with momentum {@code momentum} and L2 weight decay {@code weightDecay}. */
  public static OptimizerSpec sgd(double momentum, double weightDecay, boolean nesterov) {
    return new OptimizerSpec(Kind.SGD, 0.9, 0.999, 1e-8, weightDecay, momentum, nesterov);
  }
}
