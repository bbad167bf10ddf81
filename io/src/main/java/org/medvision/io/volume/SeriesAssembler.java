package org.medvision.io.volume;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.medvision.api.MedvisionException;
import org.medvision.io.volume.Finding.Kind;
import org.medvision.io.volume.Finding.Severity;

/**
 * Turns slice records into series layouts: groups by Series Instance UID, orders slices along the slice normal,
 * derives the spacing between slices from their positions (never from Slice Thickness) and builds the voxel-to-LPS
 * affine, reporting what it finds as {@link Finding}s rather than failing early.
 *
 * <p>Geometry, for slices with row cosine {@code r}, column cosine {@code c} and normal {@code n = r x c}: column 0
 * of the affine is {@code r * columnSpacing}, column 1 is {@code c * rowSpacing}, the origin is the position of the
 * first slice, and column 2 is {@code n * s}, where {@code s} is the median step between consecutive positions
 * projected on {@code n}. Slices are sorted by that projection, ascending, so the affine is right-handed. With a
 * gantry tilt, column 2 instead follows the line through the first and last positions (a sheared affine) with the
 * same projected step, so every slice keeps its true world position.
 *
 * <p>Without usable geometry (a single 2D image, a multi-frame object without per-frame positions, or orientation
 * cosines that are not orthonormal) the layout orders slices by instance then frame number and uses the world axes
 * as directions, Pixel Spacing where known and 1 mm otherwise, and an origin at 0: a warning, not an error.
 */
public final class SeriesAssembler {
  private static final Comparator<SliceRecord> BY_INSTANCE_AND_FRAME = Comparator
      .comparingInt((SliceRecord s) -> s.instanceNumber().orElse(Integer.MAX_VALUE))
      .thenComparingInt(SliceRecord::frameNumber);

  private final AssemblyTolerances tolerances;

  /** An assembler with {@link AssemblyTolerances#DEFAULT}. */
  public SeriesAssembler() {
    this(AssemblyTolerances.DEFAULT);
  }

  /** An assembler with the given tolerances. */
  public SeriesAssembler(AssemblyTolerances tolerances) {
    this.tolerances = Objects.requireNonNull(tolerances, "tolerances");
  }

  /**
   * One layout per Series Instance UID, in the order each series first appears in {@code slices}.
   *
   * @throws MedvisionException if {@code slices} is empty
   */
  public List<SeriesLayout> layouts(Collection<SliceRecord> slices) {
    if (slices.isEmpty()) {
      throw new MedvisionException("no slices to assemble");
    }
    Map<String, List<SliceRecord>> bySeries = new LinkedHashMap<>();
    for (SliceRecord s : slices) {
      bySeries.computeIfAbsent(s.seriesInstanceUid(), k -> new ArrayList<>()).add(s);
    }
    List<SeriesLayout> out = new ArrayList<>();
    for (List<SliceRecord> series : bySeries.values()) {
      out.add(layout(series));
    }
    return out;
  }

  /**
   * The layout of one series.
   *
   * @throws MedvisionException if {@code slices} is empty or holds more than one Series Instance UID
   */
  public SeriesLayout layout(List<SliceRecord> slices) {
    if (slices.isEmpty()) {
      throw new MedvisionException("no slices to assemble");
    }
    String uid = slices.get(0).seriesInstanceUid();
    for (SliceRecord s : slices) {
      if (!s.seriesInstanceUid().equals(uid)) {
        throw new MedvisionException("one layout needs one series, but " + s.label() + " is in series "
            + s.seriesInstanceUid() + " and " + slices.get(0).label() + " in " + uid);
      }
    }
    List<Finding> findings = new ArrayList<>();
    List<SliceRecord> ordered = new ArrayList<>(slices);
    ordered.sort(BY_INSTANCE_AND_FRAME);
    checkSizes(ordered, findings);
    double[] pixelSpacing = checkPixelSpacing(ordered, findings);
    String unusable = unusableGeometry(ordered);
    if (unusable == null) {
      checkOrientation(ordered, findings);
    }
    if (findings.stream().anyMatch(f -> f.severity() == Severity.ERROR)) {
      return new SeriesLayout(uid, slices, null, findings);
    }
    if (unusable != null) {
      return withoutGeometry(uid, ordered, pixelSpacing, unusable, findings);
    }
    return withGeometry(uid, ordered, pixelSpacing, findings);
  }

