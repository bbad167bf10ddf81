package org.medvision.api.graph;

/**
 * What a parameter is for. Trainers use it to exclude norms, biases and layer scales from weight decay; counting uses
 * it to leave running statistics (buffers) out of the parameter count, as PyTorch's {@code parameters()} does.
 */
public enum ParamRole {
  /** A convolution or linear weight. */
  WEIGHT(true, true),
  /** An additive bias. */
  BIAS(true, false),
  /** The scale (gamma) of a normalisation layer. */
  NORM_SCALE(true, false),
  /** The shift (beta) of a normalisation layer. */
  NORM_BIAS(true, false),
  /** A per-channel residual scale such as ConvNeXt's gamma. */
  LAYER_SCALE(true, false),
  /** A BatchNorm running mean: a buffer, not trained by gradients. */
  RUNNING_MEAN(false, false),
  /** A BatchNorm running variance: a buffer, not trained by gradients. */
  RUNNING_VAR(false, false);

  private final boolean trainable;
  private final boolean decayed;

  ParamRole(boolean trainable, boolean decayed) {
    this.trainable = trainable;
    this.decayed = decayed;
  }

  /** True for values trained by gradients (counted as parameters). */
  public boolean trainable() {
    return trainable;
  }

  /** True when AdamW-style weight decay applies. */
  public boolean decayed() {
    return decayed;
  }
}
