package org.medvision.api.data;

import java.util.Arrays;

/**
 * The steps that turn a stored volume into a model input, in this order:
 * <ol>
 *   <li>crop to the bounding box of the nonzero voxels of mask field {@code cropToMask}, widened by
 *       {@code cropMarginMm} on every side (clamped to the volume); skipped when {@code cropToMask} is empty;
 *   <li>intensities: clip to [{@code clipLow}, {@code clipHigh}] and scale linearly to [0, 1]; or, when
 *       {@code percentile} is set, clip at that upper percentile of the volume's voxels and at its minimum, then scale
 *       to [0, 1];
 *   <li>resize (trilinear, align-corners false) to {@code size} = D×H×W voxels.
 * </ol>
 * Volumes are first put in a canonical voxel order (the axes nearest to left-right, anterior-posterior and
 * inferior-superior become W, H and D), so a flipped or transposed file gives the same tensor.
 *
 * @param cropToMask the mask field whose bounding box crops the volume, or empty
 * @param cropMarginMm margin around the bounding box, in millimetres
 * @param clipLow lower clip of the stored values (e.g. −1200 HU), used without {@code percentile}
 * @param clipHigh upper clip (e.g. 600 HU)
 * @param percentile upper percentile in (0, 100] for percentile scaling, or NaN to use the clip range
 * @param size D, H, W of the result
 */
public record VolumePreprocessing(String cropToMask, double cropMarginMm, double clipLow, double clipHigh,
    double percentile, int[] size) {
  /** Checks the values; copies the size. */
  public VolumePreprocessing {
    cropToMask = cropToMask == null ? "" : cropToMask;
    size = size.clone();
    if (size.length != 3 || Arrays.stream(size).anyMatch(d -> d < 1)) {
      throw new IllegalArgumentException("volume size must be three positive dimensions D, H, W, got "
          + Arrays.toString(size));
    }
    if (!(cropMarginMm >= 0)) {
      throw new IllegalArgumentException("crop margin must be non-negative, got " + cropMarginMm);
    }
    if (Double.isNaN(percentile) && !(clipHigh > clipLow)) {
      throw new IllegalArgumentException("clip range [" + clipLow + ", " + clipHigh + "] is empty");
    }
    if (!Double.isNaN(percentile) && !(percentile > 0 && percentile <= 100)) {
      throw new IllegalArgumentException("percentile must be in (0, 100], got " + percentile);
    }
  }

  @Override
  public int[] size() {
    return size.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VolumePreprocessing p && cropToMask.equals(p.cropToMask)
        && Double.compare(cropMarginMm, p.cropMarginMm) == 0 && Double.compare(clipLow, p.clipLow) == 0
        && Double.compare(clipHigh, p.clipHigh) == 0 && Double.compare(percentile, p.percentile) == 0
        && Arrays.equals(size, p.size);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(cropToMask, cropMarginMm, clipLow, clipHigh, percentile, Arrays.hashCode(size));
  }

  @Override
  public String toString() {
    return (cropToMask.isEmpty() ? "" : "crop to " + cropToMask + " +" + cropMarginMm + " mm, ")
        + (Double.isNaN(percentile) ? "clip [" + clipLow + ", " + clipHigh + "]" : "percentile " + percentile)
        + " to [0, 1], resize to " + size[0] + "x" + size[1] + "x" + size[2];
  }
}
