package org.medvision.testkit.training;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.OptimizerSpec;
import org.medvision.api.training.ParamSettings;
import org.medvision.api.weights.Weights;

/**
 * The update rules of {@link OptimizerSpec} on the host, as the reference an engine's {@code step} is compared with.
 *
 * <p>Parameters and gradients are float32; the moments and momentum buffers are kept in double and each updated
 * parameter is computed in double from the float operands and rounded once, so the result is at least as accurate as
 * a float32 engine's. One {@link #step} call is one optimiser step for every trained parameter: the step count t is
 * shared, as in PyTorch, where every parameter of a group steps together. Parameter groups apply as
 * {@link OptimizerSpec#settingsFor} resolves them: a frozen parameter takes no gradient and keeps no state, the others
 * step with their learning-rate factor and weight decay. The state is exported and imported under
 * the names {@link org.medvision.api.training.TrainingSession#optimizerState()} documents.
 *
 * <p>Not thread-safe.
 */
public final class ReferenceOptimizer {
  /** State key of the step count. */
  public static final String STEP = "step";
  /** State key prefix of AdamW's first moment. */
  public static final String EXP_AVG = "exp_avg.";
  /** State key prefix of AdamW's second moment. */
  public static final String EXP_AVG_SQ = "exp_avg_sq.";
  /** State key prefix of SGD's momentum buffer. */
  public static final String MOMENTUM_BUFFER = "momentum_buffer.";

  private final OptimizerSpec spec;
  private final Map<String, ParamRole> roles;
  /** The settings of every trainable parameter, frozen ones included. */
  private final Map<String, ParamSettings> settings = new LinkedHashMap<>();
  private final Map<String, double[]> firstMoment = new HashMap<>();
  private final Map<String, double[]> secondMoment = new HashMap<>();
  private final Map<String, double[]> momentum = new HashMap<>();
  private final Map<String, Shape> shapes = new HashMap<>();
  private long steps;

  /**
   * An optimiser for parameters with the given roles: those whose role is {@link ParamRole#trainable()} are updated
   * (unless a group of {@code spec} freezes them), with the weight decay and learning-rate factor
   * {@link OptimizerSpec#settingsFor} gives them.
   */
  public ReferenceOptimizer(OptimizerSpec spec, Map<String, ParamRole> roles) {
    this.spec = spec;
    this.roles = Map.copyOf(roles);
    for (String name : new TreeSet<>(roles.keySet())) {
      ParamRole role = roles.get(name);
      if (role.trainable()) {
        // settingsFor reads only the name and the role, so a stand-in spec resolves the groups exactly.
        ParameterSpec standIn = new ParameterSpec(name, DType.FLOAT32, Shape.scalar(), role, (out, shape, r) -> { });
        settings.put(name, spec.settingsFor(standIn));
      }
    }
  }

  /** An optimiser for the parameters {@code graph} declares. */
  public static ReferenceOptimizer forGraph(OptimizerSpec spec, Graph graph) {
    Map<String, ParamRole> roles = new LinkedHashMap<>();
    for (ParameterSpec p : graph.parameters()) {
      roles.put(p.name(), p.role());
    }
    return new ReferenceOptimizer(spec, roles);
  }

  /** Steps taken so far (t of the last step). */
  public long steps() {
    return steps;
  }

