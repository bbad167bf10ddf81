package org.medvision.tasks.common;

import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Value;

/**
 * PyTorch {@code nn.Conv1d}: weight [out, in/groups, k], optional bias [out], on [N, C, L].
 *
 * <p>Parameters are {@code <name>.weight} [out, in/groups, k] and, with a bias, {@code <name>.bias}.
 */
public final class Conv1d {
  private final int in;
  private final int out;
  private final int kernel;
  private final int stride;
  private final int padding;
  private final int groups;
  private final boolean bias;
  private final LayerInit init;

  /**
   * A convolution layer.
   *
   * @param in input channels
   * @param out output channels
   * @param kernel kernel size on every spatial axis
   * @param stride stride on every spatial axis
   * @param padding zero padding at both ends of every spatial axis
   * @param groups channel groups ({@code in} for depthwise)
   * @param bias whether the layer adds a bias
   * @param init how the weight and bias start
   * @throws IllegalArgumentException for non-positive sizes or channels not divisible by {@code groups}
   */
  public Conv1d(int in, int out, int kernel, int stride, int padding, int groups, boolean bias, LayerInit init) {
    Convolution.checkGeometry("Conv1d", in, out, kernel, stride, padding, groups);
    this.in = in;
    this.out = out;
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
    this.groups = groups;
    this.bias = bias;
    this.init = init;
  }

  /**
   * Emits the layer with its parameters under {@code name}.
   *
   * @param x [N, in, L]
   * @return [N, out, spatial sizes after the kernel, stride and padding]
   * @throws org.medvision.api.MedvisionException if {@code x} is not [N, in, L]
   */
  public Value apply(GraphBuilder b, String name, Value x) {
    return Convolution.emit(b, name, x, 1, in, out, kernel, stride, padding, groups, bias, init);
  }
}
