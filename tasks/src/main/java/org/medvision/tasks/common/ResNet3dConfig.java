package org.medvision.tasks.common;

import java.util.List;
import org.medvision.api.registry.UnknownNameException;

/**
 * The shape of a 3-D ResNet: Hara et al.'s options ({@code --model_depth}, {@code --n_input_channels},
 * {@code --conv1_t_size}, {@code --conv1_t_stride}, {@code --no_max_pool}, {@code --resnet_shortcut}) plus
 * MedicalNet's dilated last layers.
 *
 * <p>Start from {@link #hara(int)} or {@link #medicalNet(int)} and change single options with the {@code with...}
 * methods. Instances are immutable.
 *
 * @param depth 10, 18 or 34 (BasicBlock, [1,1,1,1], [2,2,2,2], [3,4,6,3]) or 50 (Bottleneck, [3,4,6,3])
 * @param inputChannels channels of the input volume (Hara's {@code n_input_channels}; 1 for CT/MR)
 * @param conv1TSize depth extent t of the stem kernel (t, 7, 7), padded by t / 2
 * @param conv1TStride depth stride of the stem (its height and width strides are 2)
 * @param noMaxPool true to leave out the 3×3×3 stride-2 max pool after the stem
 * @param shortcut how blocks that change stride or width route their residual
 * @param dilated MedicalNet's layout: layer3 and layer4 keep stride 1 and dilate their 3×3×3 convolutions by 2 and 4
 *     instead of striding by 2
 */
