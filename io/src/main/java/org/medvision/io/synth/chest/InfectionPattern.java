package org.medvision.io.synth.chest;

import java.util.Arrays;
import java.util.List;

/**
 * An infection as a set of {@link Focus foci} that grow together: every lung voxel takes the smallest reach of any
 * focus, and the threshold is the reach that makes exactly the wanted share of lung voxels infected. So the infection
 * ratio hits its target to the voxel, whatever the lung's size or shape, and the foci keep their relative sizes.
 */
final class InfectionPattern {
  private final List<Focus> foci;
  private final SmoothField shape;

  /** A pattern of {@code foci} whose outlines are made irregular by {@code shape}. */
  InfectionPattern(List<Focus> foci, SmoothField shape) {
    if (foci.isEmpty()) {
      throw new IllegalArgumentException("an infection needs at least one focus");
    }
    this.foci = List.copyOf(foci);
    this.shape = shape;
  }

  /** The foci. */
  List<Focus> foci() {
    return foci;
  }

  /**
   * Infects {@code round(targetRatio * lungs.size())} lung voxels (at least one): marks them in {@code infection} and
   * writes their lesion tissue and noise-free value into {@code tissue} and {@code clean}, all indexed by grid voxel.
   *
   * @param texture smooth [-1, 1] values per grid voxel, for uneven lesion density
   * @return the number of voxels infected; fewer than asked only when the foci cannot reach more (confined to lobes)
   */
  int paint(LungVoxels lungs, double targetRatio, float[] texture, byte[] tissue, float[] clean, byte[] infection) {
    int n = lungs.size();
    if (n == 0) {
      return 0;
    }
    float[] reach = new float[n];
    byte[] focusOf = new byte[n];
    float[] wobbles = new float[n];
    int finite = 0;
    for (int v = 0; v < n; v++) {
      double wobble = shape.at(lungs.x(v), lungs.y(v), lungs.z(v));
      wobbles[v] = (float) wobble;
      Lungs.Lobe lobe = lungs.lobe(v);
      double best = Double.POSITIVE_INFINITY;
      for (int f = 0; f < foci.size(); f++) {
        double r = foci.get(f).reach(lungs.x(v), lungs.y(v), lungs.z(v), lobe, wobble);
        if (r < best) {
          best = r;
          focusOf[v] = (byte) f;
        }
      }
      reach[v] = (float) best;
      if (best < Double.POSITIVE_INFINITY) {
        finite++;
      }
    }
    if (finite == 0) {
      return 0;
    }
    float[] sorted = reach.clone();
    Arrays.sort(sorted);
    int wanted = (int) Math.max(1, Math.min(finite, Math.round(targetRatio * n)));
    double threshold = Math.max(sorted[wanted - 1], 1e-6);
    int infected = 0;
    for (int v = 0; v < n; v++) {
      if (reach[v] <= threshold) {
        Focus focus = foci.get(focusOf[v]);
        double fraction = reach[v] / threshold;
        ChestTissue t = focus.tissue(fraction);
        int i = lungs.index(v);
        tissue[i] = (byte) t.ordinal();
        // The outline's own wobble doubles as fine texture, so density varies on the lesion's scale too.
        clean[i] = (float) focus.hu(t, fraction, 0.5 * (texture[i] + wobbles[v]));
        infection[i] = 1;
        infected++;
      }
    }
    return infected;
  }
}
