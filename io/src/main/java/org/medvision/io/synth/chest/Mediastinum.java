package org.medvision.io.synth.chest;

import java.util.SplittableRandom;

/**
 * What lies between and behind the lungs, in body-frame millimetres (see {@link BodyWall}): the spine (vertebral
 * bodies with discs, canal, laminae and spinous processes), the descending aorta beside it, the heart with its
 * pericardial fat low and to the left, the trachea above the carina and the main bronchi, anterior mediastinal fat,
 * and the band of soft tissue in the midline that keeps the two lungs apart.
 *
 * <p>Each structure also answers how far a point is from it ({@link #clearance}), which {@link Lungs} uses to keep the
 * lungs off it.
 */
final class Mediastinum {
  /** What a point inside the cavity belongs to, when not to a lung. */
  enum Part {
    /** Vertebral bone, laminae, spinous process. */
    BONE,
    /** Fat around the heart and in the anterior mediastinum. */
    FAT,
    /** The lumen of the trachea or a main bronchus. */
    AIRWAY,
    /** Anything else: heart, aorta, discs, canal, muscle, abdomen. */
    SOFT_TISSUE
  }

  private final BodyWall wall;
  private final double lungHeight;
  private final double midline;
  private final double bandHalfWidth;
  private final double vertebraRadius;
  private final double vertebraInset;
  private final double discPitch;
  private final double discThickness;
  private final double discPhase;
  private final double cortex;
  private final double aortaRadius;
  private final double archZ;
  private final double[] heartCentre;
  private final double[] heartAxes;
  private final double heartCos;
  private final double heartSin;
  private final double pericardialFat;
  private final double tracheaRadius;
  private final double carinaZ;
  private final double[][] hila = new double[2][];
  private final double[] bronchusRadius = new double[2];

  /** Draws the mediastinum of a chest with the given wall and lung height. */
  Mediastinum(SplittableRandom rng, BodyWall wall, double lungHeight) {
    this.wall = wall;
    this.lungHeight = lungHeight;
    midline = Draw.uniform(rng, 2, 9);
    bandHalfWidth = Draw.uniform(rng, 15, 22);
    vertebraRadius = Draw.uniform(rng, 15, 20);
    vertebraInset = Draw.uniform(rng, 0.2, 0.5);
    discPitch = Draw.uniform(rng, 24, 30);
    discThickness = Draw.uniform(rng, 4, 7);
    discPhase = Draw.uniform(rng, 0, discPitch);
    cortex = Draw.uniform(rng, 2, 3.5);
    aortaRadius = Draw.uniform(rng, 10, 14);
    archZ = lungHeight * Draw.uniform(rng, 0.72, 0.82);
    double a = wall.cavityHalfWidth(0.25 * lungHeight);
    double b = wall.cavityHalfDepth(0.25 * lungHeight);
    double heartScale = Draw.uniform(rng, 0.88, 1.12);
    heartCentre = new double[] {midline + a * Draw.uniform(rng, 0.12, 0.22), -b * Draw.uniform(rng, 0.15, 0.3),
        lungHeight * Draw.uniform(rng, 0.38, 0.44)};
    heartAxes = new double[] {a * 0.45 * heartScale, b * 0.5 * heartScale, lungHeight * 0.19 * heartScale};
    double angle = Math.toRadians(Draw.uniform(rng, 20, 40));
    heartCos = Math.cos(angle);
    heartSin = Math.sin(angle);
    pericardialFat = Draw.uniform(rng, 2.5, 6);
    tracheaRadius = Draw.uniform(rng, 7.5, 10);
    carinaZ = lungHeight * Draw.uniform(rng, 0.58, 0.66);
    for (int side = 0; side < 2; side++) {
      double sign = side == 0 ? -1 : 1;
      hila[side] = new double[] {midline + sign * (bandHalfWidth + Draw.uniform(rng, 10, 16)),
          -b * Draw.uniform(rng, -0.05, 0.12), carinaZ - Draw.uniform(rng, 15, 30)};
      bronchusRadius[side] = Draw.uniform(rng, 5, 7);
    }
  }

  /** The x of the midline band's centre, mm (a little left of the body axis). */
  double midline() {
    return midline;
  }

  /** The hilum of the right ({@code side} 0) or left lung, where its vessels and bronchi enter. */
  double[] hilum(int side) {
    return hila[side].clone();
  }

  private double vertebraY(double z) {
    return wall.cavityHalfDepth(z) - vertebraInset * vertebraRadius;
  }

  private double tracheaY(double z) {
    return vertebraY(z) - vertebraRadius - tracheaRadius - 8;
  }

  /** Normalised radius of the heart ellipsoid (rotated in-plane so its long axis points left and forward). */
  private double heartRadius(double x, double y, double z) {
    double dx = x - heartCentre[0];
    double dy = y - heartCentre[1];
    double u = (heartCos * dx - heartSin * dy) / heartAxes[0];
    double v = (heartSin * dx + heartCos * dy) / heartAxes[1];
    double w = (z - heartCentre[2]) / heartAxes[2];
    return Math.sqrt(u * u + v * v + w * w);
  }

