package org.medvision.testkit.reference;

import java.util.Arrays;
import org.medvision.api.MedvisionException;

/** Multidirectional (numpy) broadcasting: result shapes and the strides that read an operand in a larger shape. */
final class Broadcasting {
  private Broadcasting() {}

  /** The broadcast shape of {@code a} and {@code b}, aligned at their last axes. */
  static int[] shape(int[] a, int[] b) {
    int r = Math.max(a.length, b.length);
    int[] out = new int[r];
    for (int i = 0; i < r; i++) {
      int da = dimFromEnd(a, r - 1 - i);
      int db = dimFromEnd(b, r - 1 - i);
      if (da != db && da != 1 && db != 1) {
        throw new MedvisionException(
            "shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
      }
      out[i] = da == 1 ? db : da;
    }
    return out;
  }

  /**
   * Strides that read an operand of shape {@code in} at every position of {@code out}: 0 on axes the operand lacks
   * or has as size 1, its own row-major strides elsewhere.
   */
  static int[] strides(int[] in, int[] out) {
    int[] own = NdArray.strides(in);
    int[] s = new int[out.length];
    int shift = out.length - in.length;
    for (int i = shift; i < out.length; i++) {
      s[i] = in[i - shift] == 1 && out[i] != 1 ? 0 : own[i - shift];
    }
    return s;
  }

  private static int dimFromEnd(int[] shape, int fromEnd) {
    int i = shape.length - 1 - fromEnd;
    return i >= 0 ? shape[i] : 1;
  }
}
