package org.medvision.io.synth.chest;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Lays out COVID-19 pneumonia: several ground-glass patches against the costal pleura, mostly in both lungs, drawn
 * towards the back and the bases.
 *
 * <p>Each patch is centred on a lung voxel within {@link #SUBPLEURAL_MM} (or 1.5 voxels) of the chest wall, picked
 * with weight {@code exp(1.5 * posterior - 1.8 * height)} (posterior in [-1, 1], height in [0, 1] of the lung), and
 * is an ellipsoid flattened against the wall: its radial semi-axis is 0.55 to 0.8 of its size, its tangential one 1.0
 * to 1.5 times. Sizes are log-uniform in 14 to 40 mm; the shared threshold then scales them all to the target ratio.
 * An extensive case has 3 to 9 patches, a limited one 1 to 3; 90% are bilateral (patches alternate sides). In 45% of
 * patients some patches (each with probability 0.6) have a denser core ({@link ChestTissue#DENSE_OPACITY}) over the
 * inner 30 to 55% of their reach.
 */
final class CovidFoci {
  /** Depth below the costal pleura within which patches are centred, mm. */
  static final double SUBPLEURAL_MM = 10;

  private CovidFoci() {}

  /** Draws the foci for a case whose lungs are {@code lungs}; {@code extensive} asks for more patches. */
  static InfectionPattern draw(SplittableRandom rng, LungVoxels lungs, double lungHeight, double pixelSpacing,
      boolean extensive) {
    int count = extensive ? 3 + rng.nextInt(7) : 1 + rng.nextInt(3);
    boolean bilateral = rng.nextDouble() < 0.9;
    if (bilateral && count == 1) {
      count = 2;
    }
    int firstSide = rng.nextInt(2);
    boolean denseCores = rng.nextDouble() < 0.45;
    double rimBase = Draw.uniform(rng, -630, -440);
    double rim = Math.max(SUBPLEURAL_MM, 1.5 * pixelSpacing);
    List<Focus> foci = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int side = bilateral ? (firstSide + i) % 2 : firstSide;
      int v = pick(rng, lungs, side, rim, lungHeight);
      if (v < 0) {
        v = pick(rng, lungs, 1 - side, rim, lungHeight);
        side = 1 - side;
      }
      if (v < 0) {
        break;
      }
      double x = lungs.x(v);
      double y = lungs.y(v);
      double norm = Math.hypot(x, y);
      double size = Draw.logUniform(rng, 14, 40);
      boolean core = denseCores && rng.nextDouble() < 0.6;
      foci.add(new Focus(x, y, lungs.z(v), size * Draw.uniform(rng, 0.55, 0.8), size * Draw.uniform(rng, 1.0, 1.5),
          size * Draw.uniform(rng, 0.8, 1.3), norm > 0 ? x / norm : 1, norm > 0 ? y / norm : 0, side, null,
          ChestTissue.GROUND_GLASS, ChestTissue.DENSE_OPACITY, core ? Draw.uniform(rng, 0.3, 0.55) : 0,
          rimBase + Draw.symmetric(rng, 60), Draw.uniform(rng, -260, -140)));
    }
    if (foci.isEmpty()) {
      throw new IllegalStateException("no lung voxels to place COVID-19 foci in");
    }
    return new InfectionPattern(foci, new SmoothField(rng, 4, 15, 50));
  }

  /**
   * A subpleural voxel of {@code side}, weighted to the back and the bases; any voxel of the side if none is
   * subpleural; -1 if the side has none.
   */
  private static int pick(SplittableRandom rng, LungVoxels lungs, int side, double rim, double lungHeight) {
    for (double limit : new double[] {rim, Double.POSITIVE_INFINITY}) {
      double[] cumulative = new double[lungs.size()];
      double total = 0;
      for (int v = 0; v < lungs.size(); v++) {
        if (lungs.lobe(v).side() == side && lungs.costalDepth(v) < limit) {
          double height = Math.max(0, Math.min(1, lungs.z(v) / lungHeight));
          total += Math.exp(1.5 * lungs.posterior(v) - 1.8 * height);
        }
        cumulative[v] = total;
      }
      if (total > 0) {
        return Draw.weighted(rng, cumulative);
      }
    }
    return -1;
  }
}
