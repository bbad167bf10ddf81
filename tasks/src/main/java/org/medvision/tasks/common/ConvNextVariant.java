package org.medvision.tasks.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.medvision.api.registry.UnknownNameException;

/**
 * The ConvNeXt sizes timm defines ({@code convnext_atto} ... {@code convnext_large}): blocks per stage, channels per
 * stage, and whether the block MLP runs as 1x1 convolutions on NCHW ({@code conv_mlp=True}, timm's choice for the four
 * smallest sizes) or as linear layers on channels-last data.
 */
public enum ConvNextVariant {
  /** timm {@code convnext_atto}: 3.7 M parameters. */
  ATTO(new int[] {2, 2, 6, 2}, new int[] {40, 80, 160, 320}, true, 0f),
  /** timm {@code convnext_femto}. */
  FEMTO(new int[] {2, 2, 6, 2}, new int[] {48, 96, 192, 384}, true, 0f),
  /** timm {@code convnext_pico}. */
  PICO(new int[] {2, 2, 6, 2}, new int[] {64, 128, 256, 512}, true, 0f),
  /** timm {@code convnext_nano}. */
  NANO(new int[] {2, 2, 8, 2}, new int[] {80, 160, 320, 640}, true, 0f),
  /** ConvNeXt-T (Liu et al. 2022), as in timm and torchvision. */
  TINY(new int[] {3, 3, 9, 3}, new int[] {96, 192, 384, 768}, false, 0.1f),
  /** ConvNeXt-S. */
  SMALL(new int[] {3, 3, 27, 3}, new int[] {96, 192, 384, 768}, false, 0.4f),
  /** ConvNeXt-B. */
  BASE(new int[] {3, 3, 27, 3}, new int[] {128, 256, 512, 1024}, false, 0.5f),
  /** ConvNeXt-L. */
  LARGE(new int[] {3, 3, 27, 3}, new int[] {192, 384, 768, 1536}, false, 0.5f);

  private final int[] depths;
  private final int[] dims;
  private final boolean convMlp;
  private final float stochasticDepth;

  ConvNextVariant(int[] depths, int[] dims, boolean convMlp, float stochasticDepth) {
    this.depths = depths;
    this.dims = dims;
    this.convMlp = convMlp;
    this.stochasticDepth = stochasticDepth;
  }

  /**
   * The variant called {@code name} (lower case, e.g. {@code tiny}).
   *
   * @throws UnknownNameException listing the variant names
   */
  public static ConvNextVariant of(String name) {
    for (ConvNextVariant v : values()) {
      if (v.variantName().equals(name)) {
        return v;
      }
    }
    throw new UnknownNameException("convnext variant", name, names(), "");
  }

  /** All variant names, smallest first. */
  public static List<String> names() {
    List<String> out = new ArrayList<>();
    for (ConvNextVariant v : values()) {
      out.add(v.variantName());
    }
    return List.copyOf(out);
  }

  /** The lower-case name, as in timm's {@code convnext_<name>}. */
  public String variantName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Number of stages (always 4). */
  public int stages() {
    return depths.length;
  }

  /** Blocks in stage {@code i}. */
  public int depth(int i) {
    return depths[i];
  }

  /** Channels of stage {@code i}. */
  public int dim(int i) {
    return dims[i];
  }

  /** Channels of the last stage: the length of the pooled feature vector. */
  public int featureDim() {
    return dims[dims.length - 1];
  }

  /**
   * The stochastic depth rate torchvision's pretrained model trains with ({@code stochastic_depth_prob}: 0.1 tiny, 0.4
   * small, 0.5 base and large), which StrokeNeXt inherits; 0 for the timm-only small sizes.
   */
  public float stochasticDepth() {
    return stochasticDepth;
  }

  /** Total number of blocks over all stages. */
  public int totalBlocks() {
    int n = 0;
    for (int d : depths) {
      n += d;
    }
    return n;
  }

  /** True when timm builds the block MLP as 1x1 convolutions on NCHW data ({@code conv_mlp=True}). */
  public boolean convMlp() {
    return convMlp;
  }
}
