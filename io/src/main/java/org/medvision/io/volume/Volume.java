package org.medvision.io.volume;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import org.medvision.api.MedvisionException;

/**
 * An immutable image volume: float voxels on a regular grid with a voxel-to-world (LPS, millimetres) affine.
 *
 * <p>Voxels are stored x fastest, then y, then z, then any extra dimensions (time, components: NIfTI's dims 4 to 7),
 * so voxel {@code (x, y, z, f)} is at {@code x + nx * (y + ny * (z + nz * f))}, where {@code f} is the flat index over
 * the extra dimensions. The affine applies to the three spatial axes; every 3D frame shares it. Index {@code (i, j,
 * k)} is the centre of a voxel. The voxel array is never modified after construction, so volumes can share it.
 */
public final class Volume {
  /** The most voxels one volume may hold (a Java array limit). */
  public static final long MAX_VOXELS = Integer.MAX_VALUE - 8L;

  private final int[] dims;
  private final float[] voxels;
  private final Affine affine;

  private Volume(int[] dims, float[] voxels, Affine affine) {
    if (dims.length < 3 || dims.length > 7) {
      throw new MedvisionException("a volume has 3 to 7 dimensions, got " + Arrays.toString(dims));
    }
    long count = 1;
    for (int d : dims) {
      if (d < 1) {
        throw new MedvisionException("volume dimensions must be positive, got " + Arrays.toString(dims));
      }
      count *= d;
      if (count > MAX_VOXELS) {
        throw new MedvisionException("volume of " + Arrays.toString(dims) + " exceeds " + MAX_VOXELS + " voxels");
      }
    }
    if (count != voxels.length) {
      throw new MedvisionException("volume dimensions " + Arrays.toString(dims) + " need " + count
          + " voxels, got " + voxels.length);
    }
    this.dims = dims;
    this.voxels = voxels;
    this.affine = affine;
  }

  /**
   * A volume that takes ownership of {@code voxels}: the caller must not modify the array afterwards. Use this to
   * avoid a copy of a freshly filled array.
   *
   * @param dims nx, ny, nz and up to four extra dimensions, each at least 1
   * @throws MedvisionException if the array length is not the product of the dimensions
   */
  public static Volume adopt(int[] dims, float[] voxels, Affine affine) {
    return new Volume(dims.clone(), voxels, affine);
  }

  /** A volume holding a copy of {@code voxels}; see {@link #adopt} for the contract on the arguments. */
  public static Volume copyOf(int[] dims, float[] voxels, Affine affine) {
    return new Volume(dims.clone(), voxels.clone(), affine);
  }

  /** All dimensions: nx, ny, nz and any extra ones. */
  public int[] dims() {
    return dims.clone();
  }

  /** Voxels along x (the fastest axis; DICOM columns). */
  public int nx() {
    return dims[0];
  }

  /** Voxels along y (DICOM rows). */
  public int ny() {
    return dims[1];
  }

  /** Voxels along z (slices). */
  public int nz() {
    return dims[2];
  }

  /** Number of 3D frames: the product of the dimensions after the third (1 for a plain 3D volume). */
  public int frames() {
    int f = 1;
    for (int i = 3; i < dims.length; i++) {
      f *= dims[i];
    }
    return f;
  }

  /** Voxels in one 3D frame, {@code nx * ny * nz}. */
  public int frameSize() {
    return dims[0] * dims[1] * dims[2];
  }

  /** Total number of voxels. */
  public int size() {
    return voxels.length;
  }

  /** The voxel at {@code (x, y, z)} of the first frame. */
  public float get(int x, int y, int z) {
    return get(x, y, z, 0);
  }

  /**
   * The voxel at {@code (x, y, z)} of 3D frame {@code frame}.
   *
   * @throws IndexOutOfBoundsException for an index outside the volume
   */
  public float get(int x, int y, int z, int frame) {
    if (x < 0 || x >= dims[0] || y < 0 || y >= dims[1] || z < 0 || z >= dims[2] || frame < 0 || frame >= frames()) {
      throw new IndexOutOfBoundsException("voxel (" + x + ", " + y + ", " + z + ", frame " + frame
          + ") is outside volume " + Arrays.toString(dims));
    }
    return voxels[x + dims[0] * (y + dims[1] * (z + dims[2] * frame))];
  }

  /** A read-only view of all voxels in storage order (no copy). */
  public FloatBuffer voxels() {
    return FloatBuffer.wrap(voxels).asReadOnlyBuffer();
  }

  /** A copy of all voxels in storage order. */
  public float[] toArray() {
    return voxels.clone();
  }

  /** The voxel-to-world (LPS) affine. */
  public Affine affine() {
    return affine;
  }

  /** Voxel spacing in millimetres along x, y and z. */
  public double[] spacing() {
    return affine.spacing();
  }

  /** Direction cosines of the x, y and z index axes in LPS ({@code direction()[axis]}). */
  public double[][] direction() {
    return affine.direction();
  }

  /** World (LPS) position of the centre of voxel (0, 0, 0). */
  public double[] origin() {
    return affine.origin();
  }

  /** World (LPS) position of the possibly fractional voxel index {@code (i, j, k)}. */
  public double[] voxelToWorld(double i, double j, double k) {
    return affine.apply(i, j, k);
  }

  /** Continuous voxel index of the world (LPS) point {@code (x, y, z)}; the inverse of {@link #voxelToWorld}. */
  public double[] worldToVoxel(double x, double y, double z) {
    return affine.inverse().apply(x, y, z);
  }

  /** The same voxels (shared, never modified) with another affine. */
  public Volume withAffine(Affine newAffine) {
    return new Volume(dims, voxels, newAffine);
  }

  /** A new volume with {@code f} applied to every voxel; geometry unchanged. */
  public Volume map(DoubleUnaryOperator f) {
    float[] out = new float[voxels.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) f.applyAsDouble(voxels[i]);
    }
    return new Volume(dims, out, affine);
  }

  /**
   * The 3D frame {@code frame} as its own volume (a copy).
   *
   * @throws IndexOutOfBoundsException for a frame outside {@code 0 .. frames() - 1}
   */
  public Volume frame(int frame) {
    if (frame < 0 || frame >= frames()) {
      throw new IndexOutOfBoundsException("frame " + frame + " of volume " + Arrays.toString(dims));
    }
    int n = frameSize();
    return new Volume(new int[] {dims[0], dims[1], dims[2]}, Arrays.copyOfRange(voxels, frame * n, (frame + 1) * n),
        affine);
  }

  /** Dimensions and geometry, e.g. {@code Volume[256x256x20, spacing 0.86x0.86x7.07 mm, affine ...]}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Volume[");
    for (int i = 0; i < dims.length; i++) {
      sb.append(i == 0 ? "" : "x").append(dims[i]);
    }
    return sb.append(", affine ").append(affine).append(']').toString();
  }
}
