package org.medvision.api.training;

import java.util.List;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ParameterSpec;

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
 * <p>Parameter groups ({@link ParamGroup}) refine this per parameter: the first group whose pattern matches a
 * parameter's name scales its learning rate, replaces λ, or freezes it (no gradient is computed for it and no
 * update, moment or step count touches it). {@link #settingsFor} resolves one parameter; every training engine
 * applies exactly that.
 *
 * @param kind the algorithm
 * @param beta1 AdamW's first-moment decay β1
 * @param beta2 AdamW's second-moment decay β2
 * @param epsilon AdamW's ε
 * @param weightDecay λ
 * @param momentum SGD's μ (0 for plain SGD)
 * @param nesterov SGD's Nesterov variant
 * @param groups per-parameter refinements, first match wins; empty for none
 */
public record OptimizerSpec(Kind kind, double beta1, double beta2, double epsilon, double weightDecay,
    double momentum, boolean nesterov, List<ParamGroup> groups) {
  /** Optimiser algorithms. */
  public enum Kind {
    /** Adam with decoupled weight decay (Loshchilov and Hutter, 2019). */
    ADAMW,
    /** Stochastic gradient descent with optional (Nesterov) momentum. */
    SGD
  }

  /** Checks ranges; copies the groups. */
  public OptimizerSpec {
    groups = List.copyOf(groups);
    if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || epsilon <= 0 || weightDecay < 0 || momentum < 0
        || momentum >= 1) {
      throw new MedvisionException("invalid optimiser settings: betas must be in [0, 1), epsilon positive, weight "
          + "decay non-negative and momentum in [0, 1); got " + this);
    }
    if (nesterov && momentum == 0) {
      throw new MedvisionException("Nesterov momentum needs a momentum above 0");
    }
  }

  /** The optimiser without parameter groups: every trainable parameter follows the plain rules. */
  public OptimizerSpec(Kind kind, double beta1, double beta2, double epsilon, double weightDecay, double momentum,
      boolean nesterov) {
    this(kind, beta1, beta2, epsilon, weightDecay, momentum, nesterov, List.of());
  }

  /** This optimiser with {@code newGroups} in place of its groups. */
  public OptimizerSpec withGroups(List<ParamGroup> newGroups) {
    return new OptimizerSpec(kind, beta1, beta2, epsilon, weightDecay, momentum, nesterov, newGroups);
  }

  /**
   * How parameter {@code p} is trained: frozen or not, its learning-rate factor and the weight decay λ it gets
   * (0 for roles that are never decayed).
   */
  public ParamSettings settingsFor(ParameterSpec p) {
    for (ParamGroup g : groups) {
      if (g.matches(p.name())) {
        double decay = Double.isNaN(g.weightDecay()) ? weightDecay : g.weightDecay();
        return new ParamSettings(g.frozen(), g.learningRateScale(), p.role().decayed() ? decay : 0);
      }
    }
    return new ParamSettings(false, 1, p.role().decayed() ? weightDecay : 0);
  }

  /**
   * Checks that every group matches at least one trainable parameter of {@code graph} (a pattern that matches
   * nothing is almost always a typo) and that something is left to train.
   *
   * @throws MedvisionException naming the group and some parameter names
   */
  public void checkGroups(Graph graph) {
    List<ParameterSpec> trainable = graph.parameters().stream().filter(p -> p.role().trainable()).toList();
    for (ParamGroup g : groups) {
      if (trainable.stream().noneMatch(p -> g.matches(p.name()))) {
        throw new MedvisionException("parameter group " + g + " matches no trainable parameter of graph '"
            + graph.name() + "'; names look like " + trainable.stream().limit(3).map(ParameterSpec::name).toList());
      }
    }
    if (!trainable.isEmpty() && trainable.stream().allMatch(p -> settingsFor(p).frozen())) {
      throw new MedvisionException("every trainable parameter of graph '" + graph.name() + "' is frozen by "
          + groups + "; nothing would train");
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
