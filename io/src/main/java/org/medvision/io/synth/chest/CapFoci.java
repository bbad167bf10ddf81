package org.medvision.io.synth.chest;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Lays out community-acquired pneumonia: consolidation of one lobe or part of it, grown from a point near the
 * pleura and stopped by the fissures, so a large one is lobar and a small one segmental.
 *
 * <p>The lobe is drawn with weights right lower 0.30, left lower 0.25, right upper 0.17, left upper 0.15, right middle
 * 0.13. When the target ratio needs more lung than the lobe holds (with 20% to spare), neighbouring lobes are added,
 * same side first, each with its own focus. In 12% of cases a smaller focus (0.6 times the size) sits in a lower lobe
 * of the other lung. In 35% the consolidation is rimmed by ground glass over the outer 18 to 35% of its reach.
 * Air bronchograms are not drawn here: the airways that run through a consolidation show as air
 * ({@link ChestCtPhantom}).
 */
final class CapFoci {
  private static final Lungs.Lobe[] LOBES = Lungs.Lobe.values();
  private static final double[] LOBE_WEIGHTS = {0.17, 0.13, 0.30, 0.15, 0.25};
  private static final double SIZE_MM = 35;
  private static final double SEED_DEPTH_MM = 15;

  private CapFoci() {}

  /** Draws the foci for a case whose lungs are {@code lungs} and whose infection ratio will be {@code targetRatio}. */
  static InfectionPattern draw(SplittableRandom rng, LungVoxels lungs, double targetRatio) {
    int[] counts = lungs.lobeCounts();
    double[] cumulative = new double[LOBES.length];
    double total = 0;
    for (int l = 0; l < LOBES.length; l++) {
      total += counts[l] > 0 ? LOBE_WEIGHTS[l] : 0;
      cumulative[l] = total;
    }
    if (total == 0) {
      throw new IllegalStateException("no lung voxels to place a consolidation in");
    }
    Lungs.Lobe main = LOBES[Draw.weighted(rng, cumulative)];
    List<Lungs.Lobe> chosen = new ArrayList<>(List.of(main));
    long volume = counts[main.ordinal()];
    for (Lungs.Lobe next : neighbours(main)) {
      if (volume >= 1.2 * targetRatio * lungs.size()) {
        break;
      }
      if (counts[next.ordinal()] > 0) {
        chosen.add(next);
        volume += counts[next.ordinal()];
      }
    }
    boolean halo = rng.nextDouble() < 0.35;
    double coreFraction = halo ? Draw.uniform(rng, 0.65, 0.82) : 1;
    double consolidationHu = Draw.uniform(rng, -50, 25);
    double haloHu = Draw.uniform(rng, -600, -420);
    List<Focus> foci = new ArrayList<>();
    for (Lungs.Lobe lobe : chosen) {
      foci.add(focus(rng, lungs, lobe, SIZE_MM, coreFraction, consolidationHu, haloHu));
    }
    if (rng.nextDouble() < 0.12) {
      Lungs.Lobe other = main.side() == Lungs.RIGHT ? Lungs.Lobe.LEFT_LOWER : Lungs.Lobe.RIGHT_LOWER;
      if (counts[other.ordinal()] > 0) {
        foci.add(focus(rng, lungs, other, 0.6 * SIZE_MM, coreFraction, consolidationHu, haloHu));
      }
    }
    return new InfectionPattern(foci, new SmoothField(rng, 4, 20, 60));
  }

  private static Focus focus(SplittableRandom rng, LungVoxels lungs, Lungs.Lobe lobe, double size,
      double coreFraction, double consolidationHu, double haloHu) {
    int v = pick(rng, lungs, lobe, SEED_DEPTH_MM);
    if (v < 0) {
      v = pick(rng, lungs, lobe, Double.POSITIVE_INFINITY);
    }
    ChestTissue rim = coreFraction < 1 ? ChestTissue.GROUND_GLASS : ChestTissue.CONSOLIDATION;
    return new Focus(lungs.x(v), lungs.y(v), lungs.z(v), size, size, size, 1, 0, lobe.side(), lobe, rim,
        ChestTissue.CONSOLIDATION, coreFraction, rim == ChestTissue.GROUND_GLASS ? haloHu : consolidationHu,
        consolidationHu);
  }

  /** A voxel of {@code lobe} less than {@code depth} mm below the costal pleura, uniformly; -1 if there is none. */
  private static int pick(SplittableRandom rng, LungVoxels lungs, Lungs.Lobe lobe, double depth) {
    double[] cumulative = new double[lungs.size()];
    double total = 0;
    for (int v = 0; v < lungs.size(); v++) {
      if (lungs.lobe(v) == lobe && lungs.costalDepth(v) < depth) {
        total += 1;
      }
      cumulative[v] = total;
    }
    return total > 0 ? Draw.weighted(rng, cumulative) : -1;
  }

  /** Lobes to spread into from {@code lobe}, nearest first: the same lung, then the other one's lower then upper. */
  private static List<Lungs.Lobe> neighbours(Lungs.Lobe lobe) {
    switch (lobe) {
      case RIGHT_LOWER:
        return List.of(Lungs.Lobe.RIGHT_MIDDLE, Lungs.Lobe.RIGHT_UPPER, Lungs.Lobe.LEFT_LOWER, Lungs.Lobe.LEFT_UPPER);
      case RIGHT_MIDDLE:
        return List.of(Lungs.Lobe.RIGHT_LOWER, Lungs.Lobe.RIGHT_UPPER, Lungs.Lobe.LEFT_LOWER, Lungs.Lobe.LEFT_UPPER);
      case RIGHT_UPPER:
        return List.of(Lungs.Lobe.RIGHT_MIDDLE, Lungs.Lobe.RIGHT_LOWER, Lungs.Lobe.LEFT_UPPER, Lungs.Lobe.LEFT_LOWER);
      case LEFT_LOWER:
        return List.of(Lungs.Lobe.LEFT_UPPER, Lungs.Lobe.RIGHT_LOWER, Lungs.Lobe.RIGHT_MIDDLE, Lungs.Lobe.RIGHT_UPPER);
      case LEFT_UPPER:
        return List.of(Lungs.Lobe.LEFT_LOWER, Lungs.Lobe.RIGHT_UPPER, Lungs.Lobe.RIGHT_MIDDLE, Lungs.Lobe.RIGHT_LOWER);
      default:
        throw new AssertionError(lobe);
    }
  }
}
