package org.medvision.engine.tensorflow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;

/**
 * The small graph pieces a session runs between forwards: one read per variable for copies to the host, and over the
 * gradient accumulators the squared norms (for {@code gradientNorm}), scaling and zeroing.
 */
final class TrainingKernels {
  private final Ops tf;
  private final ResourceVariables variables;
  private final Map<String, Operand<TFloat32>> reads = new HashMap<>();
  private final Operand<TFloat32> squaredNorms;
  private final Placeholder<TFloat32> factor;
  private final List<Op> scale = new ArrayList<>();
  private final List<Op> zero = new ArrayList<>();

  /** Builds the pieces over the accumulators {@code gradientKeys}. */
  TrainingKernels(Ops tf, ResourceVariables variables, List<String> gradientKeys) {
    // Scopes made once: each withSubScope call scans every op of the graph.
    this.tf = tf.withSubScope("read");
    this.variables = variables;
    Ops s = tf.withSubScope("scale");
    Ops z = tf.withSubScope("zero");
    this.factor = tf.withName("scale_factor").placeholder(TFloat32.class,
        Placeholder.shape(org.tensorflow.ndarray.Shape.scalar()));
    List<Operand<TFloat32>> norms = new ArrayList<>();
    for (String key : gradientKeys) {
      Operand<TFloat32> g = read(key);
      Operand<TFloat32> squares = tf.math.square(g);
      norms.add(tf.reduceSum(squares, tf.range(tf.constant(0), tf.rank(squares), tf.constant(1)),
          ReduceSum.keepDims(false)));
      scale.add(s.assignVariableOp(variables.get(key).handle(), s.math.mul(variables.read(s, key), factor)));
      // Fresh zeros rather than g·0, which would keep a NaN or infinite gradient alive into the next step.
      zero.add(z.assignVariableOp(variables.get(key).handle(),
          z.fill(z.constant(variables.get(key).shape().dims()), z.constant(0f))));
    }
    squaredNorms = norms.isEmpty() ? null : tf.stack(norms);
  }

  /** The export read of variable {@code key}, created on first use. */
  Operand<TFloat32> read(String key) {
    return reads.computeIfAbsent(key, k -> variables.read(tf, k));
  }

  /** Σ g² per accumulator, each summed in float32. */
  float[] squaredNorms(Session session) {
    if (squaredNorms == null) {
      return new float[0];
    }
    try (Result r = session.runner().fetch(squaredNorms).run()) {
      return HostTensors.toHost(r.get(0)).toFloatArray();
    }
  }

  /** Multiplies every accumulator by {@code value}. */
  void scale(Session session, double value) {
    if (scale.isEmpty()) {
      return;
    }
    try (TFloat32 f = TFloat32.scalarOf((float) value)) {
      Session.Runner runner = session.runner().feed(factor, f);
      scale.forEach(runner::addTarget);
      runner.run().close();
    }
  }

  /** Sets every accumulator to zero. */
  void zero(Session session) {
    if (zero.isEmpty()) {
      return;
    }
    Session.Runner runner = session.runner();
    zero.forEach(runner::addTarget);
    runner.run().close();
  }
}