  /** Distance from {@code p} to the segment {@code a}-{@code b}, all in mm. */
  static double segmentDistance(double px, double py, double pz, double[] a, double[] b) {
    double ex = b[0] - a[0];
    double ey = b[1] - a[1];
    double ez = b[2] - a[2];
    double t = ((px - a[0]) * ex + (py - a[1]) * ey + (pz - a[2]) * ez) / (ex * ex + ey * ey + ez * ez);
    t = Math.max(0, Math.min(1, t));
    double dx = px - a[0] - t * ex;
    double dy = py - a[1] - t * ey;
    double dz = pz - a[2] - t * ez;
    return Math.sqrt(dx * dx + dy * dy + dz * dz);
  }

  private double bronchusDistance(int side, double x, double y, double z) {
    double[] carina = {midline, tracheaY(carinaZ), carinaZ};
    return segmentDistance(x, y, z, carina, hila[side]) - bronchusRadius[side];
  }

  /**
   * How far (mm) {@code (x, y, z)} lies from the nearest mediastinal structure a lung must not touch, less the gap
   * the lung keeps from it; positive where a lung may be.
   */
  double clearance(double x, double y, double z) {
    double dx = x - midline;
    double band = bandHalfWidth * (0.55 + 0.45 * Draw.smoothstep(-0.75, 0.1, y / wall.cavityHalfDepth(z)));
    double d = Math.abs(dx) - band;
    double vy = y - vertebraY(z);
    d = Math.min(d, Math.sqrt(x * x + vy * vy) - vertebraRadius - 7);
    double minAxis = Math.min(heartAxes[0], Math.min(heartAxes[1], heartAxes[2]));
    d = Math.min(d, (heartRadius(x, y, z) - 1) * minAxis - pericardialFat - 2);
    if (z < archZ) {
      double ay = y - (vertebraY(z) - 0.4 * vertebraRadius);
      double ax = x - (vertebraRadius + aortaRadius + 4);
      d = Math.min(d, Math.sqrt(ax * ax + ay * ay) - aortaRadius - 3);
    }
    if (z > carinaZ - 5) {
      double ty = y - tracheaY(z);
      d = Math.min(d, Math.sqrt(dx * dx + ty * ty) - tracheaRadius - 4);
    }
    return d;
  }

  /**
   * The spine at {@code (x, y, z)}, or null where there is none: the vertebral body (bone, or soft tissue in a disc)
   * inside the cavity, and behind it, in the back muscles, the canal (soft tissue), laminae and spinous process.
   */
  Part spine(double x, double y, double z) {
    double vy = y - vertebraY(z);
    if (x * x + vy * vy <= vertebraRadius * vertebraRadius) {
      double zeta = z - discPhase;
      boolean disc = zeta - discPitch * Math.floor(zeta / discPitch) < discThickness;
      return disc ? Part.SOFT_TISSUE : Part.BONE;
    }
    double canalRadius = 0.45 * vertebraRadius;
    double cy = y - (vertebraY(z) + vertebraRadius + canalRadius + 1.5);
    double cr = Math.sqrt(x * x + cy * cy);
    if (cr <= canalRadius) {
      return Part.SOFT_TISSUE;
    }
    boolean lamina = cr <= canalRadius + 5 && cy > -0.3 * canalRadius;
    boolean spinous = Math.abs(x) < 4 && cy > 0 && cy < canalRadius + 30;
    return lamina || spinous ? Part.BONE : null;
  }

  /** What {@code (x, y, z)}, inside the cavity but neither spine nor lung, is. */
  Part part(double x, double y, double z) {
    double dx = x - midline;
    if (z > carinaZ) {
      double ty = y - tracheaY(z);
      if (dx * dx + ty * ty <= tracheaRadius * tracheaRadius) {
        return Part.AIRWAY;
      }
    } else if (z > carinaZ - 60 && Math.min(bronchusDistance(0, x, y, z), bronchusDistance(1, x, y, z)) <= 0) {
      return Part.AIRWAY;
    }
    double h = heartRadius(x, y, z);
    if (h <= 1) {
      return Part.SOFT_TISSUE;
    }
    double minAxis = Math.min(heartAxes[0], Math.min(heartAxes[1], heartAxes[2]));
    if ((h - 1) * minAxis <= pericardialFat) {
      return Part.FAT;
    }
    // Anterior mediastinal (thymic) fat: an ellipsoid in front of the great vessels.
    double fy = (y + 0.62 * wall.cavityHalfDepth(z)) / (0.25 * wall.cavityHalfDepth(z));
    double fx = dx / (0.9 * bandHalfWidth);
    double fz = (z - 0.72 * lungHeight) / (0.16 * lungHeight);
    return fx * fx + fy * fy + fz * fz <= 1 ? Part.FAT : Part.SOFT_TISSUE;
  }

  /**
   * Where a bone point lies in a vertebral body: 1 in its cancellous core, 2 in its cortical rim, 0 outside it (a
   * lamina or spinous process).
   */
  int vertebralBone(double x, double y, double z) {
    double vy = y - vertebraY(z);
    double r = Math.sqrt(x * x + vy * vy);
    if (r > vertebraRadius) {
      return 0;
    }
    return r > vertebraRadius - cortex ? 2 : 1;
  }
}