  private static void checkSizes(List<SliceRecord> slices, List<Finding> findings) {
    SliceRecord first = slices.get(0);
    List<String> odd = new ArrayList<>();
    for (SliceRecord s : slices) {
      if (s.rows() != first.rows() || s.columns() != first.columns()) {
        odd.add(s.label() + " (" + s.rows() + "x" + s.columns() + ")");
      }
    }
    if (!odd.isEmpty()) {
      findings.add(new Finding(Severity.ERROR, Kind.MIXED_SIZE, "slices differ in size: " + first.label() + " is "
          + first.rows() + "x" + first.columns() + " (rows x columns) but " + String.join(", ", odd), odd));
    }
  }

  /** The common pixel spacing (row, column), or null when no slice has one. */
  private double[] checkPixelSpacing(List<SliceRecord> slices, List<Finding> findings) {
    SliceRecord reference = null;
    List<String> odd = new ArrayList<>();
    for (SliceRecord s : slices) {
      double[] ps = s.pixelSpacing();
      if (ps == null) {
        continue;
      }
      if (reference == null) {
        reference = s;
      } else if (!close(ps, reference.pixelSpacing(), tolerances.pixelSpacingRelative())) {
        odd.add(s.label() + " " + Arrays.toString(ps));
      }
    }
    if (!odd.isEmpty()) {
      findings.add(new Finding(Severity.ERROR, Kind.MIXED_PIXEL_SPACING, "slices differ in Pixel Spacing: "
          + reference.label() + " has " + Arrays.toString(reference.pixelSpacing()) + " but " + String.join(", ", odd),
          odd));
    }
    return reference == null ? null : reference.pixelSpacing();
  }

  private static boolean close(double[] a, double[] b, double relative) {
    for (int i = 0; i < a.length; i++) {
      if (Math.abs(a[i] - b[i]) > relative * Math.max(Math.abs(a[i]), Math.abs(b[i]))) {
        return false;
      }
    }
    return true;
  }

  /** Why the slices cannot be placed in space, or null when they can. */
  private static String unusableGeometry(List<SliceRecord> slices) {
    int missing = 0;
    for (SliceRecord s : slices) {
      if (!s.hasPlacement()) {
        missing++;
      }
    }
    if (missing > 0) {
      return missing + " of " + slices.size() + " slices lack Image Position or Orientation (Patient)";
    }
    for (SliceRecord s : slices) {
      double[] o = s.imageOrientation();
      double[] r = {o[0], o[1], o[2]};
      double[] c = {o[3], o[4], o[5]};
      if (Math.abs(Vectors.norm(r) - 1) > 1e-3 || Math.abs(Vectors.norm(c) - 1) > 1e-3
          || Math.abs(Vectors.dot(r, c)) > 1e-3) {
        return s.label() + " has Image Orientation (Patient) " + Arrays.toString(o)
            + ", which is not two orthogonal unit vectors";
      }
    }
    return null;
  }

  private void checkOrientation(List<SliceRecord> slices, List<Finding> findings) {
    SliceRecord first = slices.get(0);
    double[] o0 = first.imageOrientation();
    List<String> odd = new ArrayList<>();
    for (SliceRecord s : slices) {
      double[] o = s.imageOrientation();
      for (int i = 0; i < 6; i++) {
        if (Math.abs(o[i] - o0[i]) > tolerances.orientationCosine()) {
          odd.add(s.label() + " " + Arrays.toString(o));
          break;
        }
      }
    }
    if (!odd.isEmpty()) {
      findings.add(new Finding(Severity.ERROR, Kind.MIXED_ORIENTATION, "slices differ in Image Orientation (Patient): "
          + first.label() + " has " + Arrays.toString(o0) + " but " + String.join(", ", odd), odd));
    }
  }

