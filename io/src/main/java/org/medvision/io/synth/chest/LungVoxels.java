package org.medvision.io.synth.chest;

import java.util.Arrays;

/**
 * The voxels of a scan that are lung, with what lesion placement needs to know of each: its body-frame position
 * (mm), its lobe, its depth below the costal pleura, and how far back it lies ({@code -1} at the front of the cavity,
 * {@code +1} at the back).
 */
final class LungVoxels {
  private static final Lungs.Lobe[] LOBES = Lungs.Lobe.values();

  private final int[] index;
  private final float[] x;
  private final float[] y;
  private final float[] z;
  private final byte[] lobe;
  private final float[] costalDepth;
  private final float[] posterior;
  private int size;

  /** Room for {@code capacity} voxels. */
  LungVoxels(int capacity) {
    index = new int[capacity];
    x = new float[capacity];
    y = new float[capacity];
    z = new float[capacity];
    lobe = new byte[capacity];
    costalDepth = new float[capacity];
    posterior = new float[capacity];
  }

  /** Appends a voxel. */
  void add(int voxel, double px, double py, double pz, Lungs.Lobe l, double depth, double back) {
    index[size] = voxel;
    x[size] = (float) px;
    y[size] = (float) py;
    z[size] = (float) pz;
    lobe[size] = (byte) l.ordinal();
    costalDepth[size] = (float) depth;
    posterior[size] = (float) back;
    size++;
  }

  /** Number of lung voxels. */
  int size() {
    return size;
  }

  /** Flat grid index of lung voxel {@code n}. */
  int index(int n) {
    return index[n];
  }

  double x(int n) {
    return x[n];
  }

  double y(int n) {
    return y[n];
  }

  double z(int n) {
    return z[n];
  }

  Lungs.Lobe lobe(int n) {
    return LOBES[lobe[n]];
  }

  /** Depth below the costal pleura, mm. */
  double costalDepth(int n) {
    return costalDepth[n];
  }

  /** -1 at the front of the cavity, +1 at the back. */
  double posterior(int n) {
    return posterior[n];
  }

  /** Lung voxels per lobe, indexed by {@link Lungs.Lobe#ordinal()}. */
  int[] lobeCounts() {
    int[] counts = new int[LOBES.length];
    for (int n = 0; n < size; n++) {
      counts[lobe[n]]++;
    }
    return counts;
  }

  /** The lowest and highest z of any lung voxel, mm; {0, 0} when there is none. */
  double[] zRange() {
    if (size == 0) {
      return new double[] {0, 0};
    }
    float[] sorted = Arrays.copyOf(z, size);
    Arrays.sort(sorted);
    return new double[] {sorted[0], sorted[size - 1]};
  }
}
