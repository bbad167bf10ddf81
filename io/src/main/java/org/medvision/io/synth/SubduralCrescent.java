package org.medvision.io.synth;

import java.util.SplittableRandom;

/**
 * An acute subdural hemorrhage: a crescent of blood lining the inner skull over an arc, thickest at the middle of the
 * arc and tapering to nothing at its ends.
 */
final class SubduralCrescent implements Lesion {
  private final double center;
  private final double halfArc;
  private final double thickness;
  private final double value;

  /** Draws a crescent at a random position; {@code pixel} is one pixel in brain-radius units. */
  SubduralCrescent(SplittableRandom rng, Difficulty d, double pixel) {
    center = Lesion.uniform(rng, -Math.PI, Math.PI);
    halfArc = Lesion.uniform(rng, 0.45, 0.9) * d.lerp(1.0, 0.7);
    thickness = Math.max(d.lerp(0.11, 0.055) * Lesion.uniform(rng, 0.8, 1.2), 2.2 * pixel);
    value = HemorrhageBlob.hemorrhageValue(rng, d);
  }

  @Override
  public boolean covers(HeadPoint p, Tissue current) {
    if (!Lesion.isBrain(current)) {
      return false;
    }
    double t = p.angleFrom(center) / halfArc;
    if (Math.abs(t) >= 1) {
      return false;
    }
    return p.r >= 1 - thickness * Math.sqrt(1 - t * t);
  }

  @Override
  public Tissue tissue() {
    return Tissue.HEMORRHAGE;
  }

  @Override
  public double hu(HeadPoint p) {
    return value;
  }
}
