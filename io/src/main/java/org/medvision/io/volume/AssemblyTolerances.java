package org.medvision.io.volume;

import org.medvision.api.MedvisionException;

/**
 * The tolerances series assembly uses to decide that geometry is "the same" or "uniform".
 *
 * @param positionMm two slice positions closer than this along the normal are duplicates (default 0.001 mm)
 * @param spacingRelative steps between slices are uniform when each is within this fraction of the median step; a
 *     step within this fraction of k times the median (k &ge; 2) is a gap of k - 1 slices (default 0.01, i.e. 1 %)
 * @param orientationCosine orientation cosines, and the cosine of the angle between them, may differ by this much
 *     (default 1e-4)
 * @param pixelSpacingRelative pixel spacings may differ by this fraction (default 1e-4)
 * @param tiltDegrees slice positions more than this angle off the slice normal are a gantry tilt (default 0.1
 *     degrees; positions written to 0.01 mm over 100 mm give under 0.01 degrees of noise)
 */
public record AssemblyTolerances(
    double positionMm,
    double spacingRelative,
    double orientationCosine,
    double pixelSpacingRelative,
    double tiltDegrees) {

  /** The defaults listed on the record components. */
  public static final AssemblyTolerances DEFAULT = new AssemblyTolerances(1e-3, 0.01, 1e-4, 1e-4, 0.1);

  /**
   * Checks that every tolerance is finite and non-negative.
   *
   * @throws MedvisionException otherwise, naming the tolerance
   */
  public AssemblyTolerances {
    check(positionMm, "positionMm");
    check(spacingRelative, "spacingRelative");
    check(orientationCosine, "orientationCosine");
    check(pixelSpacingRelative, "pixelSpacingRelative");
    check(tiltDegrees, "tiltDegrees");
  }

  private static void check(double value, String name) {
    if (!(value >= 0) || !Double.isFinite(value)) {
      throw new MedvisionException("assembly tolerance " + name + " must be finite and >= 0, got " + value);
    }
  }
}
