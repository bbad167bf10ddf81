package org.medvision.api.metrics;

import java.util.Arrays;

/**
 * Which voxels count as neighbours when grouping a mask into {@link ConnectedComponents}: those whose coordinates
 * differ by at most 1 on every axis and on at most a given number of axes (scipy's
 * {@code generate_binary_structure(ndim, rank)}).
 */
public enum Connectivity {
  /** Voxels sharing a face: 4 neighbours in 2-D, 6 in 3-D (rank 1). */
  FACE(1),
  /** Voxels sharing a face or an edge: 8 neighbours in 2-D, 18 in 3-D (rank 2). */
  FACE_EDGE(2),
  /** Voxels sharing a face, an edge or a corner: 8 neighbours in 2-D, 26 in 3-D (rank = number of axes). */
  FULL(Integer.MAX_VALUE);

  private final int maxChangedAxes;

  Connectivity(int maxChangedAxes) {
    this.maxChangedAxes = maxChangedAxes;
  }

  /** The most axes on which a neighbour may differ, for {@code ndim} axes. */
  public int rank(int ndim) {
    return Math.min(maxChangedAxes, ndim);
  }

  /** Number of neighbours of an interior voxel in {@code ndim} dimensions, e.g. 6 for {@code FACE} in 3-D. */
  public int neighbours(int ndim) {
    return offsets(ndim).length;
  }

  /** The neighbour offsets, one coordinate delta per axis, in lexicographic order of the deltas. */
  int[][] offsets(int ndim) {
    int rank = rank(ndim);
    int total = (int) Math.pow(3, ndim);
    int[][] all = new int[total][];
    int count = 0;
    for (int code = 0; code < total; code++) {
      int[] delta = new int[ndim];
      int changed = 0;
      int rest = code;
      for (int d = ndim - 1; d >= 0; d--) {
        delta[d] = rest % 3 - 1;
        rest /= 3;
        changed += delta[d] != 0 ? 1 : 0;
      }
      if (changed > 0 && changed <= rank) {
        all[count++] = delta;
      }
    }
    return Arrays.copyOf(all, count);
  }
}
