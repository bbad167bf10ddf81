package org.medvision.api.tensor;

import java.util.Arrays;
import org.medvision.api.MedvisionException;

/**
 * An immutable tensor shape. A dimension of {@code -1} is unknown until run time (typically the batch); shapes of
 * host tensors are always fully known.
 */
public final class Shape {
  /** The marker for a dimension that is only known at run time. */
  public static final long DYNAMIC = -1;

  private final long[] dims;

  private Shape(long[] dims) {
    for (long d : dims) {
      if (d < DYNAMIC) {
        throw new MedvisionException("invalid dimension " + d + " in shape " + Arrays.toString(dims));
      }
    }
    this.dims = dims;
  }

  /** A shape with the given dimensions; {@code -1} marks a dynamic dimension. */
  public static Shape of(long... dims) {
    return new Shape(dims.clone());
  }

  /** A shape from int dimensions. */
  public static Shape of(int... dims) {
    return new Shape(Arrays.stream(dims).asLongStream().toArray());
  }

  /** The scalar shape {@code []}. */
  public static Shape scalar() {
    return new Shape(new long[0]);
  }

  /** Number of dimensions. */
  public int rank() {
    return dims.length;
  }

  /** Dimension {@code axis}; negative axes count from the end. */
  public long dim(int axis) {
    return dims[normalizeAxis(axis)];
  }

  /** A copy of the dimensions. */
  public long[] dims() {
    return dims.clone();
  }

  /** The dimensions as ints, for host arrays. */
  public int[] intDims() {
    int[] out = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      out[i] = Math.toIntExact(dims[i]);
    }
    return out;
  }

  /** True when no dimension is {@link #DYNAMIC}. */
  public boolean isFullyKnown() {
    for (long d : dims) {
      if (d == DYNAMIC) {
        return false;
      }
    }
    return true;
  }

  /**
   * Number of elements.
   *
   * @throws MedvisionException if a dimension is dynamic
   */
  public long size() {
    long n = 1;
    for (long d : dims) {
      if (d == DYNAMIC) {
        throw new MedvisionException("shape " + this + " has a dynamic dimension, so it has no element count");
      }
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** Maps a possibly negative axis to {@code [0, rank)}, or fails naming the axis and the shape. */
  public int normalizeAxis(int axis) {
    int a = axis < 0 ? axis + dims.length : axis;
    if (a < 0 || a >= dims.length) {
      throw new MedvisionException("axis " + axis + " is out of range for shape " + this);
    }
    return a;
  }

  /** This shape with dimension {@code axis} replaced. */
  public Shape withDim(int axis, long value) {
    long[] d = dims.clone();
    d[normalizeAxis(axis)] = value;
    return new Shape(d);
  }

  /** True when the shapes agree, treating a dynamic dimension on either side as a match. */
  public boolean isCompatibleWith(Shape other) {
    if (other.rank() != rank()) {
      return false;
    }
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] != DYNAMIC && other.dims[i] != DYNAMIC && dims[i] != other.dims[i]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape && Arrays.equals(dims, ((Shape) o).dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  /** Renders as {@code [N, 3, 224, 224]} with {@code N} for a dynamic dimension. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < dims.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(dims[i] == DYNAMIC ? "N" : Long.toString(dims[i]));
    }
    return sb.append(']').toString();
  }
}
