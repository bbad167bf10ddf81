package org.medvision.io.synth.cxr;

import java.util.SplittableRandom;

/** Pleural findings: effusion, pneumothorax and pleural thickening. */
final class Pleura {
  private Pleura() {}

  /** 0, 1 or both sides: one side with probability {@code 1 - both}, split evenly. */
  static int[] sides(SplittableRandom rng, double both) {
    if (Sampling.chance(rng, both)) {
      return new int[] {0, 1};
    }
    return new int[] {rng.nextInt(2)};
  }

  /**
   * Fluid layering at a base: the lung's air is replaced below a meniscus that rises toward the chest wall, so the
   * costophrenic angle and the hemidiaphragm's outline disappear under a homogeneous opacity; a faint haze climbs a
   * little above it, where fluid layers behind the lung.
   */
  static void effusion(Scene scene, SplittableRandom rng) {
    Thorax t = scene.thorax;
    for (int side : sides(rng, 0.35)) {
      double depth = Sampling.uniform(rng, 2.5, 7.0);
      double rise = Sampling.uniform(rng, 2.5, 5.0);
      double base = t.costophrenicY(side);
      int[] box = scene.tissue.box(side == 0 ? 0 : t.midline(), base - depth - rise - 4,
          side == 0 ? t.midline() : t.fov, base + 1);
      for (int j = box[1]; j < box[3]; j++) {
        double y = scene.y(j);
        double inner = t.mediastinumHalfWidth(side, y);
        double outer = t.ribHalfWidth(y);
        for (int i = box[0]; i < box[2]; i++) {
          int k = j * scene.size + i;
          double x = scene.x(i);
          if (t.sideOf(x) != side || scene.lung[k] <= 0) {
            continue;
          }
          double lateral = Sampling.clamp((Math.abs(x - t.midline()) - inner) / Math.max(0.1, outer - inner), 0, 1);
          double top = base - depth - rise * Math.pow(lateral, 3);
          double fluid = Sampling.smoothstep(top - 0.5, top + 1.5, y);
          double haze = 0.2 * Sampling.smoothstep(top - 4, top, y);
          scene.fill(k, Math.max(fluid, haze));
        }
      }
    }
  }

  /**
   * Air between the lung and the chest wall: a rim at the apex and along the lateral wall, widest at the top, with no
   * lung markings and darker than lung; the visceral pleura as a thin white line at its inner edge; the collapsed lung
   * a little denser.
   */
  static void pneumothorax(Scene scene, SplittableRandom rng) {
    Thorax t = scene.thorax;
    int side = rng.nextInt(2);
    double gap = Sampling.uniform(rng, 2.2, 5.0);
    double line = 0.12;
    for (int j = 0; j < scene.size; j++) {
      double y = scene.y(j);
      double g = gap * (1 - 0.75 * Sampling.clamp((y - t.apexY) / t.lungHeight, 0, 1));
      for (int i = 0; i < scene.size; i++) {
        int k = j * scene.size + i;
        double x = scene.x(i);
        if (t.sideOf(x) != side || scene.lung[k] <= 0) {
          continue;
        }
        double fromWall = Math.min(t.ribHalfWidth(y) - Math.abs(x - t.cx), (y - t.apexY + 0.5) * 0.8);
        double rim = 1 - Sampling.smoothstep(g - 0.1, g + 0.1, fromWall);
        scene.clear(k, rim);
        scene.extraAir.add(i, j, rim * 0.25 * scene.air[k]);
        scene.fill(k, 0.15 * (1 - rim));
        double d = (fromWall - g) / line;
        scene.tissue.add(i, j, 1.6 * Math.exp(-d * d) * scene.lung[k]);
      }
    }
  }

  /**
   * A smooth band of soft tissue inside the rib cage along part of the lateral chest wall, or a cap over the apex, on
   * one or both sides; its inner edge undulates gently.
   */
  static void thickening(Scene scene, SplittableRandom rng) {
    Thorax t = scene.thorax;
    for (int side : sides(rng, 0.35)) {
      boolean apical = Sampling.chance(rng, 0.3);
      double width = Sampling.uniform(rng, 1.8, 3.0);
      double from = apical ? t.apexY - 1 : t.apexY + Sampling.uniform(rng, 0.15, 0.4) * t.lungHeight;
      double to = apical ? t.apexY + 0.3 * t.lungHeight : t.costophrenicY(side) + 0.5;
      double phase = Sampling.uniform(rng, 0, 2 * Math.PI);
      for (int j = 0; j < scene.size; j++) {
        double y = scene.y(j);
        double along = Sampling.smoothstep(from, from + 2, y) * (1 - Sampling.smoothstep(to - 1, to, y));
        if (along <= 0) {
          continue;
        }
        double w = width * (1 + 0.2 * Math.sin(y * 0.9 + phase)) * along;
        for (int i = 0; i < scene.size; i++) {
          int k = j * scene.size + i;
          double x = scene.x(i);
          if (t.sideOf(x) != side || scene.lung[k] <= 0) {
            continue;
          }
          double fromWall = t.ribHalfWidth(y) - Math.abs(x - t.cx);
          if (apical) {
            fromWall = Math.min(fromWall, (y - t.apexY + 0.5) * 1.2);
          }
          scene.fill(k, 1 - Sampling.smoothstep(w - 0.25, w + 0.25, fromWall));
        }
      }
    }
  }
}
