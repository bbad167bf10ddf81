package org.medvision.engine.tensorflow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.medvision.api.engine.EngineException;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TFloat32;

/**
 * The float32 resource variables of one TensorFlow graph (a training session's parameters, buffers, gradient
 * accumulators and optimiser state, or a compiled model's weights), each with its own shared name, plus one "assign
 * from the host" op per variable.
 *
 * <p>Shared names carry a process-unique prefix: TensorFlow makes every {@code VarHandleOp} without a shared name
 * alias one variable, and distinct sessions must never meet in a resource container either.
 */
final class ResourceVariables {
  private static final AtomicLong GRAPHS = new AtomicLong();

  private final Ops tf;
  private final String prefix;
  private final Map<String, Variable> variables = new LinkedHashMap<>();

  /**
   * One variable: its handle, declared shape, and the placeholder and op that overwrite it from the host.
   *
   * @param handle the resource handle
   * @param shape the shape it always has
   * @param feed placeholder of a new value
   * @param assign assigns {@code feed} to the variable
   */
  record Variable(Operand<?> handle, Shape shape, Placeholder<TFloat32> feed, Op assign) {}

  /**
   * Variables whose ops go in the subscope {@code variables} of {@code tf}.
   *
   * @param purpose what they serve, part of the shared names ({@code training}, {@code inference})
   */
  ResourceVariables(Ops tf, String purpose) {
    // One subscope for all variables: each withSubScope call scans every op of the graph.
    this.tf = tf.withSubScope("variables");
    this.prefix = "medvision-" + purpose + "-" + GRAPHS.incrementAndGet() + "/";
  }

  /** Declares variable {@code key} of {@code shape}; keys are unique within the graph. */
  Variable declare(String key, Shape shape) {
    if (variables.containsKey(key)) {
      throw new IllegalStateException("variable '" + key + "' is declared twice");
    }
    org.tensorflow.ndarray.Shape tfShape = org.tensorflow.ndarray.Shape.of(shape.dims());
    String opName = GraphLowering.opName("v" + variables.size(), key);
    VarHandleOp handle = tf.withName(opName).varHandleOp(TFloat32.class, tfShape,
        VarHandleOp.sharedName(prefix + key));
    Placeholder<TFloat32> feed = tf.withName(opName + "_feed").placeholder(TFloat32.class,
        Placeholder.shape(tfShape));
    Op assign = tf.withName(opName + "_assign").assignVariableOp(handle, feed);
    Variable v = new Variable(handle, shape, feed, assign);
    variables.put(key, v);
    return v;
  }

  /** The variable {@code key}. */
  Variable get(String key) {
    Variable v = variables.get(key);
    if (v == null) {
      throw new IllegalStateException("no variable '" + key + "'");
    }
    return v;
  }

  /** A new read of variable {@code key} in {@code ops}' scope. */
  Operand<TFloat32> read(Ops ops, String key) {
    return ops.readVariableOp(get(key).handle(), TFloat32.class);
  }

  /**
   * Overwrites variables from host tensors in one session call; each tensor must have its variable's shape.
   *
   * @throws EngineException naming a tensor whose shape differs
   */
  void assign(Session session, Map<String, Tensor> values) {
    Map<String, TFloat32> fed = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, Tensor> e : values.entrySet()) {
        Tensor t = e.getValue();
        if (!t.shape().equals(get(e.getKey()).shape())) {
          throw new EngineException("value for '" + e.getKey() + "' has shape " + t.shape() + ", expected "
              + get(e.getKey()).shape());
        }
        fed.put(e.getKey(), HostTensors.toTensorFlow(t.to(org.medvision.api.tensor.DType.FLOAT32)));
      }
      assignTensors(session, fed);
    } finally {
      fed.values().forEach(TFloat32::close);
    }
  }

  /**
   * Overwrites variables from TensorFlow tensors, which the caller still owns, in one session call.
   *
   * @throws EngineException naming a tensor whose shape differs from its variable's
   */
  void assignTensors(Session session, Map<String, TFloat32> values) {
    if (values.isEmpty()) {
      return;
    }
    Session.Runner runner = session.runner();
    for (Map.Entry<String, TFloat32> e : values.entrySet()) {
      Variable v = get(e.getKey());
      long[] dims = e.getValue().shape().asArray();
      if (!Shape.of(dims).equals(v.shape())) {
        throw new EngineException("value for '" + e.getKey() + "' has shape " + Shape.of(dims) + ", expected "
            + v.shape());
      }
      runner.feed(v.feed(), e.getValue()).addTarget(v.assign());
    }
    runner.run().close();
  }

  /** Host copies of the given reads, in order, fetched in one session call. */
  static List<Tensor> fetch(Session session, List<Operand<TFloat32>> reads) {
    List<Tensor> out = new ArrayList<>();
    if (reads.isEmpty()) {
      return out;
    }
    Session.Runner runner = session.runner();
    reads.forEach(runner::fetch);
    try (Result r = runner.run()) {
      for (int i = 0; i < reads.size(); i++) {
        out.add(HostTensors.toHost(r.get(i)));
      }
    }
    return out;
  }
}
