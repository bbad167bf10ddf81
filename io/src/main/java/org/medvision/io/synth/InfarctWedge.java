package org.medvision.io.synth;

import java.util.SplittableRandom;

/**
 * An ischemic infarct in one arterial territory: a wedge from near the ventricles (its apex) out to the cortex, over
 * which grey and white matter take one low density, so the grey/white boundary disappears inside it. CSF spaces in
 * the wedge are kept.
 *
 * <p>Territories, in the head frame (angle 0 = the image's right, -pi/2 = anterior): middle cerebral artery, a broad
 * lateral wedge on one side; anterior cerebral artery, a narrow paramedian wedge at the front; posterior cerebral
 * artery, a paramedian wedge at the back.
 */
final class InfarctWedge implements Lesion {
  /** Arterial territories an infarct can take. */
  enum Territory { MCA, ACA, PCA }

  private final double center;
  private final double halfAngle;
  private final double apex;
  private final double wobble;
  private final double value;

  /** Draws a wedge in {@code territory} on the right ({@code side = 1}) or left ({@code side = -1}). */
  InfarctWedge(SplittableRandom rng, Difficulty d, Territory territory, int side) {
    double spread = Lesion.uniform(rng, 0.85, 1.15);
    switch (territory) {
      case MCA:
        center = (side > 0 ? 0 : Math.PI) + Lesion.uniform(rng, -0.25, 0.25);
        halfAngle = d.lerp(0.80, 0.40) * spread;
        apex = Lesion.uniform(rng, 0.35, 0.5) + 0.2 * d.level();
        break;
      case ACA:
        center = -Math.PI / 2 + side * Lesion.uniform(rng, 0.12, 0.25);
        halfAngle = d.lerp(0.30, 0.18) * spread;
        apex = Lesion.uniform(rng, 0.3, 0.45) + 0.2 * d.level();
        break;
      case PCA:
        center = Math.PI / 2 + side * Lesion.uniform(rng, 0.15, 0.35);
        halfAngle = d.lerp(0.40, 0.22) * spread;
        apex = Lesion.uniform(rng, 0.3, 0.45) + 0.2 * d.level();
        break;
      default:
        throw new AssertionError(territory);
    }
    wobble = Lesion.uniform(rng, -Math.PI, Math.PI);
    value = HemorrhageBlob.clamp(d.lerp(13, 19.5) + Lesion.uniform(rng, -2, 2), 12, 20);
  }

  @Override
  public boolean covers(HeadPoint p, Tissue current) {
    if (current != Tissue.GREY_MATTER && current != Tissue.WHITE_MATTER) {
      return false;
    }
    if (p.r < apex) {
      return false;
    }
    double along = (p.r - apex) / (1 - apex);
    double width = halfAngle * (0.45 + 0.55 * along) * (1 + 0.08 * Math.sin(9 * p.r + wobble));
    return Math.abs(p.angleFrom(center)) <= width;
  }

  @Override
  public Tissue tissue() {
    return Tissue.INFARCT;
  }

  @Override
  public double hu(HeadPoint p) {
    return value;
  }
}
