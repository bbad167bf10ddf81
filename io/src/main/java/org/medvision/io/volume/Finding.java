package org.medvision.io.volume;

import java.util.List;
import java.util.Objects;

/**
 * A problem (or notable fact) found while assembling a series, for reports such as {@code medvision dicom info}.
 *
 * @param severity how much it matters; any {@link Severity#ERROR} means no volume is built
 * @param kind what was found
 * @param message a sentence for people, naming the slices and the numbers involved
 * @param sources labels of the slices concerned (file names, with frame numbers for multi-frame objects)
 */
public record Finding(Severity severity, Kind kind, String message, List<String> sources) {
  /** How much a finding matters. */
  public enum Severity {
    /** A fact worth knowing; the volume is as good as the data allows. */
    INFO,
    /** The volume was built but its geometry is approximate or an assumption was made. */
    WARNING,
    /** The slices do not form one volume; none is built. */
    ERROR
  }

  /** What was found. */
  public enum Kind {
    /** Steps between slice positions are near a whole multiple (2 or more) of the usual step: slices are missing. */
    GAP,
    /** Two or more slices share one position; all but the first (by instance and frame number) are left out. */
    DUPLICATE_POSITION,
    /** Steps between slice positions differ by more than the tolerance and are not whole multiples. */
    NON_UNIFORM_SPACING,
    /** Slice positions do not lie along the slice normal (gantry tilt); the affine is sheared to follow them. */
    GANTRY_TILT,
    /** Slices differ in rows or columns. */
    MIXED_SIZE,
    /** Slices differ in Image Orientation (Patient). */
    MIXED_ORIENTATION,
    /** Slices differ in Pixel Spacing. */
    MIXED_PIXEL_SPACING,
    /** Position, orientation or pixel spacing is absent or unusable; a unit-direction affine is used. */
    MISSING_GEOMETRY,
    /** A single slice: the spacing between slices is unknown and 1 mm is assumed. */
    SINGLE_SLICE
  }

  /** Checks and copies the arguments. */
  public Finding {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
    sources = List.copyOf(sources);
  }

  /** {@code SEVERITY KIND: message}, the form reports print. */
  @Override
  public String toString() {
    return severity + " " + kind + ": " + message;
  }
}
