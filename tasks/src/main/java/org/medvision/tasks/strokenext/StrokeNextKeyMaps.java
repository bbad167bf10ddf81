package org.medvision.tasks.strokenext;

import org.medvision.api.weights.KeyMap;
import org.medvision.tasks.common.ConvNextKeyMaps;

/**
 * Key maps for StrokeNeXt checkpoints.
 *
 * <p>The authors build each encoder as {@code nn.Sequential(*list(torchvision_convnext.children())[:-1])}, whose
 * children are {@code features} (index 0) and {@code avgpool} (index 1, no tensors). Their state dict therefore holds
 * torchvision's {@code features.<i>.<j>...} tensors as {@code encoder1.0.<i>.<j>...} and {@code encoder2.0.<i>.<j>...},
 * then {@code fusion.*} and {@code classifier.*} already in our names, plus BatchNorm {@code num_batches_tracked}
 * counters.
 */
public final class StrokeNextKeyMaps {
  private StrokeNextKeyMaps() {}

  /**
   * The authors' torchvision-based StrokeNeXt state dict to this task's names: {@code encoderN.0.<i>.<j>...} to
   * {@code encoderN.<timm name>} (layer scales [C, 1, 1] to gamma [C]), {@code fusion.*} and {@code classifier.*}
   * kept, {@code num_batches_tracked} dropped. Works for the one-encoder baseline too (it has only encoder1).
   */
  public static KeyMap torchvisionKeyMap() {
    KeyMap.Builder b = KeyMap.builder().drop("(^|\\.)num_batches_tracked$");
    for (int e = 1; e <= 2; e++) {
      ConvNextKeyMaps.addTorchvisionRules(b, "encoder" + e + ".0.", "encoder" + e + ".");
    }
    return b.build();
  }
}