  private static SeriesLayout withoutGeometry(String uid, List<SliceRecord> ordered, double[] pixelSpacing,
      String why, List<Finding> findings) {
    double rowSpacing = pixelSpacing == null ? 1 : pixelSpacing[0];
    double columnSpacing = pixelSpacing == null ? 1 : pixelSpacing[1];
    findings.add(new Finding(Severity.WARNING, Kind.MISSING_GEOMETRY, why + "; slices are ordered by instance and "
        + "frame number and the affine uses the world axes, " + (pixelSpacing == null ? "1 mm pixels"
        : "Pixel Spacing") + ", 1 mm between slices and origin 0", labels(ordered)));
    Affine affine = Affine.diagonal(columnSpacing, rowSpacing, 1, 0, 0, 0);
    return new SeriesLayout(uid, ordered, affine, findings);
  }

  private SeriesLayout withGeometry(String uid, List<SliceRecord> byInstance, double[] pixelSpacing,
      List<Finding> findings) {
    double[] o = byInstance.get(0).imageOrientation();
    double[] r = Vectors.unit(new double[] {o[0], o[1], o[2]}, "row cosine");
    double[] c = Vectors.unit(new double[] {o[3], o[4], o[5]}, "column cosine");
    double[] n = Vectors.unit(Vectors.cross(r, c), "slice normal");
    List<SliceRecord> sorted = new ArrayList<>(byInstance);
    // A stable sort keeps instance/frame order among equal projections, so the first of duplicates is kept.
    sorted.sort(Comparator.comparingDouble(s -> Vectors.dot(s.imagePosition(), n)));
    List<SliceRecord> kept = dropDuplicates(sorted, n, findings);
    if (pixelSpacing == null) {
      findings.add(new Finding(Severity.WARNING, Kind.MISSING_GEOMETRY, "no slice has Pixel Spacing; 1 mm pixels "
          + "are assumed", labels(kept)));
    }
    double rowSpacing = pixelSpacing == null ? 1 : pixelSpacing[0];
    double columnSpacing = pixelSpacing == null ? 1 : pixelSpacing[1];
    double[] origin = kept.get(0).imagePosition();
    double[] sliceStep;
    if (kept.size() == 1) {
      findings.add(new Finding(Severity.INFO, Kind.SINGLE_SLICE, "a single slice: the spacing between slices is "
          + "unknown, 1 mm is assumed", labels(kept)));
      sliceStep = n;
    } else {
      double[] projections = new double[kept.size()];
      for (int i = 0; i < projections.length; i++) {
        projections[i] = Vectors.dot(kept.get(i).imagePosition(), n);
      }
      double step = checkSpacing(kept, projections, findings);
      sliceStep = tiltedStep(kept, n, step, findings);
    }
    double[] col0 = Vectors.scale(r, columnSpacing);
    double[] col1 = Vectors.scale(c, rowSpacing);
    Affine affine = Affine.ofRows(new double[][] {
      {col0[0], col1[0], sliceStep[0], origin[0]},
      {col0[1], col1[1], sliceStep[1], origin[1]},
      {col0[2], col1[2], sliceStep[2], origin[2]}
    });
    return new SeriesLayout(uid, kept, affine, findings);
  }