public record ResNet3dConfig(int depth, int inputChannels, int conv1TSize, int conv1TStride, boolean noMaxPool,
    ResNet3dShortcut shortcut, boolean dilated) {
  /** The supported depths, as Hara's {@code --model_depth} values. */
  public static final List<Integer> DEPTHS = List.of(10, 18, 34, 50);

  private static final int[] WIDTHS = {64, 128, 256, 512};

  /**
   * Checks the options.
   *
   * @throws UnknownNameException for a depth other than 10, 18, 34 or 50
   * @throws IllegalArgumentException for a non-positive channel count, kernel or stride, or a null shortcut
   */
  public ResNet3dConfig {
    if (!DEPTHS.contains(depth)) {
      throw new UnknownNameException("3-D ResNet depth", String.valueOf(depth),
          DEPTHS.stream().map(String::valueOf).toList(), "");
    }
    if (inputChannels < 1 || conv1TSize < 1 || conv1TStride < 1) {
      throw new IllegalArgumentException("3-D ResNet: input channels, conv1_t_size and conv1_t_stride must be "
          + "positive; got " + inputChannels + ", " + conv1TSize + ", " + conv1TStride);
    }
    if (shortcut == null) {
      throw new IllegalArgumentException("3-D ResNet: shortcut type must not be null");
    }
  }

  /**
   * Hara's defaults for {@code depth}: 1 input channel, stem kernel (7, 7, 7) with stride (1, 2, 2), max pool,
   * shortcut B, layer strides 1, 2, 2, 2. The layer4 map is [N, 512·expansion, D/16, H/32, W/32] (rounded up).
   *
   * @throws UnknownNameException for an unsupported depth
   */
  public static ResNet3dConfig hara(int depth) {
    return new ResNet3dConfig(depth, 1, 7, 1, false, ResNet3dShortcut.B, false);
  }

  /**
   * MedicalNet's (Chen et al. 2019, "Med3D") layout for {@code depth}: 1 input channel, stem kernel 7³ with stride 2
   * on every axis, max pool, layer strides 1, 2, 1, 1 with dilations 1, 1, 2, 4, and the shortcut type of its
   * published {@code resnet_<depth>.pth} (A for 18 and 34, B for 10 and 50, as its README lists). The layer4 map is
   * [N, 512·expansion, D/8, H/8, W/8] (rounded up).
   *
   * @throws UnknownNameException for an unsupported depth
   */
  public static ResNet3dConfig medicalNet(int depth) {
    ResNet3dShortcut s = depth == 18 || depth == 34 ? ResNet3dShortcut.A : ResNet3dShortcut.B;
    return new ResNet3dConfig(depth, 1, 7, 2, false, s, true);
  }

  /** This configuration with {@code channels} input channels (3 for Hara's Kinetics checkpoints). */
  public ResNet3dConfig withInputChannels(int channels) {
    return new ResNet3dConfig(depth, channels, conv1TSize, conv1TStride, noMaxPool, shortcut, dilated);
  }

  /** This configuration with stem kernel (size, 7, 7) and stride (stride, 2, 2). */
  public ResNet3dConfig withConv1T(int size, int stride) {
    return new ResNet3dConfig(depth, inputChannels, size, stride, noMaxPool, shortcut, dilated);
  }

  /** This configuration with the max pool after the stem left out ({@code true}) or kept. */
  public ResNet3dConfig withNoMaxPool(boolean leaveOut) {
    return new ResNet3dConfig(depth, inputChannels, conv1TSize, conv1TStride, leaveOut, shortcut, dilated);
  }

  /** This configuration with shortcut type {@code type}. */
  public ResNet3dConfig withShortcut(ResNet3dShortcut type) {
    return new ResNet3dConfig(depth, inputChannels, conv1TSize, conv1TStride, noMaxPool, type, dilated);
  }

  /**
   * This configuration with the shortcut type Hara's option calls {@code name} ({@code "A"} or {@code "B"}).
   *
   * @throws UnknownNameException for another name
   */
  public ResNet3dConfig withShortcut(String name) {
    return withShortcut(ResNet3dShortcut.of(name));
  }

  /** {@code resnet<depth>}, Hara's and MedicalNet's model name. */
  public String modelName() {
    return "resnet" + depth;
  }

  /** True for depth 50, built from Bottleneck blocks (1×1×1, 3×3×3, 1×1×1 convolutions). */
  public boolean bottleneck() {
    return depth == 50;
  }

  /** Output width of a block relative to its planes: 4 for Bottleneck, 1 for BasicBlock. */
  public int expansion() {
    return bottleneck() ? 4 : 1;
  }

  /** Blocks in layer {@code layer} (1 to 4). */
  public int blocks(int layer) {
    int[] counts = switch (depth) {
      case 10 -> new int[] {1, 1, 1, 1};
      case 18 -> new int[] {2, 2, 2, 2};
      default -> new int[] {3, 4, 6, 3};
    };
    return counts[checkLayer(layer) - 1];
  }

  /** Planes of layer {@code layer} (1 to 4): 64, 128, 256, 512; its blocks output planes·expansion channels. */
  public int planes(int layer) {
    return WIDTHS[checkLayer(layer) - 1];
  }

  /** Stride of the first block of layer {@code layer} (1 to 4): 1, 2, 2, 2, or 1, 2, 1, 1 when dilated. */
  public int stride(int layer) {
    checkLayer(layer);
    return layer == 1 || (dilated && layer > 2) ? 1 : 2;
  }

  /** Dilation of the 3×3×3 convolutions in layer {@code layer} (1 to 4): 1, or 2 and 4 in layers 3 and 4 if dilated. */
  public int dilation(int layer) {
    checkLayer(layer);
    return dilated && layer > 2 ? 1 << (layer - 2) : 1;
  }

  /** Channels of the layer4 map: 512·expansion. */
  public int featureChannels() {
    return WIDTHS[3] * expansion();
  }

  /**
   * The product of all strides per axis (D, H, W): how many input voxels one layer4 voxel steps over. The layer4
   * map's extent is the input's divided by this, rounded up (for an odd {@code conv1TSize}).
   */
  public int[] totalStride() {
    int pool = noMaxPool ? 1 : 2;
    int layers = 1;
    for (int layer = 1; layer <= 4; layer++) {
      layers *= stride(layer);
    }
    return new int[] {conv1TStride * pool * layers, 2 * pool * layers, 2 * pool * layers};
  }

  private static int checkLayer(int layer) {
    if (layer < 1 || layer > 4) {
      throw new IllegalArgumentException("3-D ResNet layers are numbered 1 to 4, got " + layer);
    }
    return layer;
  }
}