  /**
   * One optimiser step with learning rate {@code learningRate}.
   *
   * @param parameters the current value of every trained parameter (other entries are ignored)
   * @param gradients a float32 gradient for every trained (trainable, not frozen) parameter, of its shape, and for
   *     nothing else
   * @return the updated trained parameters, by name
   * @throws MedvisionException naming a parameter whose gradient is missing, mis-shaped, not trainable or frozen
   */
  public Map<String, Tensor> step(Map<String, Tensor> parameters, Map<String, Tensor> gradients,
      double learningRate) {
    for (String name : new TreeSet<>(gradients.keySet())) {
      ParamRole role = roles.get(name);
      if (role == null || !role.trainable()) {
        throw new MedvisionException("gradient given for '" + name + "', which is "
            + (role == null ? "no parameter" : "a " + role + " buffer, not trainable"));
      }
      if (settings.get(name).frozen()) {
        throw new MedvisionException("gradient given for '" + name + "', which a parameter group freezes");
      }
    }
    Map<String, Tensor> updated = new LinkedHashMap<>();
    steps++;
    for (Map.Entry<String, ParamSettings> e : settings.entrySet()) {
      if (e.getValue().frozen()) {
        continue;
      }
      String name = e.getKey();
      Tensor p = parameters.get(name);
      Tensor g = gradients.get(name);
      if (p == null || g == null) {
        throw new MedvisionException("trainable parameter '" + name + "' has no " + (p == null ? "value" : "gradient"));
      }
      if (!p.shape().equals(g.shape()) || g.dtype() != DType.FLOAT32) {
        throw new MedvisionException("gradient of '" + name + "' is " + g.dtype() + g.shape() + ", parameter is "
            + p.dtype() + p.shape());
      }
      shapes.put(name, p.shape());
      float[] values = p.toFloatArray();
      float[] grad = g.toFloatArray();
      double lr = learningRate * e.getValue().learningRateScale();
      double decay = e.getValue().weightDecay();
      float[] next = spec.kind() == OptimizerSpec.Kind.ADAMW ? adamW(name, values, grad, decay, lr)
          : sgd(name, values, grad, decay, lr);
      updated.put(name, Tensor.of(p.shape(), next));
    }
    return updated;
  }

  /**
   * {@link #step(Map, Map, double)} on weights: returns {@code weights} with the trainable parameters updated and
   * every other tensor (buffers such as running statistics) unchanged, in the original order.
   */
  public Weights step(Weights weights, Map<String, Tensor> gradients, double learningRate) {
    Map<String, Tensor> updated = step(weights.tensors(), gradients, learningRate);
    Map<String, Tensor> all = new LinkedHashMap<>();
    weights.tensors().forEach((name, t) -> all.put(name, updated.getOrDefault(name, t)));
    return new Weights(all, weights.metadata(), weights.source() + " +reference step " + steps);
  }

  private float[] adamW(String name, float[] p, float[] g, double decay, double lr) {
    double[] m = firstMoment.computeIfAbsent(name, k -> new double[p.length]);
    double[] v = secondMoment.computeIfAbsent(name, k -> new double[p.length]);
    requireLength(EXP_AVG + name, m, p.length);
    requireLength(EXP_AVG_SQ + name, v, p.length);
    double beta1 = spec.beta1();
    double beta2 = spec.beta2();
    double correction1 = 1 - Math.pow(beta1, steps);
    double correction2 = 1 - Math.pow(beta2, steps);
    float[] out = new float[p.length];
    for (int i = 0; i < p.length; i++) {
      double value = p[i];
      if (decay != 0) {
        value -= lr * decay * value;
      }
      m[i] = beta1 * m[i] + (1 - beta1) * g[i];
      v[i] = beta2 * v[i] + (1 - beta2) * (double) g[i] * g[i];
      value -= lr * (m[i] / correction1) / (Math.sqrt(v[i] / correction2) + spec.epsilon());
      out[i] = (float) value;
    }
    return out;
  }

  private float[] sgd(String name, float[] p, float[] g, double decay, double lr) {
    double mu = spec.momentum();
    double[] buffer = mu > 0 ? momentum.get(name) : null;
    boolean first = mu > 0 && buffer == null;
    if (first) {
      buffer = new double[p.length];
      momentum.put(name, buffer);
    }
    if (buffer != null) {
      requireLength(MOMENTUM_BUFFER + name, buffer, p.length);
    }
    float[] out = new float[p.length];
    for (int i = 0; i < p.length; i++) {
      double grad = g[i];
      if (decay != 0) {
        grad += decay * p[i];
      }
      if (buffer != null) {
        buffer[i] = first ? grad : mu * buffer[i] + grad;
        grad = spec.nesterov() ? grad + mu * buffer[i] : buffer[i];
      }
      out[i] = (float) (p[i] - lr * grad);
    }
    return out;
  }

