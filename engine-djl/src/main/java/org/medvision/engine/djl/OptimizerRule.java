package org.medvision.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.medvision.api.training.OptimizerSpec;
import org.medvision.api.training.ParamSettings;

/**
 * The update rules of {@link OptimizerSpec}, written as in-place NDArray arithmetic (DJL's own optimisers use other
 * conventions, e.g. coupled decay and rescaling), plus the per-parameter state they keep.
 *
 * <p>State arrays live in the session's long-lived manager and are created at a parameter's first step, as PyTorch
 * creates them; callers run updates with autograd off and with the state lent to a scope (see {@link #lendTo}).
 */
final class OptimizerRule {
  private final OptimizerSpec spec;
  private final NDManager owner;
  private final Map<String, NDArray> expAvg = new LinkedHashMap<>();
  private final Map<String, NDArray> expAvgSq = new LinkedHashMap<>();
  private final Map<String, NDArray> momentumBuffer = new LinkedHashMap<>();

  OptimizerRule(OptimizerSpec spec, NDManager owner) {
    this.spec = spec;
    this.owner = owner;
  }

  /** The algorithm and hyper-parameters. */
  OptimizerSpec spec() {
    return spec;
  }

  /** AdamW's first moments by parameter name (live arrays). */
  Map<String, NDArray> expAvg() {
    return expAvg;
  }

  /** AdamW's second moments by parameter name (live arrays). */
  Map<String, NDArray> expAvgSq() {
    return expAvgSq;
  }

  /** SGD's momentum buffers by parameter name (live arrays). */
  Map<String, NDArray> momentumBuffer() {
    return momentumBuffer;
  }

  /** Attaches every state array to {@code scope} until it closes. */
  void lendTo(NDManager scope) {
    expAvg.values().forEach(a -> a.tempAttach(scope));
    expAvgSq.values().forEach(a -> a.tempAttach(scope));
    momentumBuffer.values().forEach(a -> a.tempAttach(scope));
  }

  /** Closes and forgets every state array. */
  void clear() {
    expAvg.values().forEach(NDArray::close);
    expAvgSq.values().forEach(NDArray::close);
    momentumBuffer.values().forEach(NDArray::close);
    expAvg.clear();
    expAvgSq.clear();
    momentumBuffer.clear();
  }

  /**
   * Updates {@code p} in place with gradient {@code g} at step {@code t} (1-based, shared by all parameters).
   *
   * @param settings the parameter's learning-rate factor and weight decay ({@link OptimizerSpec#settingsFor})
   * @param lr the step's learning rate, before the parameter's factor
   * @param scope the step's scope: temporaries go there, and new state arrays are lent to it
   */
  void update(String name, NDArray p, NDArray g, ParamSettings settings, double lr, long t, NDManager scope) {
    double scaled = lr * settings.learningRateScale();
    if (spec.kind() == OptimizerSpec.Kind.ADAMW) {
      adamW(name, p, g, settings.weightDecay(), scaled, t, scope);
    } else {
      sgd(name, p, g, settings.weightDecay(), scaled, scope);
    }
  }

  private void adamW(String name, NDArray p, NDArray g, double decay, double lr, long t, NDManager scope) {
    NDArray m = state(expAvg, name, p, scope);
    NDArray v = state(expAvgSq, name, p, scope);
    if (decay != 0) {
      p.muli(1 - lr * decay);
    }
    m.muli(spec.beta1()).addi(g.mul(1 - spec.beta1()));
    v.muli(spec.beta2()).addi(g.square().mul(1 - spec.beta2()));
    double correction1 = 1 - Math.pow(spec.beta1(), t);
    double correction2 = 1 - Math.pow(spec.beta2(), t);
    NDArray denominator = v.sqrt().div(Math.sqrt(correction2)).add(spec.epsilon());
    p.subi(m.div(denominator).mul(lr / correction1));
  }

  private void sgd(String name, NDArray p, NDArray g, double decay, double lr, NDManager scope) {
    NDArray d = decay != 0 ? g.add(p.mul(decay)) : g;
    if (spec.momentum() > 0) {
      NDArray b = momentumBuffer.get(name);
      if (b == null) {
        b = state(momentumBuffer, name, p, scope);
        b.addi(d);
      } else {
        b.muli(spec.momentum()).addi(d);
      }
      d = spec.nesterov() ? d.add(b.mul(spec.momentum())) : b;
    }
    p.subi(d.mul(lr));
  }

  private NDArray state(Map<String, NDArray> states, String name, NDArray like, NDManager scope) {
    NDArray s = states.get(name);
    if (s == null) {
      s = owner.zeros(like.getShape(), like.getDataType());
      s.setName(name);
      s.tempAttach(scope);
      states.put(name, s);
    }
    return s;
  }
}
