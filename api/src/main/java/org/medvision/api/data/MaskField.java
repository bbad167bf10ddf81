package org.medvision.api.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A binary mask on the voxel grid of a volume or image field ({@code alignedTo}): a NIfTI file for a volume, an image
 * file for an image. Its size, spacing and orientation must equal the aligned field's, or the row is rejected. It goes
 * through the aligned field's crop and resize (a voxel is in the mask when the resampled value is at least 0.5), so
 * it stays aligned; joint augmentation moves it with its field.
 *
 * <p>With a {@code grid}, the mask is then reduced to that coarser grid: each cell holds the fraction of its voxels
 * inside the mask, thresholded at {@code threshold} (e.g. an attention map's D/16×H/32×W/32 grid). Its tensor is
 * float32 {@code [1, d, h, w]} (or {@code [1, h, w]} for an image) of 0 and 1.
 *
 * <p>An optional mask that a row lacks becomes all zeros, and the example gets a second tensor
 * {@code <name>.present} holding 0 (1 when present), so a loss can leave such examples out. When a row lacks it and
 * an {@code estimator} is given, the mask is estimated from the aligned volume instead (and {@code .present} is 1).
 *
 * @param name example key
 * @param column manifest column holding the mask file
 * @param alignedTo the image or volume field it belongs to
 * @param grid the grid to reduce to (D, H, W or H, W), or null to keep the aligned field's preprocessed size
 * @param threshold the fraction of a cell's voxels that makes the cell 1, in (0, 1]
 * @param estimator how to make the mask when a row has none, or null
 * @param required whether every row must have one
 */
public record MaskField(String name, String column, String alignedTo, int[] grid, double threshold,
    MaskEstimator estimator, boolean required) implements Field {
  /** Name of the presence tensor of mask field {@code field}. */
  public static String presenceKey(String field) {
    return field + ".present";
  }

  /** Checks and copies. */
  public MaskField {
    Field.checkName(name);
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(alignedTo, "alignedTo");
    grid = grid == null ? null : grid.clone();
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("mask threshold must be in (0, 1], got " + threshold);
    }
  }

  @Override
  public int[] grid() {
    return grid == null ? null : grid.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MaskField m && name.equals(m.name) && column.equals(m.column) && alignedTo.equals(m.alignedTo)
        && Arrays.equals(grid, m.grid) && threshold == m.threshold && Objects.equals(estimator, m.estimator)
        && required == m.required;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, column, alignedTo, Arrays.hashCode(grid), threshold, estimator, required);
  }

  @Override
  public String toString() {
    return "MaskField[" + name + " <- " + column + ", aligned to " + alignedTo
        + (grid == null ? "" : ", grid " + Arrays.toString(grid)) + (required ? "" : ", optional")
        + (estimator == null ? "" : ", estimated when absent") + "]";
  }
}
