package org.medvision.io.synth.chest;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A tree of tubes grown from a lung's hilum, for pulmonary vessels and bronchi, in body-frame millimetres.
 *
 * <p>Each trunk starts at the hilum in a given direction; every segment ends in two children that turn away from it
 * by 15 to 40 degrees to either side of a random plane, each 0.7 to 0.88 times as long and, as Murray's law has it
 * for an asymmetric bifurcation, 0.78 to 0.9 (major) and 0.62 to 0.8 (minor branch) times as thick. A branch stops
 * at the pleura (a segment ending outside the lung, more than 45 mm from the hilum, has no children), below the
 * minimum radius or at the maximum depth, so tubes thin towards the periphery.
 *
 * <p>{@link #rasterize} turns the tubes into a per-voxel fraction covered, with partial volume: a tube thinner than
 * half a voxel is drawn half a voxel wide at a density reduced by its cross-section, the way a scanner blurs it.
 */
final class BranchingTree {
  /** How far from the hilum a branch may run outside the lung (through the mediastinum), mm. */
  private static final double HILAR_MM = 45;

  private double[] segments = new double[7 * 64];
  private int count;

  /**
   * Grows a tree.
   *
   * @param hilum the root, mm
   * @param trunks unit directions of the trunks
   * @param radius radius of a trunk, mm
   * @param minRadius branches thinner than this are not grown
   * @param length length of a trunk, mm
   * @param maxDepth the most generations below a trunk
   */
  static BranchingTree grow(SplittableRandom rng, Lungs lungs, double[] hilum, double[][] trunks, double radius,
      double minRadius, double length, int maxDepth) {
    BranchingTree tree = new BranchingTree();
    for (double[] trunk : trunks) {
      tree.branch(rng, lungs, hilum, hilum, trunk, radius * Draw.uniform(rng, 0.85, 1.1),
          length * Draw.uniform(rng, 0.85, 1.15), minRadius, maxDepth);
    }
    return tree;
  }

  private void branch(SplittableRandom rng, Lungs lungs, double[] hilum, double[] from, double[] direction,
      double radius, double length, double minRadius, int depthLeft) {
    double[] to = {from[0] + length * direction[0], from[1] + length * direction[1], from[2] + length * direction[2]};
    add(from, to, radius);
    // The first generations run from the hilum through the mediastinum; beyond it a branch that leaves the lung has
    // reached the pleura.
    boolean outside = lungs.depth(to[0], to[1], to[2]) < 0;
    if (depthLeft == 0 || outside && distance(hilum, to) > HILAR_MM) {
      return;
    }
    double[] normal = perpendicular(rng, direction);
    double[][] turns = {{Draw.uniform(rng, 15, 40), Draw.uniform(rng, 0.78, 0.9)},
        {-Draw.uniform(rng, 15, 40), Draw.uniform(rng, 0.62, 0.8)}};
    for (double[] turn : turns) {
      double childRadius = radius * turn[1];
      if (childRadius < minRadius) {
        continue;
      }
      double angle = Math.toRadians(turn[0]);
      double c = Math.cos(angle);
      double s = Math.sin(angle);
      double[] child = {c * direction[0] + s * normal[0], c * direction[1] + s * normal[1],
          c * direction[2] + s * normal[2]};
      branch(rng, lungs, hilum, to, child, childRadius, length * Draw.uniform(rng, 0.7, 0.88), minRadius,
          depthLeft - 1);
    }
  }

  private static double distance(double[] a, double[] b) {
    double dx = a[0] - b[0];
    double dy = a[1] - b[1];
    double dz = a[2] - b[2];
    return Math.sqrt(dx * dx + dy * dy + dz * dz);
  }

  /** A random unit vector perpendicular to unit vector {@code d}. */
  private static double[] perpendicular(SplittableRandom rng, double[] d) {
    while (true) {
      double[] r = Draw.unitVector(rng);
      double dot = r[0] * d[0] + r[1] * d[1] + r[2] * d[2];
      double[] p = {r[0] - dot * d[0], r[1] - dot * d[1], r[2] - dot * d[2]};
      double norm = Math.sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
      if (norm > 0.1) {
        return new double[] {p[0] / norm, p[1] / norm, p[2] / norm};
      }
    }
  }

  private void add(double[] from, double[] to, double radius) {
    if (7 * (count + 1) > segments.length) {
      segments = Arrays.copyOf(segments, 2 * segments.length);
    }
    int o = 7 * count++;
    segments[o] = from[0];
    segments[o + 1] = from[1];
    segments[o + 2] = from[2];
    segments[o + 3] = to[0];
    segments[o + 4] = to[1];
    segments[o + 5] = to[2];
    segments[o + 6] = radius;
  }

  /** Number of tube segments. */
  int segments() {
    return count;
  }

  /** Radius of segment {@code s}, mm. */
  double radius(int s) {
    return segments[7 * s + 6];
  }

  /**
   * Raises {@code fraction[i]} to the share of voxel {@code i} the tubes cover, for voxels where {@code allowed[i]}
   * is nonzero.
   *
   * @param placement maps body-frame millimetres to the grid
   */
  void rasterize(ScanGeometry grid, Placement placement, byte[] allowed, float[] fraction) {
    double half = 0.5 * grid.pixelSpacing();
    double[] a = new double[3];
    double[] b = new double[3];
    for (int s = 0; s < count; s++) {
      int o = 7 * s;
      a[0] = segments[o];
      a[1] = segments[o + 1];
      a[2] = segments[o + 2];
      b[0] = segments[o + 3];
      b[1] = segments[o + 4];
      b[2] = segments[o + 5];
      double r = segments[o + 6];
      double drawn = Math.max(r, half);
      double density = Math.min(1, (r / drawn) * (r / drawn));
      double pad = drawn + half;
      int i0 = Math.max(0, (int) Math.floor(placement.column(grid, Math.min(a[0], b[0]) - pad)));
      int i1 = Math.min(grid.size() - 1, (int) Math.ceil(placement.column(grid, Math.max(a[0], b[0]) + pad)));
      int j0 = Math.max(0, (int) Math.floor(placement.row(grid, Math.min(a[1], b[1]) - pad)));
      int j1 = Math.min(grid.size() - 1, (int) Math.ceil(placement.row(grid, Math.max(a[1], b[1]) + pad)));
      int k0 = Math.max(0, (int) Math.floor(placement.slice(grid, Math.min(a[2], b[2]) - pad)));
      int k1 = Math.min(grid.slices() - 1, (int) Math.ceil(placement.slice(grid, Math.max(a[2], b[2]) + pad)));
      for (int k = k0; k <= k1; k++) {
        double z = placement.bodyZ(grid, k);
        for (int j = j0; j <= j1; j++) {
          double y = placement.bodyY(grid, j);
          for (int i = i0; i <= i1; i++) {
            int index = grid.index(i, j, k);
            if (allowed[index] == 0) {
              continue;
            }
            double d = Mediastinum.segmentDistance(placement.bodyX(grid, i), y, z, a, b);
            double covered = density * Math.max(0, Math.min(1, (drawn - d) / half + 0.5));
            if (covered > fraction[index]) {
              fraction[index] = (float) covered;
            }
          }
        }
      }
    }
  }
}
