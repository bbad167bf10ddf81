package org.medvision.io.synth.cxr;

import java.util.SplittableRandom;

/**
 * Opacities of the lung itself, told apart by their pattern: consolidation (one dense lobar region with a sharp
 * fissure edge and air bronchograms), pneumonia (several fluffy patches), infiltration (streaks and haze) and edema
 * (bilateral haze around the hila with Kerley B lines).
 */
final class Airspace {
  private Airspace() {}

  /** A point in the lung of {@code side} at height {@code zone} (0 apex .. 1 base), jittered by up to 1.5 cm. */
  static double[] zonePoint(Thorax t, int side, double zone, SplittableRandom rng) {
    double y = t.apexY + zone * t.lungHeight + Sampling.symmetric(rng, 1.5);
    double inner = t.mediastinumHalfWidth(side, y);
    double outer = t.ribHalfWidth(y);
    double x = t.midline() + Thorax.sign(side) * (inner + Sampling.uniform(rng, 0.35, 0.7) * (outer - inner));
    return new double[] {x, y};
  }

  /**
   * A lobe's worth of air replaced almost entirely: an irregular region in the upper or lower half of one lung, cut
   * sharply by a horizontal or oblique fissure, with a few dark branching bronchi inside it.
   */
  static void consolidation(Scene scene, SplittableRandom rng) {
    Thorax t = scene.thorax;
    int side = rng.nextInt(2);
    boolean upper = Sampling.chance(rng, 0.35);
    double[] c = zonePoint(t, side, upper ? 0.3 : 0.72, rng);
    double rx = Sampling.uniform(rng, 3.5, 5.5);
    double ry = Sampling.uniform(rng, 3.5, 5.5);
    double density = Sampling.uniform(rng, 0.8, 0.92);
    double texture = Sampling.uniform(rng, 0, 2 * Math.PI);
    // The fissure: upper lobes end below at a horizontal line, lower lobes above at an oblique one.
    double fissureY = c[1] + (upper ? 1 : -1) * Sampling.uniform(rng, 1.0, 2.5);
    double slope = upper ? 0 : Thorax.sign(side) * Sampling.uniform(rng, -0.35, -0.15);
    double phase = Sampling.uniform(rng, 0, 2 * Math.PI);
    Film bronchi = new Film(scene.size, t.fov);
    for (int b = 0; b < 4; b++) {
      double angle = Sampling.uniform(rng, 0, 2 * Math.PI);
      double len = Sampling.uniform(rng, 2.0, 3.5);
      double x0 = c[0] + Sampling.symmetric(rng, 1.2);
      double y0 = c[1] + Sampling.symmetric(rng, 1.2);
      bronchi.rod(x0, y0, x0 + len * Math.cos(angle), y0 + len * Math.sin(angle), 0.22, 1.0);
    }
    int[] box = scene.tissue.box(c[0] - rx - 1, c[1] - ry - 1, c[0] + rx + 1, c[1] + ry + 1);
    for (int j = box[1]; j < box[3]; j++) {
      double y = scene.y(j);
      for (int i = box[0]; i < box[2]; i++) {
        int k = j * scene.size + i;
        double x = scene.x(i);
        if (t.sideOf(x) != side || scene.lung[k] <= 0) {
          continue;
        }
        double u = (x - c[0]) / rx;
        double v = (y - c[1]) / ry;
        double wobble = 1 + 0.15 * Math.sin(3 * Math.atan2(v, u) + phase);
        double q = Math.sqrt(u * u + v * v) / wobble;
        double body = 1 - Sampling.smoothstep(0.75, 1.05, q);
        double edge = fissureY + slope * (x - c[0]) - y;
        double cut = upper ? Sampling.smoothstep(-0.12, 0.12, edge) : Sampling.smoothstep(-0.12, 0.12, -edge);
        // Uneven filling: patches of the lobe are a little less dense than others.
        double mottle = 0.88 + 0.12 * Math.sin(1.7 * x + texture) * Math.sin(1.3 * y - texture);
        double f = density * mottle * body * cut;
        scene.fill(k, f);
        scene.extraAir.add(i, j, f * bronchi.get(i, j) * 1.4);
      }
    }
  }

