package org.medvision.io.synth;

import java.util.SplittableRandom;

/**
 * An intraparenchymal hemorrhage: an irregular blob whose outline is a circle perturbed by low harmonics (so the edge
 * is smooth), slightly denser toward its centre as a retracting clot is.
 */
final class HemorrhageBlob implements Lesion {
  private static final int HARMONICS = 3;

  private final double cx;
  private final double cy;
  private final double radius;
  private final double[] amplitude = new double[HARMONICS];
  private final double[] phase = new double[HARMONICS];
  private final double value;

  /** Draws a blob centred in the inner three quarters of the brain; {@code pixel} is one pixel in head units. */
  HemorrhageBlob(SplittableRandom rng, Difficulty d, double pixel) {
    double rr = 0.72 * Math.sqrt(rng.nextDouble());
    double angle = Lesion.uniform(rng, -Math.PI, Math.PI);
    cx = rr * Math.cos(angle);
    cy = rr * Math.sin(angle);
    radius = Math.max(d.lerp(0.20, 0.11) * Lesion.uniform(rng, 0.75, 1.25), 2.5 * pixel);
    for (int k = 0; k < HARMONICS; k++) {
      amplitude[k] = Lesion.uniform(rng, 0, 0.14);
      phase[k] = Lesion.uniform(rng, -Math.PI, Math.PI);
    }
    value = hemorrhageValue(rng, d);
  }

  /** A blood density for {@code d}, kept 2 HU inside the hemorrhage range so the intensity variation stays in it. */
  static double hemorrhageValue(SplittableRandom rng, Difficulty d) {
    return clamp(d.lerp(78, 60) + Lesion.uniform(rng, -6, 6), 57, 85);
  }

  static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  private double edge(double dx, double dy) {
    double psi = Math.atan2(dy, dx);
    double scale = 1;
    for (int k = 0; k < HARMONICS; k++) {
      scale += amplitude[k] * Math.cos((k + 2) * psi + phase[k]);
    }
    return radius * scale;
  }

  @Override
  public boolean covers(HeadPoint p, Tissue current) {
    if (!Lesion.isBrain(current)) {
      return false;
    }
    double dx = p.ex - cx;
    double dy = p.ey - cy;
    return Math.hypot(dx, dy) <= edge(dx, dy);
  }

  @Override
  public Tissue tissue() {
    return Tissue.HEMORRHAGE;
  }

  @Override
  public double hu(HeadPoint p) {
    double dx = p.ex - cx;
    double dy = p.ey - cy;
    double depth = 1 - Math.hypot(dx, dy) / edge(dx, dy);
    return clamp(value + 3 * Math.max(0, depth), 57, 88);
  }
}
