package org.medvision.engine.tensorflow;

import java.util.ArrayList;
import java.util.List;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.training.OptimizerSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The update rules of {@link OptimizerSpec} as graph ops over resource variables, in the order and float32
 * arithmetic the spec (and the DJL engine) use. The step-dependent scalars (bias corrections, the decay factor, the
 * learning rate) are computed on the host in double precision and fed per step; optimiser state variables start at
 * zero, which makes SGD's first-step rule b ← g the same as b ← μ·b + g.
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
  private final Placeholder<TFloat32> learningRate;
  private final Placeholder<TFloat32> decayFactor;
  private final Placeholder<TFloat32> stepSize;
  private final Placeholder<TFloat32> sqrtCorrection2;
  private final List<Op> updates = new ArrayList<>();

  /**
   * Declares the state variables of {@code trainable} and builds one update per parameter.
   *
   * @param gradientKey maps a parameter name to its gradient accumulator's variable key
   */
  OptimizerUpdates(Ops root, OptimizerSpec spec, List<ParameterSpec> trainable, ResourceVariables variables,
      java.util.function.UnaryOperator<String> gradientKey) {
    this.spec = spec;
    Ops tf = root.withSubScope("optimizer");
    org.tensorflow.ndarray.Shape scalar = org.tensorflow.ndarray.Shape.scalar();
    learningRate = tf.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(scalar));
    decayFactor = tf.withName("decay_factor").placeholder(TFloat32.class, Placeholder.shape(scalar));
    stepSize = tf.withName("step_size").placeholder(TFloat32.class, Placeholder.shape(scalar));
    sqrtCorrection2 = tf.withName("sqrt_correction2").placeholder(TFloat32.class, Placeholder.shape(scalar));
    for (ParameterSpec p : trainable) {
      for (String prefix : statePrefixes(spec)) {
        variables.declare(prefix + p.name(), p.shape());
      }
    }
    for (ParameterSpec p : trainable) {
      // One scope for all updates: each withSubScope call scans every op of the graph.
      Ops scope = tf;
      Operand<TFloat32> param = variables.read(scope, p.name());
      Operand<TFloat32> grad = variables.read(scope, gradientKey.apply(p.name()));
      boolean decayed = p.role().decayed() && spec.weightDecay() != 0;
      if (spec.kind() == OptimizerSpec.Kind.ADAMW) {
        adamW(scope, p.name(), param, grad, decayed, variables);
      } else {
        sgd(scope, p.name(), param, grad, decayed, variables);
      }
    }
  }

  /** The state entry prefixes {@code spec} keeps per parameter, in export order. */
  static List<String> statePrefixes(OptimizerSpec spec) {
    if (spec.kind() == OptimizerSpec.Kind.ADAMW) {
      return List.of(EXP_AVG, EXP_AVG_SQ);
    }
    return spec.momentum() > 0 ? List.of(MOMENTUM_BUFFER) : List.of();
  }

  private void adamW(Ops tf, String name, Operand<TFloat32> p, Operand<TFloat32> g, boolean decayed,
      ResourceVariables variables) {
    Operand<TFloat32> m = variables.read(tf, EXP_AVG + name);
    Operand<TFloat32> v = variables.read(tf, EXP_AVG_SQ + name);
    Operand<TFloat32> decayedP = decayed ? tf.math.mul(p, decayFactor) : p;
    Operand<TFloat32> m1 = tf.math.add(tf.math.mul(m, scalar(tf, spec.beta1())),
        tf.math.mul(g, scalar(tf, 1 - spec.beta1())));
    Operand<TFloat32> v1 = tf.math.add(tf.math.mul(v, scalar(tf, spec.beta2())),
        tf.math.mul(tf.math.square(g), scalar(tf, 1 - spec.beta2())));
    Operand<TFloat32> denominator = tf.math.add(tf.math.div(tf.math.sqrt(v1), sqrtCorrection2),
        scalar(tf, spec.epsilon()));
    Operand<TFloat32> p1 = tf.math.sub(decayedP, tf.math.mul(tf.math.div(m1, denominator), stepSize));
    updates.add(tf.assignVariableOp(variables.get(EXP_AVG + name).handle(), m1));
    updates.add(tf.assignVariableOp(variables.get(EXP_AVG_SQ + name).handle(), v1));
    updates.add(tf.assignVariableOp(variables.get(name).handle(), p1));
  }

  private void sgd(Ops tf, String name, Operand<TFloat32> p, Operand<TFloat32> g, boolean decayed,
      ResourceVariables variables) {
    Operand<TFloat32> d = decayed ? tf.math.add(g, tf.math.mul(p, scalar(tf, spec.weightDecay()))) : g;
    if (spec.momentum() > 0) {
      Operand<TFloat32> b = variables.read(tf, MOMENTUM_BUFFER + name);
      Operand<TFloat32> b1 = tf.math.add(tf.math.mul(b, scalar(tf, spec.momentum())), d);
      updates.add(tf.assignVariableOp(variables.get(MOMENTUM_BUFFER + name).handle(), b1));
      d = spec.nesterov() ? tf.math.add(d, tf.math.mul(b1, scalar(tf, spec.momentum()))) : b1;
    }
    updates.add(tf.assignVariableOp(variables.get(name).handle(), tf.math.sub(p, tf.math.mul(d, learningRate))));
  }

  private static Operand<TFloat32> scalar(Ops tf, double value) {
    return tf.constant((float) value);
  }

  /** Every assignment of one step. */
  List<Op> updates() {
    return updates;
  }

  /**
   * The scalar feeds of step {@code t} (1-based) with learning rate {@code lr}: placeholders and values in the same
   * order.
   */
  List<Placeholder<TFloat32>> scalarFeeds() {
    return List.of(learningRate, decayFactor, stepSize, sqrtCorrection2);
  }

  /** The values for {@link #scalarFeeds()} at step {@code t}. */
  float[] scalarValues(double lr, long t) {
    double correction1 = 1 - Math.pow(spec.beta1(), t);
    double correction2 = 1 - Math.pow(spec.beta2(), t);
    return new float[] {(float) lr, (float) (1 - lr * spec.weightDecay()), (float) (lr / correction1),
        (float) Math.sqrt(correction2)};
  }
}