  private static void requireLength(String key, double[] state, int length) {
    if (state.length != length) {
      throw new MedvisionException("optimiser state '" + key + "' has " + state.length + " elements, its parameter "
          + length);
    }
  }

  /**
   * The state: {@value #STEP} as an int64 scalar and, for each parameter stepped so far, float32 tensors of its shape
   * named {@value #EXP_AVG}p and {@value #EXP_AVG_SQ}p (AdamW) or {@value #MOMENTUM_BUFFER}p (SGD with momentum).
   */
  public Map<String, Tensor> state() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    out.put(STEP, Tensor.ofLongs(Shape.scalar(), steps));
    for (String name : new TreeSet<>(shapes.keySet())) {
      export(out, EXP_AVG + name, firstMoment.get(name), shapes.get(name));
      export(out, EXP_AVG_SQ + name, secondMoment.get(name), shapes.get(name));
      export(out, MOMENTUM_BUFFER + name, momentum.get(name), shapes.get(name));
    }
    return out;
  }

  private static void export(Map<String, Tensor> out, String key, double[] values, Shape shape) {
    if (values == null) {
      return;
    }
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values[i];
    }
    out.put(key, Tensor.of(shape, f));
  }

  /**
   * Replaces the state with {@code state} as {@link #state()} writes it; entries for parameters this optimiser does
   * not train are rejected, and a moment whose size does not match its parameter is reported at the next step.
   *
   * @throws MedvisionException naming a missing step count or an unknown or mis-typed entry
   */
  public void loadState(Map<String, Tensor> state) {
    Tensor step = state.get(STEP);
    if (step == null || step.dtype() != DType.INT64 || step.size() != 1) {
      throw new MedvisionException("optimiser state needs '" + STEP + "' as an int64 scalar, got "
          + (step == null ? "none" : step.dtype() + step.shape().toString()));
    }
    Map<String, double[]> first = new HashMap<>();
    Map<String, double[]> second = new HashMap<>();
    Map<String, double[]> buffers = new HashMap<>();
    Map<String, Shape> loadedShapes = new HashMap<>();
    for (String key : new TreeSet<>(state.keySet())) {
      if (key.equals(STEP)) {
        continue;
      }
      Map<String, double[]> target;
      String name;
      if (key.startsWith(EXP_AVG_SQ)) {
        target = second;
        name = key.substring(EXP_AVG_SQ.length());
      } else if (key.startsWith(EXP_AVG)) {
        target = first;
        name = key.substring(EXP_AVG.length());
      } else if (key.startsWith(MOMENTUM_BUFFER)) {
        target = buffers;
        name = key.substring(MOMENTUM_BUFFER.length());
      } else {
        throw new MedvisionException("unknown optimiser state entry '" + key + "'");
      }
      ParamSettings trained = settings.get(name);
      Tensor t = state.get(key);
      if (trained == null || trained.frozen() || t.dtype() != DType.FLOAT32) {
        throw new MedvisionException("optimiser state entry '" + key + "' (" + t.dtype() + t.shape() + ") is not a "
            + "float32 state of a trained (trainable, unfrozen) parameter");
      }
      float[] f = t.toFloatArray();
      double[] d = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        d[i] = f[i];
      }
      target.put(name, d);
      loadedShapes.put(name, t.shape());
    }
    steps = step.toLongArray()[0];
    firstMoment.clear();
    firstMoment.putAll(first);
    secondMoment.clear();
    secondMoment.putAll(second);
    momentum.clear();
    momentum.putAll(buffers);
    shapes.clear();
    shapes.putAll(loadedShapes);
  }
}
