package org.medvision.io.volume;

import java.util.Arrays;
import org.medvision.api.MedvisionException;

/** Small 3-vector helpers shared by the geometry code of this package. */
final class Vectors {
  private Vectors() {}

  static double dot(double[] a, double[] b) {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  }

  static double norm(double[] a) {
    return Math.sqrt(dot(a, a));
  }

  static double[] cross(double[] a, double[] b) {
    return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
  }

  static double[] minus(double[] a, double[] b) {
    return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
  }

  static double[] scale(double[] a, double s) {
    return new double[] {a[0] * s, a[1] * s, a[2] * s};
  }

  static double[] unit(double[] a, String what) {
    if (a.length != 3) {
      throw new MedvisionException(what + " needs 3 values, got " + Arrays.toString(a));
    }
    double n = norm(a);
    if (!(n > 0) || !Double.isFinite(n)) {
      throw new MedvisionException(what + " has no direction: " + Arrays.toString(a));
    }
    return scale(a, 1 / n);
  }
}
