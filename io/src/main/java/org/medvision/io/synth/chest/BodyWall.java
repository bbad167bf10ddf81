package org.medvision.io.synth.chest;

import java.util.SplittableRandom;

/**
 * The body outline and the chest wall around the thoracic cavity, in body-frame millimetres ({@code X} to the
 * patient's left, {@code Y} posterior, {@code Z} superior, 0 at the lung bases).
 *
 * <p>Cross-sections are rounded rectangles (a blend of a circle and a squircle) flattened at the back, as a supine
 * patient lies on the table; their size undulates slowly along {@code Z} and narrows to the neck above the lung apices.
 * From the skin inwards: subcutaneous fat, then a muscle layer that holds the ribs (bands that slope down towards the
 * front, interrupted by costal cartilage beside the sternum) and, in the front midline, the sternum.
 */
final class BodyWall {
  /** Where the wall of the cavity is, relative to a point. */
  enum Layer {
    /** Outside the skin. */
    OUTSIDE,
    /** Subcutaneous fat. */
    FAT,
    /** Chest-wall muscle. */
    MUSCLE,
    /** A rib or the sternum. */
    BONE,
    /** Inside the thoracic (or, lower down, abdominal) cavity. */
    CAVITY
  }

  private final double halfWidth;
  private final double halfDepth;
  private final double squareness;
  private final double fat;
  private final double muscle;
  private final double waveAmplitude;
  private final double waveLength;
  private final double wavePhase;
  private final double neckStart;
  private final double ribPitch;
  private final double ribWidth;
  private final double ribDrop;
  private final double ribPhase;
  private final double ribThickness;
  private final double ribTop;
  private final double ribBottom;
  private final double sternumHalfWidth;
  private final double sternumBottom;

  /**
   * Draws a chest wall for lungs {@code lungHeight} mm tall.
   */
  BodyWall(SplittableRandom rng, double lungHeight) {
    halfWidth = Draw.uniform(rng, 135, 175);
    halfDepth = halfWidth * Draw.uniform(rng, 0.68, 0.8);
    squareness = Draw.uniform(rng, 0.2, 0.6);
    fat = Draw.uniform(rng, 5, 22);
    muscle = Draw.uniform(rng, 11, 16);
    waveAmplitude = Draw.uniform(rng, 0.02, 0.06);
    waveLength = Draw.uniform(rng, 250, 450);
    wavePhase = Draw.uniform(rng, 0, 2 * Math.PI);
    neckStart = lungHeight + Draw.uniform(rng, 10, 30);
    ribPitch = Draw.uniform(rng, 24, 32);
    ribWidth = Draw.uniform(rng, 9, 13);
    ribDrop = Draw.uniform(rng, 40, 70);
    ribPhase = Draw.uniform(rng, 0, ribPitch);
    ribThickness = Draw.uniform(rng, 7, Math.min(11, muscle - 3));
    ribTop = lungHeight + 5;
    ribBottom = -Draw.uniform(rng, 20, 45);
    sternumHalfWidth = Draw.uniform(rng, 11, 16);
    sternumBottom = lungHeight * Draw.uniform(rng, 0.1, 0.25);
  }

  /** Half the body's left-right width at mid-chest, mm; the field of view is chosen to fit it. */
  double halfWidth() {
    return halfWidth;
  }

  /** How much the cross-section at {@code z} is scaled relative to mid-chest. */
  private double scale(double z) {
    double neck = 1 - 0.45 * Draw.smoothstep(neckStart, neckStart + 60, z);
    return (1 + waveAmplitude * Math.sin(2 * Math.PI * z / waveLength + wavePhase)) * neck;
  }

  /** Half-width of the cavity at {@code z}, mm. */
  double cavityHalfWidth(double z) {
    return halfWidth * scale(z) - fat - muscle;
  }

  /** Half-depth of the cavity at {@code z}, mm. */
  double cavityHalfDepth(double z) {
    return halfDepth * scale(z) - fat - muscle;
  }

  /**
   * The outline radius of {@code (x, y)} for half-axes {@code a, b}: 1 on the outline, below 1 inside. Posterior
   * points use a flatter shape, for the back lying on the table.
   */
  private double radius(double x, double y, double a, double b) {
    double u = x / a;
    double v = y / b;
    double s = y > 0 ? Math.min(1, squareness + 0.35) : squareness;
    double u2 = u * u;
    double v2 = v * v;
    return (1 - s) * Math.sqrt(u2 + v2) + s * Math.sqrt(Math.sqrt(u2 * u2 + v2 * v2));
  }

  /**
   * Inward distance (mm, negative outside) from the cavity wall, measured along the ray from the body axis: exact on
   * that ray, a slight overestimate of the perpendicular distance elsewhere.
   */
  double cavityDepth(double x, double y, double z) {
    double r = radius(x, y, cavityHalfWidth(z), cavityHalfDepth(z));
    double rho = Math.sqrt(x * x + y * y);
    return r > 1e-9 ? (1 - r) / r * rho : cavityHalfDepth(z);
  }

  /** Which layer {@code (x, y, z)} lies in. */
  Layer layer(double x, double y, double z) {
    double s = scale(z);
    double a = halfWidth * s;
    double b = halfDepth * s;
    if (radius(x, y, a, b) > 1) {
      return Layer.OUTSIDE;
    }
    if (radius(x, y, a - fat, b - fat) > 1) {
      return Layer.FAT;
    }
    double depth = cavityDepth(x, y, z);
    if (depth >= 0) {
      return Layer.CAVITY;
    }
    return isBone(x, y, z, -depth) ? Layer.BONE : Layer.MUSCLE;
  }

  /** Ribs and sternum, {@code outward} mm outside the cavity wall. */
  private boolean isBone(double x, double y, double z, double outward) {
    if (y < 0 && Math.abs(x) < sternumHalfWidth) {
      return z > sternumBottom && z < ribTop + 10 && outward < ribThickness + 2;
    }
    if (outward > ribThickness || z < ribBottom || z > ribTop) {
      return false;
    }
    double rho = Math.sqrt(x * x + y * y);
    double sinAngle = rho > 0 ? y / rho : 0;
    // Costal cartilage: the front ends of the ribs, beside the sternum, are soft tissue.
    if (sinAngle < -0.8) {
      return false;
    }
    // A rib is a band of constant zeta; zeta grows towards the front, so each rib slopes down anteriorly.
    double zeta = z + ribDrop * (1 - sinAngle) / 2 - ribPhase;
    double phase = zeta - ribPitch * Math.floor(zeta / ribPitch);
    return phase < ribWidth;
  }
}
