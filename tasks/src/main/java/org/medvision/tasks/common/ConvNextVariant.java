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
  ATTO(new int[] {2, 2, 6, 2}, new int[] {40, 80, 160, 320}, true),
  /** timm {@code convnext_femto}. */
  FEMTO(new int[] {2, 2, 6, 2}, new int[] {48, 96, 192, 384}, true),
  /** timm {@code convnext_pico}. */
  PICO(new int[] {2, 2, 6, 2}, new int[] {64, 128, 256, 512}, true),
  /** timm {@code convnext_nano}. */
  NANO(new int[] {2, 2, 8, 2}, new int[] {80, 160, 320, 640}, true),
  /** ConvNeXt-T (Liu et al. 2022), as in timm and torchvision. */
  TINY(new int[] {3, 3, 9, 3}, new int[] {96, 192, 384, 768}, false),
  /** ConvNeXt-S. */
  SMALL(new int[] {3, 3, 27, 3}, new int[] {96, 192, 384, 768}, false),
  /** ConvNeXt-B. */
  BASE(new int[] {3, 3, 27, 3}, new int[] {128, 256, 512, 1024}, false),
  /** ConvNeXt-L. */
  LARGE(new int[] {3, 3, 27, 3}, new int[] {192, 384, 768, 1536}, false);

  private final int[] depths;
  private final int[] dims;
  private final boolean convMlp;

  ConvNextVariant(int[] depths, int[] dims, boolean convMlp) {
    this.depths = depths;
    this.dims = dims;
    this.convMlp = convMlp;
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

  /** True when timm builds the block MLP as 1x1 convolutions on NCHW data ({@code conv_mlp=True}). */
  public boolean convMlp() {
    return convMlp;
  }
}
