package org.medvision.io.synth.cxr;

import java.util.SplittableRandom;

/**
 * Findings that change a lung's volume as well as its density: atelectasis (collapse with volume loss), emphysema
 * (hyperinflation) and fibrosis (a reticular network with smaller lungs).
 */
final class Parenchyma {
  private Parenchyma() {}

  /**
   * Volume loss on one side: its hemidiaphragm 1.8 to 3.5 cm higher and the mediastinum pulled 0.5 to 1.3 cm toward
   * it. The side is the generator's first draw, here and in {@link #atelectasis}, which gets a generator in the same
   * state, so both find the same side.
   */
  static void atelectasisVolumeLoss(Thorax.Changes c, SplittableRandom rng) {
    int side = rng.nextInt(2);
    c.domeShift[side] -= Sampling.uniform(rng, 1.8, 3.5);
    c.mediastinalShift += Thorax.sign(side) * Sampling.uniform(rng, 0.5, 1.3);
  }

  /**
   * The collapsed lung on the side of the volume loss: one to three plate-like bands above the hemidiaphragm, or a
   * triangular basal wedge beside the heart.
   */
  static void atelectasis(Scene scene, SplittableRandom rng) {
    Thorax t = scene.thorax;
    int side = rng.nextInt(2);
    int sg = Thorax.sign(side);
    if (Sampling.chance(rng, 0.6)) {
      int bands = 1 + rng.nextInt(2);
      for (int b = 0; b < bands; b++) {
        double y = t.costophrenicY(side) - Sampling.uniform(rng, 2.0, 6.0);
        double inner = t.midline() + sg * (t.mediastinumHalfWidth(side, y) + Sampling.uniform(rng, 0.5, 2.5));
        double outer = t.lateralX(side, y) - sg * Sampling.uniform(rng, 0.5, 2.0);
        double tilt = Sampling.symmetric(rng, 1.2);
        band(scene, side, inner, y - tilt, outer, y + tilt, Sampling.uniform(rng, 0.4, 0.7));
      }
    } else {
      double[] h = t.hilum(side);
      double bottom = t.dome(side, t.midline() + sg * 0.35 * t.r);
      wedge(scene, side, h[0], h[1] + 1, t.midline() + sg * (t.mediastinum + 0.3), bottom,
          t.midline() + sg * Sampling.uniform(rng, 0.5, 0.7) * t.r, bottom, Sampling.uniform(rng, 0.7, 0.85));
    }
  }

  private static void band(Scene scene, int side, double x0, double y0, double x1, double y1, double radius) {
    int[] box = scene.tissue.box(Math.min(x0, x1) - 1, Math.min(y0, y1) - 1, Math.max(x0, x1) + 1,
        Math.max(y0, y1) + 1);
    for (int j = box[1]; j < box[3]; j++) {
      for (int i = box[0]; i < box[2]; i++) {
        int k = j * scene.size + i;
        if (scene.lung[k] <= 0 || scene.thorax.sideOf(scene.x(i)) != side) {
          continue;
        }
        double d = Math.sqrt(Film.distance2(scene.x(i), scene.y(j), x0, y0, x1, y1));
        scene.fill(k, 0.7 * (1 - Sampling.smoothstep(radius - 0.35, radius + 0.35, d)));
      }
    }
  }

  private static void wedge(Scene scene, int side, double ax, double ay, double bx, double by, double cx, double cy,
      double density) {
    int[] box = scene.tissue.box(Math.min(ax, Math.min(bx, cx)), Math.min(ay, Math.min(by, cy)),
        Math.max(ax, Math.max(bx, cx)), Math.max(ay, Math.max(by, cy)) + 1);
    for (int j = box[1]; j < box[3]; j++) {
      double y = scene.y(j);
      for (int i = box[0]; i < box[2]; i++) {
        int k = j * scene.size + i;
        double x = scene.x(i);
        if (scene.lung[k] <= 0 || scene.thorax.sideOf(x) != side) {
          continue;
        }
        double inside = Math.min(Math.min(edge(x, y, ax, ay, bx, by, cx, cy), edge(x, y, bx, by, cx, cy, ax, ay)),
            edge(x, y, cx, cy, ax, ay, bx, by));
        scene.fill(k, density * Sampling.smoothstep(-0.2, 0.3, inside));
      }
    }
  }

