package org.medvision.io.synth.cxr;

import java.util.SplittableRandom;

/**
 * Draws what every chest radiograph shows besides the lungs' air: spine, posterior and fainter anterior ribs,
 * clavicles, trachea and main bronchi, hila, the branching lung vessels, the gastric bubble under the left
 * hemidiaphragm and, for most women, breast shadows over the lower zones.
 */
final class NormalAnatomy {
  private static final int RIBS = 10;

  private NormalAnatomy() {}

  /**
   * Paints the normal structures of {@code scene}.
   *
   * @param vesselScale vessel calibre relative to normal (thinner in emphysema)
   */
  static void paint(Scene scene, SplittableRandom rng, double vesselScale) {
    Thorax t = scene.thorax;
    spine(scene, t);
    for (int side = 0; side < 2; side++) {
      ribs(scene, t, side, rng);
      clavicle(scene, t, side, rng);
    }
    airways(scene, t);
    for (int side = 0; side < 2; side++) {
      // Pectoral muscles and scapulae overlap the upper lateral zones, which are therefore less dark than the bases.
      double x = t.cx + Thorax.sign(side) * 0.8 * t.r;
      scene.tissue.gaussian(x, t.apexY + 0.2 * t.lungHeight, 3.5, 4.5, Sampling.uniform(rng, 1.2, 2.0));
    }
    for (int side = 0; side < 2; side++) {
      double[] h = t.hilum(side);
      scene.tissue.gaussian(h[0], h[1], 1.3, 2.2, Sampling.uniform(rng, 0.9, 1.4));
      Vessels.tree(scene.markings, t, side, rng, vesselScale);
    }
    if (t.female && Sampling.chance(rng, 0.85)) {
      double size = Sampling.uniform(rng, 4.0, 5.5);
      for (int side = 0; side < 2; side++) {
        scene.tissue.gaussian(t.cx + Thorax.sign(side) * 0.55 * t.r, t.costophrenicY(side) - 2.0, size,
            size * 0.7, Sampling.uniform(rng, 1.5, 2.5));
      }
    }
    if (Sampling.chance(rng, 0.85)) {
      double x = t.midline() + 0.5 * t.r + Sampling.symmetric(rng, 1.0);
      double y = t.dome(1, x) + Sampling.uniform(rng, 1.4, 2.2);
      scene.extraAir.ellipsoid(x, y, Sampling.uniform(rng, 1.6, 2.6), Sampling.uniform(rng, 0.9, 1.4), 1.3, 1.0);
    }
  }

  private static void spine(Scene scene, Thorax t) {
    scene.tissue.rod(t.cx, -1, t.cx, t.fov + 1, 2.0, 0.35);
    for (double y = t.apexY - 6; y < t.fov; y += 2.45) {
      scene.tissue.ellipsoid(t.cx, y, 2.1, 0.95, 1.2, 0.3);
    }
  }

  /**
   * Posterior ribs run from the spine laterally, arching up a little and then down along the chest wall; anterior
   * ribs return from the chest wall medially and steeply down, fainter. Each rod is hollowed, so its cortex is
   * brighter than its marrow, as on film.
   */
  private static void ribs(Scene scene, Thorax t, int side, SplittableRandom rng) {
    int sg = Thorax.sign(side);
    double spacing = t.lungHeight * 0.93 / (RIBS - 1);
    for (int k = 0; k < RIBS; k++) {
      double y0 = t.apexY - 0.9 + k * spacing + Sampling.symmetric(rng, 0.15);
      double radius = Sampling.uniform(rng, 0.5, 0.62);
      double reach = t.ribHalfWidth(y0 + 1.5) + 0.9;
      int steps = 14;
      double[] xs = new double[steps + 1];
      double[] ys = new double[steps + 1];
      for (int s = 0; s <= steps; s++) {
        double u = (double) s / steps;
        xs[s] = t.cx + sg * (1.6 + u * (reach - 1.6));
        ys[s] = y0 - 2.6 * u + 6.0 * u * u;
      }
      hollow(scene.tissue, xs, ys, radius, 1.05);
      if (k < RIBS - 2) {
        double px = xs[steps];
        double py = ys[steps];
        double mx = t.cx + sg * (0.55 * reach + 1.5);
        hollow(scene.tissue, new double[] {px, mx, t.cx + sg * 3.2}, new double[] {py, py + 2.0, py + 3.8 + 0.15 * k},
            radius * 0.92, 0.42);
      }
    }
  }

  private static void clavicle(Scene scene, Thorax t, int side, SplittableRandom rng) {
    int sg = Thorax.sign(side);
    double y = t.clavicleY;
    double[] xs = {t.cx + sg * 1.4, t.cx + sg * 0.45 * t.r, t.cx + sg * 0.8 * t.r, t.cx + sg * 1.08 * t.r};
    double[] ys = {y + 1.0, y + 0.2, y - 0.5, y - 1.2 + Sampling.symmetric(rng, 0.3)};
    hollow(scene.tissue, xs, ys, 0.78, 1.3);
  }

  private static void airways(Scene scene, Thorax t) {
    double carinaY = t.apexY + 0.3 * t.lungHeight;
    scene.extraAir.rod(t.cx, -1, t.midline(), carinaY, 0.85, 2.0);
    for (int side = 0; side < 2; side++) {
      double[] h = t.hilum(side);
      scene.extraAir.rod(t.midline(), carinaY, h[0] - Thorax.sign(side) * 0.8, h[1] - 0.6, 0.55, 1.5);
    }
  }

  private static void hollow(Film film, double[] xs, double[] ys, double r, double density) {
    film.polyline(xs, ys, r, density);
    film.polyline(xs, ys, 0.7 * r, -0.45 * density);
  }
}
