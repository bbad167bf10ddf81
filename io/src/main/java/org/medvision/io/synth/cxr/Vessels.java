package org.medvision.io.synth.cxr;

import java.util.SplittableRandom;

/**
 * The lung markings: pulmonary vessels fanning out from each hilum, branching in two a few times and thinning toward
 * the periphery, which stays nearly free of visible vessels as on a normal film.
 */
final class Vessels {
  private static final int DEPTH = 4;

  private Vessels() {}

  /**
   * Draws {@code side}'s vessel tree into {@code film}.
   *
   * @param scale calibre relative to normal: below 1 for pruned, thin vessels (emphysema), above 1 for engorged ones
   */
  static void tree(Film film, Thorax t, int side, SplittableRandom rng, double scale) {
    double[] h = t.hilum(side);
    int sg = Thorax.sign(side);
    int trunks = 7;
    for (int k = 0; k < trunks; k++) {
      // From steeply up (apex) to steeply down (base), measured from the lateral direction.
      double angle = Math.toRadians(-75 + 160.0 * k / (trunks - 1) + Sampling.symmetric(rng, 10));
      double length = Sampling.uniform(rng, 3.0, 5.0) * (angle > 0 ? 1.15 : 1.0);
      double dx = sg * Math.cos(angle);
      double dy = Math.sin(angle);
      // Trunks start a little apart, so they do not pile up into one bright dot at the hilum.
      branch(film, h[0] + 1.3 * dx, h[1] + 1.3 * dy, dx, dy, length, 0.34 * scale, DEPTH, rng);
    }
  }

  /**
   * One vessel, bent slightly halfway, then its two children; each child starts one radius beyond its parent's end,
   * so the joint is not drawn three times over.
   */
  private static void branch(Film film, double x, double y, double dx, double dy, double length, double radius,
      int depth, SplittableRandom rng) {
    double bend = Math.toRadians(Sampling.symmetric(rng, 12));
    double mx = x + dx * length / 2;
    double my = y + dy * length / 2;
    double bx = dx * Math.cos(bend) - dy * Math.sin(bend);
    double by = dx * Math.sin(bend) + dy * Math.cos(bend);
    double x1 = mx + bx * length / 2;
    double y1 = my + by * length / 2;
    film.polyline(new double[] {x, mx, x1}, new double[] {y, my, y1}, radius, 1.3 + 0.1 * depth);
    if (depth == 0) {
      return;
    }
    for (int c = -1; c <= 1; c += 2) {
      double turn = c * Math.toRadians(Sampling.uniform(rng, 15, 38));
      double ndx = bx * Math.cos(turn) - by * Math.sin(turn);
      double ndy = bx * Math.sin(turn) + by * Math.cos(turn);
      double r = radius * 0.72;
      branch(film, x1 + ndx * r, y1 + ndy * r, ndx, ndy, length * Sampling.uniform(rng, 0.6, 0.8), r, depth - 1, rng);
    }
  }
}
