package org.medvision.tasks.covidsa;

import java.util.List;
import java.util.Locale;
import org.medvision.api.MedvisionException;
import org.medvision.api.task.OptionSpec;
import org.medvision.api.task.TaskConfig;
import org.medvision.tasks.common.ResNet3dConfig;
import org.medvision.tasks.common.ResNet3dShortcut;

/**
 * DSA-Net's options, read from a {@link TaskConfig} and checked together.
 *
 * @param depth the 3-D ResNet depth of the variant (10, 18, 34 or 50)
 * @param input the model input D, H, W in voxels
 * @param backbone the 3-D ResNet the options describe
 * @param layout {@value #HARA} or {@value #MEDICALNET}
 * @param attentionWeight λ, the weight of the attention loss
 * @param sampler {@value #UNIFORM} or {@value #SIZE_BALANCED}
 * @param sizeBins K, the infection-size bins per class of the size-balanced sampler
 */
record CovidDsaConfig(int depth, int[] input, ResNet3dConfig backbone, String layout, double attentionWeight,
    String sampler, int sizeBins) {
  static final String HARA = "hara";
  static final String MEDICALNET = "medicalnet";
  static final String UNIFORM = "uniform";
  static final String SIZE_BALANCED = "size-balanced";
  static final String AUTO = "auto";

  /** The options, with defaults that give the paper's model as papers.md §3.3 reads it. */
  static final List<OptionSpec> OPTIONS = List.of(
      OptionSpec.size("input", "128x224x224", 1, 1024,
          "model input D x H x W in voxels after cropping to the lungs (128x224x224, a proposal: the paper's size was"
              + " not retrieved); each must be a multiple of the network's total stride (16x32x32 for hara, 8x8x8"
              + " for medicalnet)"),
      OptionSpec.integer("conv1_t_stride", AUTO, 1, 2,
          "depth stride of the 7x7x7 stem; auto = 1 for hara (stride 1,2,2) and 2 for medicalnet (2,2,2)", AUTO),
      OptionSpec.choice("shortcut", AUTO, List.of(AUTO, "A", "B"),
          "residual shortcut of blocks that change stride or width: B (1x1x1 convolution and batch norm), A (zero"
              + " padding, no parameters); auto = B for hara, the published checkpoint's type for medicalnet (A for"
              + " resnet18/34, B for resnet10/50)"),
      OptionSpec.choice("layout", HARA, List.of(HARA, MEDICALNET),
          "backbone layout: hara (Hara et al.'s 3-D ResNet, layer4 at 1/16 x 1/32 x 1/32) or medicalnet (Med3D's"
              + " dilated layer3/layer4 at 1/8, so its published resnet_<depth>.pth checkpoints load)"),
      OptionSpec.number("attention_weight", "0.5", 0, Double.NaN,
          "lambda, the weight of the attention loss (BCE of the attention map against the infection mask) next to"
              + " the cross-entropy; 0 turns it off").training(),
      OptionSpec.choice("sampler", UNIFORM, List.of(UNIFORM, SIZE_BALANCED),
          "training order: uniform (every scan once per epoch) or size-balanced (equal mass per class and infection"
              + "-size bin); the paper ensembles one model of each").training(),
      OptionSpec.integer("size_bins", "5", 1, 1000,
          "K, quantile bins of the infection ratio per class for the size-balanced sampler").training());

  /** Defensive copy. */
  CovidDsaConfig {
    input = input.clone();
  }

  @Override
  public int[] input() {
    return input.clone();
  }

  /**
   * Reads {@code config}, resolving the {@code auto} values from the layout.
   *
   * @throws MedvisionException if the input is not a multiple of the network's total stride on every axis
   */
  static CovidDsaConfig of(TaskConfig config) {
    int depth = CovidDsaTaskProvider.depth(config.variant());
    String layout = config.option("layout");
    ResNet3dConfig net = layout.equals(MEDICALNET) ? ResNet3dConfig.medicalNet(depth) : ResNet3dConfig.hara(depth);
    String tStride = config.option("conv1_t_stride");
    if (!tStride.equals(AUTO)) {
      net = net.withConv1T(net.conv1TSize(), Integer.parseInt(tStride));
    }
    String shortcut = config.option("shortcut");
    if (!shortcut.equals(AUTO)) {
      net = net.withShortcut(ResNet3dShortcut.of(shortcut));
    }
    int[] input = config.sizeOption("input");
    checkInput(input, net, layout);
    return new CovidDsaConfig(depth, input, net, layout, config.numberOption("attention_weight"),
        config.option("sampler"), config.intOption("size_bins"));
  }

  /**
   * The attention map's grid D/s_D × H/s_H × W/s_W, which is also the grid the infection mask is reduced to for the
   * attention loss.
   */
  int[] grid() {
    int[] stride = backbone.totalStride();
    return new int[] {input[0] / stride[0], input[1] / stride[1], input[2] / stride[2]};
  }

  /** Channels of the layer4 map the attention and the classifier read. */
  int channels() {
    return backbone.featureChannels();
  }

  /**
   * Requires every input extent to be a multiple of the total stride: the infection mask is reduced to the attention
   * grid by whole cells of the input, which only tile the input exactly then (otherwise the last cell of the padded
   * convolution covers part padding and part volume, and the map no longer lines up with the mask).
   */
  private static void checkInput(int[] input, ResNet3dConfig net, String layout) {
    if (input.length != 3) {
      throw new MedvisionException(CovidDsaTaskProvider.NAME + ": input must be three dimensions D x H x W, got "
          + input.length);
    }
    int[] stride = net.totalStride();
    boolean ok = true;
    for (int a = 0; a < 3; a++) {
      ok &= input[a] % stride[a] == 0;
    }
    if (!ok) {
      int[] down = new int[3];
      int[] up = new int[3];
      for (int a = 0; a < 3; a++) {
        down[a] = Math.max(stride[a], input[a] / stride[a] * stride[a]);
        up[a] = (input[a] + stride[a] - 1) / stride[a] * stride[a];
      }
      throw new MedvisionException(String.format(Locale.ROOT, "%s: input %s is not divisible by the network's total "
          + "stride %s (layout %s, conv1_t_stride %d); each of D, H, W must be a multiple of it so that the "
          + "attention map's cells tile the volume. Try input=%s or input=%s", CovidDsaTaskProvider.NAME,
          size(input), size(stride), layout, net.conv1TStride(), size(down), size(up)));
    }
  }

  private static String size(int[] dims) {
    return dims[0] + "x" + dims[1] + "x" + dims[2];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CovidDsaConfig c && depth == c.depth && java.util.Arrays.equals(input, c.input)
        && backbone.equals(c.backbone) && layout.equals(c.layout)
        && Double.compare(attentionWeight, c.attentionWeight) == 0 && sampler.equals(c.sampler)
        && sizeBins == c.sizeBins;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(depth, java.util.Arrays.hashCode(input), backbone, layout, attentionWeight,
        sampler, sizeBins);
  }

  @Override
  public String toString() {
    return backbone.modelName() + " " + layout + " input " + size(input) + " shortcut " + backbone.shortcut()
        + " conv1_t_stride " + backbone.conv1TStride() + " lambda " + attentionWeight + " sampler " + sampler
        + (sampler.equals(SIZE_BALANCED) ? " K " + sizeBins : "");
  }
}
