package org.medvision.tasks.common;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.medvision.api.tensor.Shape;
import org.medvision.api.weights.KeyMap;

/**
 * Key maps from published ConvNeXt checkpoints to the names {@link ConvNextEncoder} declares (timm's).
 *
 * <p>torchvision's {@code ConvNeXt} keeps everything in {@code features}: {@code features.0} is the stem
 * (Conv, LayerNorm2d), stage k's blocks are {@code features.(2k+1).j} with {@code block.0} (depthwise conv),
 * {@code block.2} (LayerNorm), {@code block.3}/{@code block.5} (Linear) and {@code layer_scale} [C, 1, 1], and the
 * downsample before stage k ≥ 1 is {@code features.(2k)} (LayerNorm2d, Conv). In timm these are {@code stem.*},
 * {@code stages.k.blocks.j.{conv_dw, norm, mlp.fc1, mlp.fc2, gamma [C]}} and {@code stages.k.downsample.*}.
 */
public final class ConvNextKeyMaps {
  private static final String[][] BLOCK_LAYERS = {
      {"block.0", "conv_dw"}, {"block.2", "norm"}, {"block.3", "mlp.fc1"}, {"block.5", "mlp.fc2"}};

  private ConvNextKeyMaps() {}

  /**
   * A torchvision {@code convnext_*} state dict to the encoder's names. The classifier ({@code classifier.*}: final
   * LayerNorm2d and Linear) has no counterpart in the encoder and is dropped.
   */
  public static KeyMap torchvision() {
    KeyMap.Builder b = KeyMap.builder().drop("^classifier\\.");
    addTorchvisionRules(b, "features.", "");
    return b.build();
  }

  /**
   * A timm {@code convnext_*} state dict to the encoder's names: the names already agree, so this only drops timm's
   * head ({@code head.norm}, {@code head.fc}), which the encoder leaves out.
   */
  public static KeyMap timm() {
    return KeyMap.builder().drop("^head\\.").build();
  }

  /**
   * Adds the torchvision-to-timm renames for one encoder: checkpoint keys of its {@code features} module start with
   * {@code featuresPrefix} ({@code features.} in a torchvision ConvNeXt, {@code encoder1.0.} where the module sits at
   * index 0 of an {@code nn.Sequential}), and the graph's names start with {@code toPrefix} (empty, or ending with a
   * dot). Also reshapes the renamed layer scales from [C, 1, 1] to [C]. Adds no drop rules.
   */
  public static KeyMap.Builder addTorchvisionRules(KeyMap.Builder b, String featuresPrefix, String toPrefix) {
    String from = "^" + Pattern.quote(featuresPrefix);
    String to = Matcher.quoteReplacement(toPrefix);
    b.rename(from + "0\\.([01])\\.", to + "stem.$1.");
    for (int k = 0; k < 4; k++) {
      String blocks = from + (2 * k + 1) + "\\.(\\d+)\\.";
      String target = to + "stages." + k + ".blocks.$1.";
      for (String[] layer : BLOCK_LAYERS) {
        b.rename(blocks + Pattern.quote(layer[0]) + "\\.", target + layer[1] + ".");
      }
      b.rename(blocks + "layer_scale$", target + "gamma");
      if (k > 0) {
        b.rename(from + (2 * k) + "\\.([01])\\.", to + "stages." + k + ".downsample.$1.");
      }
    }
    b.reshape("^" + Pattern.quote(toPrefix) + "stages\\.\\d+\\.blocks\\.\\d+\\.gamma$",
        shape -> Shape.of(shape.size()));
    return b;
  }
}
