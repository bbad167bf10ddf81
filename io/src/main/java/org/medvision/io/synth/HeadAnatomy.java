package org.medvision.io.synth;

import java.util.SplittableRandom;

/**
 * The normal anatomy of one slice, drawn once and then sampled per pixel: head ellipse (size, aspect, position,
 * rotation), skull ring of varying thickness, cortical grey ribbon with gyral undulation, deep grey nuclei, paired
 * lateral ventricles, sulci and the interhemispheric fissure, with a tissue density for each.
 *
 * <p>Image coordinates are normalised so the shorter image side spans [-1, 1].
 */
final class HeadAnatomy {
  private static final double SKULL_AP_THICKENING = 0.25;
  private static final double GYRAL_DEPTH = 0.35;

  private final double centerX;
  private final double centerY;
  private final double semiX;
  private final double semiY;
  private final double cos;
  private final double sin;
  private final double skullThickness;
  private final double skullBase;
  private final double ribbon;
  private final int gyri;
  private final double gyralPhase;
  private final double[] ventricle; // dx, dy, half-width, half-length, tilt, right/left size ratio
  private final double[] nucleus; // dx, dy, half-width, half-length
  private final double[] sulcusAngle;
  private final double[] sulcusDepth;
  private final double sulcusHalfWidth;
  final double grey;
  final double white;
  final double csf;
  /** One pixel, in head-frame units along the shorter semi-axis. */
  final double pixel;

  HeadAnatomy(SplittableRandom rng, int shortSide) {
    centerX = Lesion.uniform(rng, -0.06, 0.06);
    centerY = Lesion.uniform(rng, -0.06, 0.06);
    semiX = Lesion.uniform(rng, 0.64, 0.80);
    semiY = Math.min(semiX * Lesion.uniform(rng, 1.08, 1.28), 0.90);
    double rotation = Lesion.uniform(rng, -0.17, 0.17);
    cos = Math.cos(rotation);
    sin = Math.sin(rotation);
    pixel = 2.0 / shortSide / semiX;
    // At small image sizes a relative thickness would fall below a pixel; keep skull and ribbon visibly present.
    skullThickness = Math.max(Lesion.uniform(rng, 0.055, 0.09), 2.2 * pixel);
    skullBase = Lesion.uniform(rng, 950, 1250);
    ribbon = Math.max(Lesion.uniform(rng, 0.09, 0.14), 1.8 * pixel);
    gyri = 9 + rng.nextInt(7);
    gyralPhase = Lesion.uniform(rng, -Math.PI, Math.PI);
    ventricle = new double[] {Lesion.uniform(rng, 0.08, 0.13), Lesion.uniform(rng, -0.12, 0.0),
        Math.max(Lesion.uniform(rng, 0.04, 0.085), 1.2 * pixel), Lesion.uniform(rng, 0.16, 0.28),
        Lesion.uniform(rng, 0.08, 0.25), Lesion.uniform(rng, 0.88, 1.12)};
    nucleus = new double[] {Lesion.uniform(rng, 0.24, 0.30), Lesion.uniform(rng, -0.02, 0.10),
        Lesion.uniform(rng, 0.06, 0.09), Lesion.uniform(rng, 0.10, 0.14)};
    int sulci = 4 + rng.nextInt(5);
    sulcusAngle = new double[sulci + 2];
    sulcusDepth = new double[sulci + 2];
    // The interhemispheric fissure, front and back, is drawn as two deep midline sulci.
    sulcusAngle[0] = -Math.PI / 2;
    sulcusDepth[0] = Lesion.uniform(rng, 0.25, 0.40);
    sulcusAngle[1] = Math.PI / 2;
    sulcusDepth[1] = Lesion.uniform(rng, 0.20, 0.35);
    for (int i = 2; i < sulci + 2; i++) {
      sulcusAngle[i] = Lesion.uniform(rng, -Math.PI, Math.PI);
      sulcusDepth[i] = ribbon * Lesion.uniform(rng, 1.2, 2.4);
    }
    sulcusHalfWidth = Math.max(0.012, 0.6 * pixel);
    grey = Lesion.uniform(rng, 37, 43);
    white = Lesion.uniform(rng, 27, 30);
    csf = Lesion.uniform(rng, 4, 11);
  }

  /** Fills {@code p} for the image point {@code (x, y)}. */
  void locate(double x, double y, HeadPoint p) {
    double dx = x - centerX;
    double dy = y - centerY;
    p.ex = (cos * dx + sin * dy) / semiX;
    p.ey = (-sin * dx + cos * dy) / semiY;
    p.rho = Math.hypot(p.ex, p.ey);
    p.phi = Math.atan2(p.ey, p.ex);
    p.r = p.rho / innerRadius(p.phi);
  }

  /** Inner skull surface at {@code phi}, in units of the outer surface; the skull is thicker front and back. */
  private double innerRadius(double phi) {
    return 1 - skullThickness * (1 - SKULL_AP_THICKENING * Math.cos(2 * phi));
  }

  /** The normal tissue at {@code p}. */
  Tissue tissueAt(HeadPoint p) {
    if (p.rho > 1) {
      return Tissue.AIR;
    }
    if (p.r > 1) {
      return Tissue.SKULL;
    }
    if (inVentricle(p) || inSulcus(p)) {
      return Tissue.CSF;
    }
    if (p.r > 1 - ribbon * (1 + GYRAL_DEPTH * Math.sin(gyri * p.phi + gyralPhase)) || inNucleus(p)) {
      return Tissue.GREY_MATTER;
    }
    return Tissue.WHITE_MATTER;
  }

  /** Noise-free density of normal tissue {@code t} at {@code p}, before the smooth intensity variation. */
  double hu(Tissue t, HeadPoint p) {
    switch (t) {
      case AIR:
        return -1000;
      case SKULL:
        // Dense inner and outer tables, less dense diploe between them.
        double inner = innerRadius(p.phi);
        double s = (1 - p.rho) / (1 - inner);
        return skullBase - 100 + 200 * Math.abs(2 * Math.min(1, Math.max(0, s)) - 1);
      case GREY_MATTER:
        return grey;
      case WHITE_MATTER:
        return white;
      case CSF:
        return csf;
      default:
        throw new AssertionError(t);
    }
  }

  private boolean inVentricle(HeadPoint p) {
    for (int side = -1; side <= 1; side += 2) {
      double scale = side > 0 ? ventricle[5] : 1;
      double tilt = ventricle[4];
      double ux = p.ex - side * ventricle[0];
      double uy = p.ey - ventricle[1];
      // Long axis points up and outward, so the frontal horns diverge as they do on axial CT.
      double along = ux * side * Math.sin(tilt) - uy * Math.cos(tilt);
      double across = ux * Math.cos(tilt) + uy * side * Math.sin(tilt);
      double a = along / (ventricle[3] * scale);
      double b = across / (ventricle[2] * scale);
      if (a * a + b * b <= 1) {
        return true;
      }
    }
    return false;
  }

  private boolean inNucleus(HeadPoint p) {
    double ux = Math.abs(p.ex) - nucleus[0];
    double uy = p.ey - nucleus[1];
    double a = ux / nucleus[2];
    double b = uy / nucleus[3];
    return a * a + b * b <= 1;
  }

  private boolean inSulcus(HeadPoint p) {
    for (int i = 0; i < sulcusAngle.length; i++) {
      if (p.r > 1 - sulcusDepth[i] && Math.abs(p.angleFrom(sulcusAngle[i])) * p.rho <= sulcusHalfWidth) {
        return true;
      }
    }
    return false;
  }
}