  private List<SliceRecord> dropDuplicates(List<SliceRecord> sorted, double[] n, List<Finding> findings) {
    List<SliceRecord> kept = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    List<String> messages = new ArrayList<>();
    for (SliceRecord s : sorted) {
      if (!kept.isEmpty()) {
        SliceRecord last = kept.get(kept.size() - 1);
        double gap = Vectors.dot(s.imagePosition(), n) - Vectors.dot(last.imagePosition(), n);
        if (gap < tolerances.positionMm()) {
          dropped.add(s.label());
          messages.add(s.label() + " duplicates " + last.label());
          continue;
        }
      }
      kept.add(s);
    }
    if (!dropped.isEmpty()) {
      findings.add(new Finding(Severity.WARNING, Kind.DUPLICATE_POSITION, dropped.size() + " slices share a "
          + "position with another slice and were left out (the first by instance and frame number is kept): "
          + String.join(", ", messages), dropped));
    }
    return kept;
  }

  /** The median projected step; reports gaps and non-uniform steps. */
  private double checkSpacing(List<SliceRecord> kept, double[] projections, List<Finding> findings) {
    double[] steps = new double[projections.length - 1];
    for (int i = 0; i < steps.length; i++) {
      steps[i] = projections[i + 1] - projections[i];
    }
    double[] sortedSteps = steps.clone();
    Arrays.sort(sortedSteps);
    int mid = sortedSteps.length / 2;
    double median = sortedSteps.length % 2 == 1 ? sortedSteps[mid] : (sortedSteps[mid - 1] + sortedSteps[mid]) / 2;
    double tolerance = tolerances.spacingRelative();
    List<String> uneven = new ArrayList<>();
    List<String> unevenSources = new ArrayList<>();
    for (int i = 0; i < steps.length; i++) {
      if (Math.abs(steps[i] - median) <= tolerance * median) {
        continue;
      }
      long multiple = Math.round(steps[i] / median);
      String between = kept.get(i).label() + " and " + kept.get(i + 1).label();
      if (multiple >= 2 && Math.abs(steps[i] - multiple * median) <= tolerance * multiple * median) {
        findings.add(new Finding(Severity.WARNING, Kind.GAP, String.format(Locale.ROOT, "%.4g mm between %s is "
            + "%d times the usual step of %.4g mm: %d slices are missing; the affine assumes the usual step, so slices "
            + "after the gap are misplaced", steps[i], between, multiple, median, multiple - 1),
            List.of(kept.get(i).label(), kept.get(i + 1).label())));
      } else {
        uneven.add(String.format(Locale.ROOT, "%.4g mm between %s", steps[i], between));
        unevenSources.add(kept.get(i + 1).label());
      }
    }
    if (!uneven.isEmpty()) {
      findings.add(new Finding(Severity.WARNING, Kind.NON_UNIFORM_SPACING, String.format(Locale.ROOT,
          "steps between slices differ from the median %.4g mm by more than %.3g %%: %s; the affine uses the median",
          median, 100 * tolerance, String.join(", ", uneven)), unevenSources));
    }
    return median;
  }

  /** Column 2 of the affine: along the normal, or along the slice positions when they are tilted off it. */
  private double[] tiltedStep(List<SliceRecord> kept, double[] n, double step, List<Finding> findings) {
    double[] first = kept.get(0).imagePosition();
    double[] last = kept.get(kept.size() - 1).imagePosition();
    double[] span = Vectors.minus(last, first);
    double along = Vectors.dot(span, n);
    double across = Vectors.norm(Vectors.minus(span, Vectors.scale(n, along)));
    double degrees = Math.toDegrees(Math.atan2(across, along));
    if (degrees <= tolerances.tiltDegrees()) {
      return Vectors.scale(n, step);
    }
    findings.add(new Finding(Severity.WARNING, Kind.GANTRY_TILT, String.format(Locale.ROOT, "slice positions from "
        + "%s to %s run %.3f degrees off the slice normal (gantry tilt); the affine is sheared to follow them",
        kept.get(0).label(), kept.get(kept.size() - 1).label(), degrees), labels(kept)));
    return Vectors.scale(span, step / along);
  }

  private static List<String> labels(List<SliceRecord> slices) {
    List<String> out = new ArrayList<>();
    for (SliceRecord s : slices) {
      out.add(s.label());
    }
    return out;
  }
}
