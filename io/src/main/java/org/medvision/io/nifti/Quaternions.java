package org.medvision.io.nifti;

import org.medvision.io.volume.Affine;

/**
 * The NIfTI qform: a rotation stored as the quaternion's (b, c, d), a handedness factor {@code qfac} and the voxel
 * sizes, as defined in the comments of {@code nifti1.h} ("METHOD 2").
 */
final class Quaternions {
  private Quaternions() {}

  /**
   * The qform affine (in NIfTI's RAS world) from the header fields. Per the standard, {@code a = sqrt(1 - b^2 - c^2 -
   * d^2)}; when rounding makes that negative the vector (b, c, d) is renormalised and a = 0 (a 180 degree rotation).
   * Non-positive voxel sizes are taken as 1, as the reference library does.
   */
  static Affine toAffine(double b, double c, double d, double qfac, double dx, double dy, double dz, double[] offset) {
    double a = 1 - (b * b + c * c + d * d);
    if (a < 1e-7) {
      double scale = 1 / Math.sqrt(b * b + c * c + d * d);
      b *= scale;
      c *= scale;
      d *= scale;
      a = 0;
    } else {
      a = Math.sqrt(a);
    }
    double sx = dx > 0 ? dx : 1;
    double sy = dy > 0 ? dy : 1;
    double sz = (dz > 0 ? dz : 1) * (qfac < 0 ? -1 : 1);
    double[][] r = {
      {a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)},
      {2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)},
      {2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b}
    };
    return Affine.ofRows(new double[][] {
      {r[0][0] * sx, r[0][1] * sy, r[0][2] * sz, offset[0]},
      {r[1][0] * sx, r[1][1] * sy, r[1][2] * sz, offset[1]},
      {r[2][0] * sx, r[2][1] * sy, r[2][2] * sz, offset[2]}
    });
  }

  /**
   * The qform fields {b, c, d, qfac} of an affine whose columns are orthogonal: columns are normalised, the third is
   * negated when the determinant is negative (qfac = -1), and the rotation is turned into a unit quaternion with a
   * &ge; 0.
   */
  static double[] fromAffine(Affine affine) {
    double[][] dir = affine.direction();
    double[][] r = new double[3][3];
    for (int col = 0; col < 3; col++) {
      for (int row = 0; row < 3; row++) {
        r[row][col] = dir[col][row];
      }
    }
    double det = r[0][0] * (r[1][1] * r[2][2] - r[1][2] * r[2][1]) - r[0][1] * (r[1][0] * r[2][2] - r[1][2] * r[2][0])
        + r[0][2] * (r[1][0] * r[2][1] - r[1][1] * r[2][0]);
    double qfac = 1;
    if (det < 0) {
      qfac = -1;
      for (int row = 0; row < 3; row++) {
        r[row][2] = -r[row][2];
      }
    }
    double trace = r[0][0] + r[1][1] + r[2][2];
    double a;
    double b;
    double c;
    double d;
    // Pick the largest of the four quaternion components to divide by, for numerical stability.
    if (trace > 0) {
      double s = Math.sqrt(trace + 1) * 2;
      a = 0.25 * s;
      b = (r[2][1] - r[1][2]) / s;
      c = (r[0][2] - r[2][0]) / s;
      d = (r[1][0] - r[0][1]) / s;
    } else if (r[0][0] > r[1][1] && r[0][0] > r[2][2]) {
      double s = Math.sqrt(1 + r[0][0] - r[1][1] - r[2][2]) * 2;
      a = (r[2][1] - r[1][2]) / s;
      b = 0.25 * s;
      c = (r[0][1] + r[1][0]) / s;
      d = (r[0][2] + r[2][0]) / s;
    } else if (r[1][1] > r[2][2]) {
      double s = Math.sqrt(1 + r[1][1] - r[0][0] - r[2][2]) * 2;
      a = (r[0][2] - r[2][0]) / s;
      b = (r[0][1] + r[1][0]) / s;
      c = 0.25 * s;
      d = (r[1][2] + r[2][1]) / s;
    } else {
      double s = Math.sqrt(1 + r[2][2] - r[0][0] - r[1][1]) * 2;
      a = (r[1][0] - r[0][1]) / s;
      b = (r[0][2] + r[2][0]) / s;
      c = (r[1][2] + r[2][1]) / s;
      d = 0.25 * s;
    }
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
    return new double[] {b, c, d, qfac};
  }
}
