package org.medvision.testkit.reference;

/**
 * Walks every position of an N-d shape in row-major order while tracking the flat offset of that position in one or
 * more operands with their own strides. A stride of 0 repeats an operand along that axis, which is how broadcasting
 * and transposition are expressed without copying.
 */
final class StridedIndex {
  private final int[] shape;
  private final int[][] strides;
  private final int[] counter;
  private final int[] offsets;

  /**
   * Starts at position 0 of {@code shape}.
   *
   * @param strides one stride array per operand, each of the shape's rank
   */
  StridedIndex(int[] shape, int[]... strides) {
    for (int[] s : strides) {
      if (s.length != shape.length) {
        throw new IllegalArgumentException("stride rank " + s.length + " differs from shape rank " + shape.length);
      }
    }
    this.shape = shape.clone();
    this.strides = strides.clone();
    this.counter = new int[shape.length];
    this.offsets = new int[strides.length];
  }

  /** The flat offset of the current position in operand {@code k}. */
  int offset(int k) {
    return offsets[k];
  }

  /** Moves to the next position; after the last one the index wraps to position 0. */
  void next() {
    for (int axis = shape.length - 1; axis >= 0; axis--) {
      if (++counter[axis] < shape[axis]) {
        for (int k = 0; k < offsets.length; k++) {
          offsets[k] += strides[k][axis];
        }
        return;
      }
      counter[axis] = 0;
      for (int k = 0; k < offsets.length; k++) {
        offsets[k] -= strides[k][axis] * (shape[axis] - 1);
      }
    }
  }
}
