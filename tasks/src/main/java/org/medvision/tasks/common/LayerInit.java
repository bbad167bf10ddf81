package org.medvision.tasks.common;

import org.medvision.api.graph.Initializer;
import org.medvision.api.weights.Initializers;

/**
 * How a convolution or linear layer's weight and bias start when trained from scratch.
 *
 * @param weight initializer of the weight
 * @param bias initializer of the bias (unused by layers without one)
 */
public record LayerInit(Initializer weight, Initializer bias) {
  /**
   * PyTorch's default for {@code nn.Conv*} and {@code nn.Linear}: Kaiming-uniform weights (a = sqrt(5), i.e. bound
   * 1/sqrt(fan_in)) and biases uniform in ±1/sqrt(fan_in).
   *
   * @param fanIn input elements per output element: in/groups · kernel volume, or in for a linear layer
   */
  public static LayerInit pytorchDefault(long fanIn) {
    if (fanIn < 1) {
      throw new IllegalArgumentException("fan-in must be positive, got " + fanIn);
    }
    return new LayerInit(Initializers.kaimingUniform(), Initializers.uniform((float) (1.0 / Math.sqrt(fanIn))));
  }

  /** timm's ConvNeXt/ViT scheme: weights from a normal truncated at ±2, standard deviation {@code std}; zero bias. */
  public static LayerInit truncatedNormal(float std) {
    return new LayerInit(Initializers.truncatedNormal(std), Initializers.zeros());
  }
}