  /** Four to nine fluffy patches in one or both lower or middle zones, merging where they overlap. */
  static void pneumonia(Scene scene, SplittableRandom rng) {
    Thorax t = scene.thorax;
    int[] sides = Pleura.sides(rng, 0.3);
    for (int side : sides) {
      double[] c = zonePoint(t, side, Sampling.uniform(rng, 0.5, 0.85), rng);
      int patches = 4 + rng.nextInt(sides.length == 2 ? 3 : 6);
      for (int p = 0; p < patches; p++) {
        double x = c[0] + Sampling.symmetric(rng, 3.0);
        double y = c[1] + Sampling.symmetric(rng, 2.5);
        double sx = Sampling.uniform(rng, 0.9, 1.7);
        double sy = Sampling.uniform(rng, 0.9, 1.7);
        double amount = Sampling.uniform(rng, 0.5, 0.75);
        blob(scene, side, x, y, sx, sy, amount);
      }
    }
  }

  /**
   * A hazy zone crossed by many short streaks and small dots (reticulonodular markings), in the upper or middle zone
   * of one or both lungs.
   */
  static void infiltration(Scene scene, SplittableRandom rng) {
    Thorax t = scene.thorax;
    for (int side : Pleura.sides(rng, 0.35)) {
      double[] c = zonePoint(t, side, Sampling.uniform(rng, 0.2, 0.6), rng);
      double sx = Sampling.uniform(rng, 2.5, 3.5);
      double sy = Sampling.uniform(rng, 3.0, 4.5);
      blob(scene, side, c[0], c[1], sx, sy, Sampling.uniform(rng, 0.22, 0.32));
      int streaks = 30 + rng.nextInt(20);
      for (int s = 0; s < streaks; s++) {
        double x = c[0] + Sampling.normal(rng, 0, sx * 0.8);
        double y = c[1] + Sampling.normal(rng, 0, sy * 0.8);
        double angle = Sampling.uniform(rng, 0, Math.PI);
        double len = Sampling.uniform(rng, 0.8, 2.2);
        double dx = Math.cos(angle) * len / 2;
        double dy = Math.sin(angle) * len / 2;
        scene.markings.rod(x - dx, y - dy, x + dx, y + dy, Sampling.uniform(rng, 0.14, 0.22), 3.0);
        if (Sampling.chance(rng, 0.4)) {
          scene.markings.sphere(x + dx, y + dy, Sampling.uniform(rng, 0.2, 0.35), 3.0);
        }
      }
    }
  }

  /**
   * Bilateral, roughly symmetric haze spreading from both hila and fading toward the periphery, with short horizontal
   * Kerley B lines at the lateral bases.
   */
  static void edema(Scene scene, SplittableRandom rng) {
    Thorax t = scene.thorax;
    double amount = Sampling.uniform(rng, 0.45, 0.65);
    double sx = Sampling.uniform(rng, 3.5, 5.0);
    double sy = Sampling.uniform(rng, 4.5, 6.0);
    for (int side = 0; side < 2; side++) {
      double[] h = t.hilum(side);
      blob(scene, side, h[0] + Thorax.sign(side) * 1.0, h[1] + 1.0, sx, sy, amount * Sampling.uniform(rng, 0.9, 1.1));
      int lines = 6 + rng.nextInt(5);
      for (int l = 0; l < lines; l++) {
        double y = t.costophrenicY(side) - Sampling.uniform(rng, 1.0, 6.0);
        double wall = t.lateralX(side, y);
        double len = Sampling.uniform(rng, 1.0, 2.0);
        scene.markings.rod(wall, y, wall - Thorax.sign(side) * len, y, 0.09, 4.0);
      }
    }
  }

  /** A Gaussian patch of air replaced, {@code amount} at its centre, kept to the lung of {@code side}. */
  static void blob(Scene scene, int side, double cx, double cy, double sx, double sy, double amount) {
    Thorax t = scene.thorax;
    int[] box = scene.tissue.box(cx - 3 * sx, cy - 3 * sy, cx + 3 * sx, cy + 3 * sy);
    for (int j = box[1]; j < box[3]; j++) {
      double v = (scene.y(j) - cy) / sy;
      for (int i = box[0]; i < box[2]; i++) {
        int k = j * scene.size + i;
        if (scene.lung[k] <= 0 || t.sideOf(scene.x(i)) != side) {
          continue;
        }
        double u = (scene.x(i) - cx) / sx;
        scene.fill(k, amount * Math.exp(-0.5 * (u * u + v * v)) * scene.lung[k]);
      }
    }
  }
}