  /** Signed distance of {@code (x, y)} from the line through a and b, positive on c's side. */
  private static double edge(double x, double y, double ax, double ay, double bx, double by, double cx, double cy) {
    double nx = -(by - ay);
    double ny = bx - ax;
    double len = Math.hypot(nx, ny);
    double d = ((x - ax) * nx + (y - ay) * ny) / len;
    double c = (cx - ax) * nx + (cy - ay) * ny;
    return c >= 0 ? d : -d;
  }

  /** Hyperinflation: lower, flat domes, more air, a wider chest, a narrower heart and thin vessels. */
  static void hyperinflation(Thorax.Changes c, SplittableRandom rng) {
    double lower = Sampling.uniform(rng, 2.0, 3.5);
    c.domeShift[0] += lower;
    c.domeShift[1] += lower;
    c.flatDomes = true;
    c.airScale *= Sampling.uniform(rng, 1.2, 1.32);
    c.barrel += Sampling.uniform(rng, 0.4, 1.0);
    c.heartScale *= 0.88;
    c.vesselScale *= 0.6;
  }

  /** Sometimes one or two bullae in the upper zones: round lucencies with a hairline wall. */
  static void bullae(Scene scene, SplittableRandom rng) {
    if (!Sampling.chance(rng, 0.5)) {
      return;
    }
    Thorax t = scene.thorax;
    int count = 1 + rng.nextInt(2);
    for (int b = 0; b < count; b++) {
      int side = rng.nextInt(2);
      double r = Sampling.uniform(rng, 1.5, 2.8);
      double[] p = Airspace.zonePoint(t, side, Sampling.uniform(rng, 0.15, 0.35), rng);
      scene.extraAir.sphere(p[0], p[1], r, 0.5);
      scene.tissue.sphere(p[0], p[1], r, 0.3);
      scene.tissue.sphere(p[0], p[1], r - 0.12, -0.3);
    }
  }

  /** Smaller lungs: both hemidiaphragms 1 to 2.2 cm higher and slightly less air. */
  static void fibroticVolumeLoss(Thorax.Changes c, SplittableRandom rng) {
    double higher = Sampling.uniform(rng, 1.0, 2.2);
    c.domeShift[0] -= higher;
    c.domeShift[1] -= higher;
    c.airScale *= 0.93;
  }

  /**
   * A coarse reticular network in both lungs, densest at the periphery and the bases: a jittered grid of points
   * 1.3 to 1.9 cm apart joined to their neighbours by thin dense lines, over a faint haze.
   */
  static void fibrosis(Scene scene, SplittableRandom rng) {
    Thorax t = scene.thorax;
    double spacing = Sampling.uniform(rng, 1.3, 1.9);
    int cols = (int) Math.ceil(t.fov / spacing) + 1;
    int rows = cols;
    double[][] px = new double[rows][cols];
    double[][] py = new double[rows][cols];
    boolean[][] on = new boolean[rows][cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        px[r][c] = c * spacing + Sampling.symmetric(rng, 0.35 * spacing);
        py[r][c] = r * spacing + Sampling.symmetric(rng, 0.35 * spacing);
        on[r][c] = Sampling.chance(rng, weight(t, px[r][c], py[r][c]));
      }
    }
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        if (!on[r][c]) {
          continue;
        }
        if (c + 1 < cols && on[r][c + 1]) {
          scene.markings.rod(px[r][c], py[r][c], px[r][c + 1], py[r][c + 1], 0.15, 3.2);
        }
        if (r + 1 < rows && on[r + 1][c]) {
          scene.markings.rod(px[r][c], py[r][c], px[r + 1][c], py[r + 1][c], 0.15, 3.2);
        }
      }
    }
    for (int side = 0; side < 2; side++) {
      double y = t.costophrenicY(side) - 0.25 * t.lungHeight;
      double x = t.lateralX(side, y) - Thorax.sign(side) * 2.5;
      Airspace.blob(scene, side, x, y, 3.0, 4.5, 0.15);
    }
  }

  /** How likely a network point at {@code (x, y)} is: high near the chest wall and the bases, zero outside lung. */
  private static double weight(Thorax t, double x, double y) {
    if (t.lungDistance(x, y) < 0) {
      return 0;
    }
    double fromWall = t.ribHalfWidth(y) - Math.abs(x - t.cx);
    double peripheral = 1 - Sampling.smoothstep(2, 7, fromWall);
    double basal = Sampling.smoothstep(0.3, 0.9, (y - t.apexY) / t.lungHeight);
    return Sampling.clamp(0.15 + 0.85 * Math.max(peripheral * 0.8, basal) * (0.4 + 0.6 * peripheral), 0, 0.95);
  }
}
