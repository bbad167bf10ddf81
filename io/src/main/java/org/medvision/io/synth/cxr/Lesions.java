package org.medvision.io.synth.cxr;

import java.util.SplittableRandom;

/** Focal findings: nodules, masses and a hiatal hernia. */
final class Lesions {
  /** Nodules are at most this wide, cm; masses at least. */
  static final double THREE_CM = 3.0;

  private static final int TRIES = 200;

  private Lesions() {}

  /**
   * A point well inside a lung, at least {@code margin} cm from its edges and clear of the heart; the last try when
   * none is found, which only very small lungs cause.
   */
  static double[] lungPoint(Thorax t, double margin, SplittableRandom rng) {
    double[] p = null;
    for (int i = 0; i < TRIES; i++) {
      int side = rng.nextInt(2);
      double y = t.apexY + Sampling.uniform(rng, 0.1, 0.95) * t.lungHeight;
      double x = t.midline() + Thorax.sign(side) * Sampling.uniform(rng, 0, t.r);
      p = new double[] {x, y};
      if (t.lungDistance(x, y) > margin && t.heart(x, y) < 0.2) {
        return p;
      }
    }
    return p;
  }

  /**
   * One to three solid round opacities, 2 to 2.9 cm across: small enough to stay nodules, dense enough (calcified or
   * solid, against aerated lung) to show at 64 pixels.
   */
  static void nodules(Scene scene, SplittableRandom rng) {
    double u = rng.nextDouble();
    int count = u < 0.5 ? 1 : u < 0.8 ? 2 : 3;
    for (int n = 0; n < count; n++) {
      double radius = Sampling.uniform(rng, 1.0, THREE_CM / 2 - 0.05);
      double[] p = lungPoint(scene.thorax, radius + 0.4, rng);
      scene.tissue.sphere(p[0], p[1], radius, 3.0);
    }
  }

  /**
   * A lobulated opacity 3.5 to 7 cm across (sometimes a second): a solid ball whose outline bulges in a few lobes,
   * projected as its chord.
   */
  static void mass(Scene scene, SplittableRandom rng) {
    int count = Sampling.chance(rng, 0.15) ? 2 : 1;
    for (int n = 0; n < count; n++) {
      double radius = Sampling.uniform(rng, THREE_CM / 2 + 0.25, 3.5);
      double[] p = lungPoint(scene.thorax, radius * 0.6, rng);
      double a3 = Sampling.uniform(rng, 0.05, 0.12);
      double a5 = Sampling.uniform(rng, 0.03, 0.08);
      double p3 = Sampling.uniform(rng, 0, 2 * Math.PI);
      double p5 = Sampling.uniform(rng, 0, 2 * Math.PI);
      double reach = radius * (1 + a3 + a5);
      int[] box = scene.tissue.box(p[0] - reach, p[1] - reach, p[0] + reach, p[1] + reach);
      for (int j = box[1]; j < box[3]; j++) {
        double dy = scene.y(j) - p[1];
        for (int i = box[0]; i < box[2]; i++) {
          double dx = scene.x(i) - p[0];
          double angle = Math.atan2(dy, dx);
          double r = radius * (1 + a3 * Math.sin(3 * angle + p3) + a5 * Math.sin(5 * angle + p5));
          double q = 1 - (dx * dx + dy * dy) / (r * r);
          if (q > 0) {
            scene.tissue.add(i, j, 1.8 * 2 * r * Math.sqrt(q));
          }
        }
      }
    }
  }

  /**
   * Part of the stomach above the diaphragm, behind the heart: an oval with gas above a horizontal air-fluid level,
   * fluid below it and a thin wall.
   */
  static void hiatalHernia(Scene scene, SplittableRandom rng) {
    Thorax t = scene.thorax;
    double cx = t.midline() + Sampling.uniform(rng, 0.3, 2.5);
    double rx = Sampling.uniform(rng, 2.5, 3.8);
    double ry = Sampling.uniform(rng, 2.0, 2.8);
    double cy = t.dome(1, cx) - ry * Sampling.uniform(rng, 0.6, 1.0);
    double level = cy + ry * Sampling.uniform(rng, -0.1, 0.35);
    double depth = Sampling.uniform(rng, 3.0, 4.5);
    int[] box = scene.tissue.box(cx - rx, cy - ry, cx + rx, cy + ry);
    for (int j = box[1]; j < box[3]; j++) {
      double y = scene.y(j);
      double v = (y - cy) / ry;
      for (int i = box[0]; i < box[2]; i++) {
        double u = (scene.x(i) - cx) / rx;
        double q = 1 - u * u - v * v;
        if (q <= 0) {
          continue;
        }
        double chord = 2 * depth * Math.sqrt(q);
        double gas = Sampling.smoothstep(level + 0.1, level - 0.1, y);
        scene.extraAir.add(i, j, gas * chord * 0.95);
        scene.tissue.add(i, j, (1 - gas) * chord * 0.15 + (q < 0.12 ? 0.9 : 0));
      }
    }
  }
}
