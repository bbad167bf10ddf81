package org.medvision.tasks.common;

import org.medvision.api.weights.KeyMap;

/**
 * Key maps from published 3-D ResNet checkpoints to the names {@link ResNet3d} declares, for
 * {@code keyMap.apply(weights).fitTo(graph)}; {@link org.medvision.api.weights.Weights#fitTo} rejects any key the
 * graph does not declare, so everything the graph leaves out must be dropped here.
 *
 * <p>Both projects save {@code .pth} pickles, which this project does not read; convert one to safetensors once with
 * PyTorch and the {@code safetensors} package:
 *
 * <pre>
 * import torch, safetensors.torch
 * ckpt = torch.load("resnet_34.pth", map_location="cpu")
 * sd = ckpt.get("state_dict", ckpt)
 * safetensors.torch.save_file({k: v.contiguous() for k, v in sd.items()}, "resnet_34.safetensors")
 * </pre>
 *
 * <p>then load it for the matching configuration:
 *
 * <pre>{@code
 * ResNet3d net = new ResNet3d(ResNet3dConfig.medicalNet(34));   // dilated layout, shortcut A, as published
 * ... b.output("features", net.features(b, volume)); Graph g = b.build();
 * Weights w = ResNet3dKeyMaps.medicalNet().apply(Safetensors.read(path)).fitTo(g);
 * }</pre>
 */
public final class ResNet3dKeyMaps {
  private static final String MODULE_PREFIX = "^module\\.";
  private static final String BATCH_COUNTER = "(^|\\.)num_batches_tracked$";

  private ResNet3dKeyMaps() {}

  /**
   * A Hara {@code 3D-ResNets-PyTorch} state dict ({@code ckpt["state_dict"]}, e.g. {@code r3d34_K_200ep.pth}): drops
   * {@code num_batches_tracked} and strips a {@code module.} prefix left by {@code nn.DataParallel}. Keeps
   * {@code fc.*}, so the graph needs {@link ResNet3d#classifier} with the checkpoint's class count (700 for the
   * Kinetics-700 models) and {@code withInputChannels(3)}.
   */
  public static KeyMap hara() {
    return KeyMap.builder().drop(BATCH_COUNTER).rename(MODULE_PREFIX, "").build();
  }

  /**
   * A Hara state dict loaded into the backbone alone ({@link ResNet3d#features} without {@link ResNet3d#classifier},
   * or with a head of a different name): as {@link #hara()}, and the pretrained {@code fc.*} is dropped, as when
   * fine-tuning to a new class count.
   */
  public static KeyMap haraBackbone() {
    return KeyMap.builder().drop(BATCH_COUNTER).drop("^(module\\.)?fc\\.").rename(MODULE_PREFIX, "").build();
  }

  /**
   * A MedicalNet {@code resnet_<depth>.pth} state dict ({@code ckpt["state_dict"]}), saved from
   * {@code nn.DataParallel}: strips the {@code module.} prefix, drops {@code num_batches_tracked} and the
   * segmentation decoder {@code conv_seg.*}, which the backbone does not have. The graph must be built from
   * {@link ResNet3dConfig#medicalNet(int)} of the same depth (its shortcut type is the published one) without
   * {@link ResNet3d#classifier}.
   */
  public static KeyMap medicalNet() {
    return KeyMap.builder().drop(BATCH_COUNTER).drop("^(module\\.)?conv_seg\\.").rename(MODULE_PREFIX, "").build();
  }
}
