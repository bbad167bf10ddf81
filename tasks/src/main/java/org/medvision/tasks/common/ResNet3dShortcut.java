package org.medvision.tasks.common;

import java.util.List;
import java.util.Locale;
import org.medvision.api.registry.UnknownNameException;

/**
 * How a 3-D ResNet block's residual path changes stride or width, named as Hara's {@code --resnet_shortcut} option
 * (after He et al. 2016, "Deep residual learning", options A and B). A block gets such a shortcut when its stride is
 * not 1 or its input width differs from its output width; every other block adds its input unchanged.
 */
public enum ResNet3dShortcut {
  /**
   * Parameter-free: subsample by the stride ({@code avg_pool3d} with kernel 1) and zero-pad the new channels. Emitted
   * as a 1×1×1 convolution with a {@link org.medvision.api.graph.Op#CONSTANT} weight (identity on the input channels,
   * zero for the rest), which is exact and declares no parameter.
   *
   * <p>Hara's and MedicalNet's code concatenate {@code out.data}, so in their training no gradient flows back through
   * this path (the block's input still gets gradients through its residual branch). The IR has no stop-gradient, so a
   * training engine here passes the identity part's gradient through, as He et al.'s option A intends. Inference is
   * identical.
   */
  A,
  /** A 1×1×1 convolution with the block's stride and no bias ({@code downsample.0}), then BatchNorm3d ({@code .1}). */
  B;

  /**
   * The shortcut type for Hara's option value {@code A} or {@code B} (either case).
   *
   * @throws UnknownNameException listing A and B for any other name
   */
  public static ResNet3dShortcut of(String name) {
    for (ResNet3dShortcut s : values()) {
      if (s.name().equals(name.toUpperCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new UnknownNameException("3-D ResNet shortcut type", name, List.of("A", "B"),
        "A pads channels with zeros (no parameters), B projects with a 1x1x1 convolution and batch norm");
  }
}
