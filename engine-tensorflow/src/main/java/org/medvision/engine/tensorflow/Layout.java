package org.medvision.engine.tensorflow;

import java.util.Arrays;

/**
 * How a lowered value's TensorFlow tensor stores its IR (logical) axes: physical axis {@code i} holds logical axis
 * {@code perm[i]}. The IR is channels-first; convolutions, pools and their neighbours run channels-last, and this
 * record lets the lowering keep a value channels-last across elementwise ops and transposes instead of converting
 * back after every op.
 */
final class Layout {
  private final int[] perm;

  private Layout(int[] perm) {
    this.perm = perm;
  }

  /** The IR's own axis order for a value of rank {@code rank}. */
  static Layout identity(int rank) {
    int[] p = new int[rank];
    for (int i = 0; i < rank; i++) {
      p[i] = i;
    }
    return new Layout(p);
  }

  /** Channels-last storage of a [N, C, spatial...] value: physical [N, spatial..., C]. */
  static Layout channelsLast(int rank) {
    int[] p = new int[rank];
    for (int i = 1; i < rank - 1; i++) {
      p[i] = i + 1;
    }
    p[rank - 1] = 1;
    return new Layout(p);
  }

  /** A layout from an explicit permutation. */
  static Layout of(int... perm) {
    return new Layout(perm.clone());
  }

  /** Physical axis {@code i} holds logical axis {@code permutation()[i]} (a copy). */
  int[] permutation() {
    return perm.clone();
  }

  int rank() {
    return perm.length;
  }

  boolean isIdentity() {
    for (int i = 0; i < perm.length; i++) {
      if (perm[i] != i) {
        return false;
      }
    }
    return true;
  }

  /** The logical axis stored at physical axis {@code physical}. */
  int logicalAxis(int physical) {
    return perm[physical];
  }

  /** The physical axis that stores logical axis {@code logical}. */
  int physicalAxis(int logical) {
    for (int i = 0; i < perm.length; i++) {
      if (perm[i] == logical) {
        return i;
      }
    }
    throw new IllegalArgumentException("axis " + logical + " is not in layout " + this);
  }

  /**
   * The layout of an IR Transpose's output when its input is stored in this layout and the physical tensor is reused
   * unchanged: output logical axis {@code i} is input logical axis {@code transposePerm[i]}.
   */
  Layout afterTranspose(int[] transposePerm) {
    int[] inverse = new int[transposePerm.length];
    for (int i = 0; i < transposePerm.length; i++) {
      inverse[transposePerm[i]] = i;
    }
    int[] p = new int[perm.length];
    for (int j = 0; j < perm.length; j++) {
      p[j] = inverse[perm[j]];
    }
    return new Layout(p);
  }

  /**
   * The inverse of {@link #afterTranspose}: the layout of an IR Transpose's input that stores the same physical tensor
   * as this layout of its output. Physical axis {@code i} then holds input axis {@code transposePerm[perm[i]]}.
   */
  Layout beforeTranspose(int[] transposePerm) {
    int[] p = new int[perm.length];
    for (int j = 0; j < perm.length; j++) {
      p[j] = transposePerm[perm[j]];
    }
    return new Layout(p);
  }

  /** The TensorFlow Transpose permutation that turns a tensor stored in this layout into one stored in {@code to}. */
  int[] transposeTo(Layout to) {
    int[] t = new int[perm.length];
    for (int i = 0; i < perm.length; i++) {
      t[i] = physicalAxis(to.perm[i]);
    }
    return t;
  }

  /** The physical dimensions of a value with logical dimensions {@code logical}. */
  long[] physicalDims(long[] logical) {
    long[] d = new long[perm.length];
    for (int i = 0; i < perm.length; i++) {
      d[i] = logical[perm[i]];
    }
    return d;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Layout && Arrays.equals(perm, ((Layout) o).perm);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(perm);
  }

  @Override
  public String toString() {
    return "Layout" + Arrays.toString(perm);
  }
}
