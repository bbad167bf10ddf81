package org.medvision.io.volume;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One series as a planned volume: the slices in volume order, the grid size, the voxel-to-LPS affine and what was
 * found on the way. Computing a layout reads no pixel data; {@link #load()} does.
 */
public final class SeriesLayout {
  private final String seriesInstanceUid;
  private final List<SliceRecord> slices;
  private final Affine affine;
  private final List<Finding> findings;

  SeriesLayout(String seriesInstanceUid, List<SliceRecord> slices, Affine affine, List<Finding> findings) {
    this.seriesInstanceUid = Objects.requireNonNull(seriesInstanceUid);
    this.slices = List.copyOf(slices);
    this.affine = affine;
    this.findings = List.copyOf(findings);
  }

  /** The Series Instance UID shared by every slice. */
  public String seriesInstanceUid() {
    return seriesInstanceUid;
  }

  /**
   * The slices that make the volume, slice {@code z} of the volume first at index {@code z}: ordered along the
   * slice normal when geometry is known, else by instance and frame number. Duplicates that were left out are not
   * here (see the {@link Finding.Kind#DUPLICATE_POSITION} finding). With errors, all slices in input order.
   */
  public List<SliceRecord> slices() {
    return slices;
  }

  /** Everything found, in the order checked. */
  public List<Finding> findings() {
    return findings;
  }

  /** True when a finding is an {@link Finding.Severity#ERROR}, so {@link #load()} would fail. */
  public boolean hasErrors() {
    return findings.stream().anyMatch(f -> f.severity() == Finding.Severity.ERROR);
  }

  /** The voxel-to-LPS affine, or empty when errors prevent a volume. */
  public Optional<Affine> affine() {
    return Optional.ofNullable(affine);
  }

  /** Volume dimensions {@code [columns, rows, slices]} (x, y, z). */
  public int[] dims() {
    SliceRecord first = slices.get(0);
    return new int[] {first.columns(), first.rows(), slices.size()};
  }

  /**
   * Reads every slice's pixels into a volume.
   *
   * @throws SeriesAssemblyException if the layout has errors (listed in the message), a slice's pixels cannot be
   *     loaded, or a slice supplies the wrong number of pixels; the message names the series and the slice
   */
  public Volume load() {
    if (hasErrors()) {
      String errors = findings.stream().filter(f -> f.severity() == Finding.Severity.ERROR).map(Finding::toString)
          .collect(Collectors.joining("; "));
      throw new SeriesAssemblyException("series " + seriesInstanceUid + " does not form one volume: " + errors,
          findings);
    }
    int[] dims = dims();
    long total = (long) dims[0] * dims[1] * dims[2];
    if (total > Volume.MAX_VOXELS) {
      throw new SeriesAssemblyException("series " + seriesInstanceUid + " of " + dims[0] + "x" + dims[1] + "x"
          + dims[2] + " voxels is larger than one volume can hold (" + Volume.MAX_VOXELS + ")", List.of());
    }
    int plane = dims[0] * dims[1];
    float[] voxels = new float[(int) total];
    for (int z = 0; z < slices.size(); z++) {
      SliceRecord slice = slices.get(z);
      float[] pixels;
      try {
        pixels = slice.pixels().load();
      } catch (IOException e) {
        throw new SeriesAssemblyException("series " + seriesInstanceUid + ": cannot read the pixels of "
            + slice.label() + ": " + e.getMessage(), e);
      }
      if (pixels == null || pixels.length != plane) {
        throw new SeriesAssemblyException("series " + seriesInstanceUid + ": " + slice.label() + " supplied "
            + (pixels == null ? "no" : String.valueOf(pixels.length)) + " pixels, expected " + slice.rows() + " x "
            + slice.columns() + " = " + plane, List.of());
      }
      System.arraycopy(pixels, 0, voxels, z * plane, plane);
    }
    return Volume.adopt(dims, voxels, affine);
  }

  /** The series UID, dimensions and the number of findings. */
  @Override
  public String toString() {
    int[] d = dims();
    return "SeriesLayout[" + seriesInstanceUid + ", " + d[0] + "x" + d[1] + "x" + d[2] + ", " + findings.size()
        + " findings]";
  }
}
