package org.medvision.io.synth.chest;

import java.util.SplittableRandom;

/**
 * The two lungs as smooth irregular solids in body-frame millimetres (see {@link BodyWall}), and their lobes.
 *
 * <p>A point is lung where its depth is positive: the least of its distance inside the chest wall, its clearance from
 * the mediastinum ({@link Mediastinum#clearance}), its height above the diaphragm and its depth below the apex,
 * perturbed by a smooth field a few millimetres deep so the surface is irregular. The diaphragm is a dome per side,
 * highest near the middle of the lung and lowest in the posterior costophrenic recess, the right one higher (the
 * liver); apices are rounded. The heart lies left of the midline, so the left lung is the smaller one.
 *
 * <p>Lobes are cut by fissures that are planes with a wavy perturbation: on each side an oblique fissure running from
 * high at the back to low at the front (below and behind it the lower lobe), and on the right a near-horizontal
 * fissure that parts the upper from the middle lobe.
 */
final class Lungs {
  /** Index of the right lung in per-side arrays. */
  static final int RIGHT = 0;
  /** Index of the left lung in per-side arrays. */
  static final int LEFT = 1;

  /** The five lobes. */
  enum Lobe {
    /** Right upper lobe. */
    RIGHT_UPPER(RIGHT),
    /** Right middle lobe. */
    RIGHT_MIDDLE(RIGHT),
    /** Right lower lobe. */
    RIGHT_LOWER(RIGHT),
    /** Left upper lobe with the lingula. */
    LEFT_UPPER(LEFT),
    /** Left lower lobe. */
    LEFT_LOWER(LEFT);

    private final int side;

    Lobe(int side) {
      this.side = side;
    }

    /** {@link #RIGHT} or {@link #LEFT}. */
    int side() {
      return side;
    }
  }

  private static final double PLEURAL_GAP = 2;

  private final BodyWall wall;
  private final Mediastinum mediastinum;
  private final double height;
  private final double[] baseZ = new double[2];
  private final double[] domeHeight = new double[2];
  private final double[] domeX = new double[2];
  private final double[] recess = new double[2];
  private final double[] apexX = new double[2];
  private final double[] apexDrop = new double[2];
  private final SmoothField[] surface = new SmoothField[2];
  private final double[] surfaceAmplitude = new double[2];
  private final double[] obliqueZ = new double[2];
  private final double[] obliqueSlope = new double[2];
  private final double horizontalZ;
  private final SmoothField fissureWave;

  /** Draws lungs {@code height} mm tall inside {@code wall}, around {@code mediastinum}. */
  Lungs(SplittableRandom rng, BodyWall wall, Mediastinum mediastinum, double height) {
    this.wall = wall;
    this.mediastinum = mediastinum;
    this.height = height;
    double a = wall.cavityHalfWidth(0.5 * height);
    double b = wall.cavityHalfDepth(0.5 * height);
    double rightRaise = Draw.uniform(rng, 8, 20);
    for (int side = 0; side < 2; side++) {
      double sign = side == RIGHT ? -1 : 1;
      baseZ[side] = Draw.uniform(rng, 12, 20) + (side == RIGHT ? rightRaise : 0);
      domeHeight[side] = Draw.uniform(rng, 35, 55);
      domeX[side] = sign * a * Draw.uniform(rng, 0.4, 0.55);
      recess[side] = Draw.uniform(rng, 15, 28);
      apexX[side] = sign * a * Draw.uniform(rng, 0.4, 0.5);
      apexDrop[side] = Draw.uniform(rng, 60, 95);
      surface[side] = new SmoothField(rng, 4, 40, 120);
      surfaceAmplitude[side] = Draw.uniform(rng, 3, 6);
      obliqueZ[side] = height * Draw.uniform(rng, 0.38, 0.48);
      obliqueSlope[side] = 0.55 * height / (1.5 * b) * Draw.uniform(rng, 0.85, 1.15);
    }
    horizontalZ = height * Draw.uniform(rng, 0.5, 0.6);
    fissureWave = new SmoothField(rng, 3, 60, 160);
  }

  /** Lung height in mm: the apex is at this z, the deepest recess near 0. */
  double height() {
    return height;
  }

  /** {@link #RIGHT} or {@link #LEFT}: which side of the mediastinum {@code x} is on. */
  int side(double x) {
    return x < mediastinum.midline() ? RIGHT : LEFT;
  }

  /**
   * Depth of {@code (x, y, z)} inside its lung in mm: positive inside, the surface at 0. Cheap to call anywhere; far
   * outside the chest it is simply negative.
   */
  double depth(double x, double y, double z) {
    if (z < -40 || z > height + 10) {
      return -1;
    }
    double d = wall.cavityDepth(x, y, z) - PLEURAL_GAP;
    if (d <= -10) {
      return d;
    }
    int side = side(x);
    d = Math.min(d, mediastinum.clearance(x, y, z));
    d = Math.min(d, z - diaphragm(side, x, y, z));
    d = Math.min(d, apex(side, x, y, z));
    return d - surfaceAmplitude[side] * surface[side].at(x, y, z);
  }

  /**
   * Depth below the costal pleura alone (the chest wall, not the mediastinum or the diaphragm), with the same surface
   * perturbation as {@link #depth}: small for the subpleural rim where COVID-19 opacities start.
   */
  double costalDepth(double x, double y, double z) {
    int side = side(x);
    return wall.cavityDepth(x, y, z) - PLEURAL_GAP - surfaceAmplitude[side] * surface[side].at(x, y, z);
  }

  private double diaphragm(int side, double x, double y, double z) {
    double a = wall.cavityHalfWidth(z);
    double b = wall.cavityHalfDepth(z);
    double u = (x - domeX[side]) / (0.6 * a);
    double v = (y + 0.1 * b) / (0.75 * b);
    double dome = Math.max(0, 1 - u * u - v * v);
    return baseZ[side] + domeHeight[side] * dome - recess[side] * Draw.smoothstep(0, 1, y / b);
  }

  private double apex(int side, double x, double y, double z) {
    double a = wall.cavityHalfWidth(z);
    double b = wall.cavityHalfDepth(z);
    double u = (x - apexX[side]) / (0.55 * a);
    double v = (y - 0.15 * b) / (0.7 * b);
    return height - z - apexDrop[side] * (u * u + v * v);
  }

  /** The lobe {@code (x, y, z)} would belong to, were it lung. */
  Lobe lobe(double x, double y, double z) {
    int side = side(x);
    double wave = 8 * fissureWave.at(x, y, z);
    boolean lower = z < obliqueZ[side] + obliqueSlope[side] * y + wave;
    if (side == LEFT) {
      return lower ? Lobe.LEFT_LOWER : Lobe.LEFT_UPPER;
    }
    if (lower) {
      return Lobe.RIGHT_LOWER;
    }
    return z < horizontalZ + 0.5 * wave ? Lobe.RIGHT_MIDDLE : Lobe.RIGHT_UPPER;
  }
}
