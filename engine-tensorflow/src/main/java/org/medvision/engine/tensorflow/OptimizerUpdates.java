package org.medvision.engine.tensorflow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.training.OptimizerSpec;
import org.medvision.api.training.ParamSettings;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The update rules of {@link OptimizerSpec} as graph ops over resource variables, in the order and float32
 * arithmetic the spec (and the DJL engine) use. The step-dependent scalars (bias corrections, the decay factor, the
 * learning rate) are computed on the host in double precision and fed per step, one set per distinct parameter-group
 * setting (learning-rate factor and weight decay, see {@link OptimizerSpec#settingsFor}), so a group's parameters
 * step with exactly the values the host computed for it. Optimiser state variables start at zero, which makes SGD's
 * first-step rule b ← g the same as b ← μ·b + g. Frozen parameters are not given to this class at all.
 *
 * <p>Within one update each variable is read once and assigned once from values computed from those reads, so the
 * session's op order cannot matter.
 */
final class OptimizerUpdates {
  /** Variable key prefix of AdamW's first moments (the state's own entry names). */
  static final String EXP_AVG = "exp_avg.";
  /** Variable key prefix of AdamW's second moments. */
  static final String EXP_AVG_SQ = "exp_avg_sq.";
  /** Variable key prefix of SGD's momentum buffers. */
  static final String MOMENTUM_BUFFER = "momentum_buffer.";

  private final OptimizerSpec spec;
  private final Placeholder<TFloat32> sqrtCorrection2;
  /** The fed scalars of each distinct setting, in first-use order. */
  private final Map<ParamSettings, Scalars> scalars = new LinkedHashMap<>();
  private final List<Op> updates = new ArrayList<>();

  /**
   * The scalars fed per step for one parameter-group setting.
   *
   * @param settings the learning-rate factor and weight decay they are computed for
   * @param learningRate lr·factor
   * @param decayFactor AdamW's 1 − lr·factor·λ
   * @param stepSize AdamW's lr·factor / (1 − β1^t)
   */
  private record Scalars(ParamSettings settings, Placeholder<TFloat32> learningRate,
      Placeholder<TFloat32> decayFactor, Placeholder<TFloat32> stepSize) {}

  /**
   * Declares the state variables of {@code trained} and builds one update per parameter.
   *
   * @param trained the parameters to update: trainable and not frozen
   * @param gradientKey maps a parameter name to its gradient accumulator's variable key
   */
  OptimizerUpdates(Ops root, OptimizerSpec spec, List<ParameterSpec> trained, ResourceVariables variables,
      java.util.function.UnaryOperator<String> gradientKey) {
    this.spec = spec;
    Ops tf = root.withSubScope("optimizer");
    sqrtCorrection2 = scalarFeed(tf, "sqrt_correction2");
    for (ParameterSpec p : trained) {
      for (String prefix : statePrefixes(spec)) {
        variables.declare(prefix + p.name(), p.shape());
      }
    }
    for (ParameterSpec p : trained) {
      // One scope for all updates: each withSubScope call scans every op of the graph.
      ParamSettings settings = spec.settingsFor(p);
      Scalars fed = scalars.computeIfAbsent(settings, s -> new Scalars(s,
          scalarFeed(tf, "learning_rate_" + scalars.size()), scalarFeed(tf, "decay_factor_" + scalars.size()),
          scalarFeed(tf, "step_size_" + scalars.size())));
      Operand<TFloat32> param = variables.read(tf, p.name());
      Operand<TFloat32> grad = variables.read(tf, gradientKey.apply(p.name()));
      if (spec.kind() == OptimizerSpec.Kind.ADAMW) {
        adamW(tf, p.name(), param, grad, fed, variables);
      } else {
        sgd(tf, p.name(), param, grad, fed, variables);
      }
    }
  }

  private static Placeholder<TFloat32> scalarFeed(Ops tf, String name) {
    return tf.withName(name).placeholder(TFloat32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.scalar()));
  }

  /** The state entry prefixes {@code spec} keeps per parameter, in export order. */
  static List<String> statePrefixes(OptimizerSpec spec) {
    if (spec.kind() == OptimizerSpec.Kind.ADAMW) {
      return List.of(EXP_AVG, EXP_AVG_SQ);
    }
    return spec.momentum() > 0 ? List.of(MOMENTUM_BUFFER) : List.of();
  }

  private void adamW(Ops tf, String name, Operand<TFloat32> p, Operand<TFloat32> g, Scalars fed,
      ResourceVariables variables) {
    Operand<TFloat32> m = variables.read(tf, EXP_AVG + name);
    Operand<TFloat32> v = variables.read(tf, EXP_AVG_SQ + name);
    Operand<TFloat32> decayedP = fed.settings().weightDecay() != 0 ? tf.math.mul(p, fed.decayFactor()) : p;
    Operand<TFloat32> m1 = tf.math.add(tf.math.mul(m, scalar(tf, spec.beta1())),
        tf.math.mul(g, scalar(tf, 1 - spec.beta1())));
    Operand<TFloat32> v1 = tf.math.add(tf.math.mul(v, scalar(tf, spec.beta2())),
        tf.math.mul(tf.math.square(g), scalar(tf, 1 - spec.beta2())));
    Operand<TFloat32> denominator = tf.math.add(tf.math.div(tf.math.sqrt(v1), sqrtCorrection2),
        scalar(tf, spec.epsilon()));
    Operand<TFloat32> p1 = tf.math.sub(decayedP, tf.math.mul(tf.math.div(m1, denominator), fed.stepSize()));
    updates.add(tf.assignVariableOp(variables.get(EXP_AVG + name).handle(), m1));
    updates.add(tf.assignVariableOp(variables.get(EXP_AVG_SQ + name).handle(), v1));
    updates.add(tf.assignVariableOp(variables.get(name).handle(), p1));
  }

  private void sgd(Ops tf, String name, Operand<TFloat32> p, Operand<TFloat32> g, Scalars fed,
      ResourceVariables variables) {
    double decay = fed.settings().weightDecay();
    Operand<TFloat32> d = decay != 0 ? tf.math.add(g, tf.math.mul(p, scalar(tf, decay))) : g;
    if (spec.momentum() > 0) {
      Operand<TFloat32> b = variables.read(tf, MOMENTUM_BUFFER + name);
      Operand<TFloat32> b1 = tf.math.add(tf.math.mul(b, scalar(tf, spec.momentum())), d);
      updates.add(tf.assignVariableOp(variables.get(MOMENTUM_BUFFER + name).handle(), b1));
      d = spec.nesterov() ? tf.math.add(d, tf.math.mul(b1, scalar(tf, spec.momentum()))) : b1;
    }
    updates.add(tf.assignVariableOp(variables.get(name).handle(),
        tf.math.sub(p, tf.math.mul(d, fed.learningRate()))));
  }

  private static Operand<TFloat32> scalar(Ops tf, double value) {
    return tf.constant((float) value);
  }

  /** Every assignment of one step. */
  List<Op> updates() {
    return updates;
  }

  /** The scalar placeholders of a step, in the order of {@link #scalarValues}. */
  List<Placeholder<TFloat32>> scalarFeeds() {
    List<Placeholder<TFloat32>> feeds = new ArrayList<>();
    feeds.add(sqrtCorrection2);
    for (Scalars s : scalars.values()) {
      feeds.add(s.learningRate());
      feeds.add(s.decayFactor());
      feeds.add(s.stepSize());
    }
    return feeds;
  }

  /** The values for {@link #scalarFeeds()} at step {@code t} (1-based) with learning rate {@code lr}. */
  float[] scalarValues(double lr, long t) {
    double correction1 = 1 - Math.pow(spec.beta1(), t);
    double correction2 = 1 - Math.pow(spec.beta2(), t);
    float[] values = new float[1 + 3 * scalars.size()];
    values[0] = (float) Math.sqrt(correction2);
    int i = 1;
    for (Scalars s : scalars.values()) {
      double scaled = lr * s.settings().learningRateScale();
      values[i++] = (float) scaled;
      values[i++] = (float) (1 - scaled * s.settings().weightDecay());
      values[i++] = (float) (scaled / correction1);
    }
    return values;
  }
}
