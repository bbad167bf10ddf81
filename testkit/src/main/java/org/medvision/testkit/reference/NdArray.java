package org.medvision.testkit.reference;

import java.util.Arrays;

/** A dense row-major float array with an int shape: the interpreter's working value between nodes. */
final class NdArray {
  final int[] shape;
  final float[] data;

  NdArray(int[] shape, float[] data) {
    if (size(shape) != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " holds " + size(shape) + " elements, data has " + data.length);
    }
    this.shape = shape.clone();
    this.data = data;
  }

  /** A zero-filled array of {@code shape}. */
  static NdArray zeros(int[] shape) {
    return new NdArray(shape, new float[size(shape)]);
  }

  int rank() {
    return shape.length;
  }

  int size() {
    return data.length;
  }

  /** The same data under another shape of equal size; the data is shared, never written after creation. */
  NdArray withShape(int[] newShape) {
    return new NdArray(newShape, data);
  }

  /** Element count of {@code shape}. */
  static int size(int[] shape) {
    return product(shape, 0, shape.length);
  }

  /** Product of {@code shape[from..to)}; 1 for an empty range. */
  static int product(int[] shape, int from, int to) {
    int p = 1;
    for (int i = from; i < to; i++) {
      p = Math.multiplyExact(p, shape[i]);
    }
    return p;
  }

  /** Row-major element strides of {@code shape}. */
  static int[] strides(int[] shape) {
    int[] s = new int[shape.length];
    int step = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      s[i] = step;
      step *= shape[i];
    }
    return s;
  }

  @Override
  public String toString() {
    return "NdArray" + Arrays.toString(shape);
  }
}
