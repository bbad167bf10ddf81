package org.medvision.api.training;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights of a training graph's named loss terms at every step. Fixed weights are the usual case; an adaptive
 * balancer (GradNorm) observes each step's term values and per-term gradient norms at some shared parameters and
 * moves the weights. It runs on the host, between engine steps.
 */
public interface LossBalancer {
  /** The term names it weighs. */
  List<String> terms();

  /** The weight of every term for optimiser step {@code step} (0-based). */
  Map<String, Double> weights(long step);

  /**
   * The parameters (a regular expression over names) at which the engine should measure each term's gradient norm
   * for {@link #observe}, or null when this balancer needs no norms.
   */
  default String gradientNormParameters() {
    return null;
  }

  /**
   * Sees the outcome of a forward/backward pass of step {@code step}: each term's value and, when
   * {@link #gradientNormParameters()} is set, each term's gradient norm.
   */
  default void observe(long step, Map<String, Float> terms, Map<String, Double> gradientNorms) {}

  /** Fixed weights. */
  static LossBalancer fixed(Map<String, Double> weights) {
    Map<String, Double> copy = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    return new LossBalancer() {
      @Override
      public List<String> terms() {
        return List.copyOf(copy.keySet());
      }

      @Override
      public Map<String, Double> weights(long step) {
        return copy;
      }

      @Override
      public String toString() {
        return "fixed " + copy;
      }
    };
  }
}
