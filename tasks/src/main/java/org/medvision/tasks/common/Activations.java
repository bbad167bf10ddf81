package org.medvision.tasks.common;

import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.Value;

/** Parameter-free element-wise layers: activations and dropout. */
public final class Activations {
  private static final Attributes EXACT = Attributes.builder().set("approximate", "none").build();

  private Activations() {}

  /** PyTorch {@code nn.GELU()}: the exact form x·Φ(x) with the erf, not the tanh approximation. */
  public static Value gelu(GraphBuilder b, Value x) {
    return b.apply(Op.GELU, EXACT, x);
  }

  /** PyTorch {@code nn.ReLU}. */
  public static Value relu(GraphBuilder b, Value x) {
    return b.apply(Op.RELU, x);
  }

  /**
   * PyTorch {@code nn.Dropout(p)}: the identity at inference; training engines zero elements with probability p and
   * scale the rest by 1/(1 − p).
   *
   * @throws IllegalArgumentException unless 0 ≤ p < 1
   */
  public static Value dropout(GraphBuilder b, Value x, float p) {
    if (!(p >= 0 && p < 1)) {
      throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
    }
    return b.apply(Op.DROPOUT, Attributes.builder().set("ratio", p).build(), x);
  }
}
