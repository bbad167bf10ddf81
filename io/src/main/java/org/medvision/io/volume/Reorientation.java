package org.medvision.io.volume;

import java.util.Arrays;

/**
 * Puts a volume's voxels in the canonical order a model sees: index axis x runs towards the patient's left, y towards
 * posterior and z towards superior (the positive LPS axes), so D×H×W tensors of scans stored flipped or transposed
 * (sagittal or coronal acquisitions, NIfTI files in RAS order) look alike. The affine changes with the voxels, so
 * every voxel keeps its world position. Oblique scans are ordered by the world axis nearest to each index axis.
 *
 * @param permutation {@code permutation[c]} is the source index axis that becomes canonical axis c
 * @param flip {@code flip[c]} whether canonical axis c runs opposite to its source axis
 */
public record Reorientation(int[] permutation, boolean[] flip) {
  /** Copies the arrays. */
  public Reorientation {
    permutation = permutation.clone();
    flip = flip.clone();
  }

  @Override
  public int[] permutation() {
    return permutation.clone();
  }

  @Override
  public boolean[] flip() {
    return flip.clone();
  }

  /** The reorientation that makes {@code affine}'s index axes canonical. */
  public static Reorientation of(Affine affine) {
    double[][] dir = affine.direction();
    int[] perm = new int[3];
    boolean[] flip = new boolean[3];
    boolean[] axisUsed = new boolean[3];
    boolean[] worldUsed = new boolean[3];
    // Pair index axes with world axes, strongest alignment first, so an oblique scan still gets a permutation.
    for (int round = 0; round < 3; round++) {
      int bestAxis = -1;
      int bestWorld = -1;
      double best = -1;
      for (int a = 0; a < 3; a++) {
        for (int w = 0; w < 3; w++) {
          double v = Math.abs(dir[a][w]);
          if (!axisUsed[a] && !worldUsed[w] && v > best) {
            best = v;
            bestAxis = a;
            bestWorld = w;
          }
        }
      }
      axisUsed[bestAxis] = true;
      worldUsed[bestWorld] = true;
      perm[bestWorld] = bestAxis;
      flip[bestWorld] = dir[bestAxis][bestWorld] < 0;
    }
    return new Reorientation(perm, flip);
  }

  /** Whether this leaves voxels as they are. */
  public boolean isIdentity() {
    return Arrays.equals(permutation, new int[] {0, 1, 2}) && !flip[0] && !flip[1] && !flip[2];
  }

  /**
   * {@code volume} (its first 3-D frame) with voxels reordered; the result's affine maps each voxel to the world
   * position it had.
   */
  public Volume apply(Volume volume) {
    int[] src = volume.dims();
    if (isIdentity()) {
      return src.length == 3 ? volume : volume.frame(0);
    }
    int[] out = {src[permutation[0]], src[permutation[1]], src[permutation[2]]};
    java.nio.FloatBuffer in = volume.voxels();
    float[] data = new float[out[0] * out[1] * out[2]];
    int[] srcStride = {1, src[0], src[0] * src[1]};
    // For each canonical axis, the source offset of its first index and the step per index.
    int[] step = new int[3];
    int base = 0;
    for (int c = 0; c < 3; c++) {
      int a = permutation[c];
      step[c] = flip[c] ? -srcStride[a] : srcStride[a];
      if (flip[c]) {
        base += (src[a] - 1) * srcStride[a];
      }
    }
    int i = 0;
    for (int z = 0; z < out[2]; z++) {
      for (int y = 0; y < out[1]; y++) {
        int offset = base + z * step[2] + y * step[1];
        for (int x = 0; x < out[0]; x++, offset += step[0]) {
          data[i++] = in.get(offset);
        }
      }
    }
    return Volume.adopt(out, data, affine(volume.affine(), src));
  }

  /** The reordered grid's affine: column c is ± source column permutation[c]; the origin is the new first voxel's. */
  private Affine affine(Affine a, int[] src) {
    double[][] rows = new double[3][4];
    double[] origin = a.origin();
    for (int c = 0; c < 3; c++) {
      double[] col = a.column(permutation[c]);
      for (int r = 0; r < 3; r++) {
        rows[r][c] = flip[c] ? -col[r] : col[r];
        if (flip[c]) {
          origin[r] += col[r] * (src[permutation[c]] - 1);
        }
      }
    }
    for (int r = 0; r < 3; r++) {
      rows[r][3] = origin[r];
    }
    return Affine.ofRows(rows);
  }
}
