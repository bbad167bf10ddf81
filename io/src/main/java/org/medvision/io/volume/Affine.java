package org.medvision.io.volume;

import java.util.Arrays;
import java.util.Locale;
import org.medvision.api.MedvisionException;

/**
 * An immutable 4x4 affine map from voxel indices to world coordinates: {@code world = M * [i, j, k, 1]}, with the
 * last row {@code [0, 0, 0, 1]}.
 *
 * <p>Column {@code c} (for c &lt; 3) is the world step of one voxel along index axis {@code c}: its length is the
 * spacing and its direction the axis's direction cosine. Column 3 is the world position of voxel {@code (0, 0, 0)}
 * (the origin). Columns need not be orthogonal: a gantry-tilted CT series has a sheared third column.
 */
public final class Affine {
  private static final Affine IDENTITY = new Affine(new double[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0});

  /** The first three rows, row-major: m[4 * r + c]. */
  private final double[] m;

  private Affine(double[] m) {
    for (double v : m) {
      if (!Double.isFinite(v)) {
        throw new MedvisionException("an affine needs finite entries, got " + Arrays.toString(m));
      }
    }
    this.m = m;
  }

  /** The identity: voxel index equals world position in millimetres. */
  public static Affine identity() {
    return IDENTITY;
  }

  /**
   * An affine from its first three rows ({@code rows[r][c]}, r &lt; 3, c &lt; 4); the fourth row is implied.
   *
   * @throws MedvisionException if the array is not 3x4 (or 4x4 with last row 0 0 0 1) or holds a non-finite value
   */
  public static Affine ofRows(double[][] rows) {
    if ((rows.length != 3 && rows.length != 4) || rows[0].length != 4 || rows[1].length != 4 || rows[2].length != 4) {
      throw new MedvisionException("an affine needs 3 or 4 rows of 4 values, got " + Arrays.deepToString(rows));
    }
    if (rows.length == 4 && (rows[3].length != 4 || rows[3][0] != 0 || rows[3][1] != 0 || rows[3][2] != 0
        || rows[3][3] != 1)) {
      throw new MedvisionException("the last row of an affine must be 0 0 0 1, got " + Arrays.toString(rows[3]));
    }
    double[] m = new double[12];
    for (int r = 0; r < 3; r++) {
      System.arraycopy(rows[r], 0, m, 4 * r, 4);
    }
    return new Affine(m);
  }

  /**
   * The affine of a grid with the given spacing, axis directions and origin: column {@code c} is
   * {@code spacing[c] * directions[c]}.
   *
   * @param spacing voxel size along each index axis, positive
   * @param directions {@code directions[c]} is the world direction (3 values, normalised here) of index axis c
   * @param origin world position of voxel (0, 0, 0)
   * @throws MedvisionException for a non-positive spacing, a zero direction or wrong array lengths
   */
  public static Affine of(double[] spacing, double[][] directions, double[] origin) {
    if (spacing.length != 3 || directions.length != 3 || origin.length != 3) {
      throw new MedvisionException("an affine needs 3 spacings, 3 directions and a 3-value origin");
    }
    double[] m = new double[12];
    for (int c = 0; c < 3; c++) {
      if (!(spacing[c] > 0)) {
        throw new MedvisionException("spacing must be positive, got " + Arrays.toString(spacing));
      }
      double[] unit = Vectors.unit(directions[c], "direction of axis " + c);
      for (int r = 0; r < 3; r++) {
        m[4 * r + c] = spacing[c] * unit[r];
      }
    }
    for (int r = 0; r < 3; r++) {
      m[4 * r + 3] = origin[r];
    }
    return new Affine(m);
  }

  /** A diagonal affine: spacing along x, y, z and the origin; directions are the world axes. */
  public static Affine diagonal(double sx, double sy, double sz, double ox, double oy, double oz) {
    return new Affine(new double[] {sx, 0, 0, ox, 0, sy, 0, oy, 0, 0, sz, oz});
  }

  /** Entry at row {@code r} (0..3) and column {@code c} (0..3). */
  public double get(int r, int c) {
    if (r == 3) {
      return c == 3 ? 1 : 0;
    }
    return m[4 * r + c];
  }

  /** All 16 entries, row-major. */
  public double[] toArray() {
    double[] out = new double[16];
    System.arraycopy(m, 0, out, 0, 12);
    out[15] = 1;
    return out;
  }

  /** Column {@code c} (0..3) as a 3-vector: the step of index axis c, or the origin for c = 3. */
  public double[] column(int c) {
    return new double[] {m[c], m[4 + c], m[8 + c]};
  }

  /** Voxel spacing along each index axis: the lengths of the first three columns. */
  public double[] spacing() {
    return new double[] {Vectors.norm(column(0)), Vectors.norm(column(1)), Vectors.norm(column(2))};
  }

  /** Direction cosines: {@code direction()[c]} is the unit world direction of index axis c. */
  public double[][] direction() {
    double[][] d = new double[3][];
    for (int c = 0; c < 3; c++) {
      d[c] = Vectors.unit(column(c), "column " + c + " of the affine");
    }
    return d;
  }

  /** World position of voxel (0, 0, 0). */
  public double[] origin() {
    return column(3);
  }

  /** World position of the (possibly fractional) voxel index {@code (i, j, k)}. */
  public double[] apply(double i, double j, double k) {
    return new double[] {
      m[0] * i + m[1] * j + m[2] * k + m[3],
      m[4] * i + m[5] * j + m[6] * k + m[7],
      m[8] * i + m[9] * j + m[10] * k + m[11]
    };
  }

  /** The composition {@code this * other}: first {@code other}, then this. */
  public Affine multiply(Affine other) {
    double[] out = new double[12];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 4; c++) {
        double s = c == 3 ? m[4 * r + 3] : 0;
        for (int k = 0; k < 3; k++) {
          s += m[4 * r + k] * other.m[4 * k + c];
        }
        out[4 * r + c] = s;
      }
    }
    return new Affine(out);
  }

  /**
   * The inverse map, world to voxel index.
   *
   * @throws MedvisionException if the 3x3 part is singular
   */
  public Affine inverse() {
    double a = m[0];
    double b = m[1];
    double c = m[2];
    double d = m[4];
    double e = m[5];
    double f = m[6];
    double g = m[8];
    double h = m[9];
    double i = m[10];
    double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
    double scale = Math.max(Math.max(Math.abs(a) + Math.abs(b) + Math.abs(c), Math.abs(d) + Math.abs(e)
        + Math.abs(f)), Math.abs(g) + Math.abs(h) + Math.abs(i));
    if (!(Math.abs(det) > 1e-12 * scale * scale * scale)) {
      throw new MedvisionException("the affine is singular and has no inverse: " + this);
    }
    double[] inv = new double[12];
    inv[0] = (e * i - f * h) / det;
    inv[1] = (c * h - b * i) / det;
    inv[2] = (b * f - c * e) / det;
    inv[4] = (f * g - d * i) / det;
    inv[5] = (a * i - c * g) / det;
    inv[6] = (c * d - a * f) / det;
    inv[8] = (d * h - e * g) / det;
    inv[9] = (b * g - a * h) / det;
    inv[10] = (a * e - b * d) / det;
    for (int r = 0; r < 3; r++) {
      inv[4 * r + 3] = -(inv[4 * r] * m[3] + inv[4 * r + 1] * m[7] + inv[4 * r + 2] * m[11]);
    }
    return new Affine(inv);
  }

  /**
   * This affine with world x and y negated: LPS to RAS or back (the two differ only in the sign of x and y).
   */
  public Affine flipXy() {
    double[] out = m.clone();
    for (int c = 0; c < 4; c++) {
      out[c] = -out[c];
      out[4 + c] = -out[4 + c];
    }
    return new Affine(out);
  }

  /** The same axes and spacing with voxel (0, 0, 0) moved to {@code origin}. */
  public Affine withOrigin(double[] origin) {
    double[] out = m.clone();
    out[3] = origin[0];
    out[7] = origin[1];
    out[11] = origin[2];
    return new Affine(out);
  }

  /** The largest absolute difference between corresponding entries of the two affines. */
  public double maxAbsDifference(Affine other) {
    double worst = 0;
    for (int i = 0; i < 12; i++) {
      worst = Math.max(worst, Math.abs(m[i] - other.m[i]));
    }
    return worst;
  }

  /** True when every column is orthogonal to the others within {@code tolerance} (cosine of the angle). */
  public boolean isOrthogonal(double tolerance) {
    double[][] d = direction();
    return Math.abs(Vectors.dot(d[0], d[1])) <= tolerance && Math.abs(Vectors.dot(d[0], d[2])) <= tolerance
        && Math.abs(Vectors.dot(d[1], d[2])) <= tolerance;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Affine && Arrays.equals(m, ((Affine) o).m);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(m);
  }

  /** The three rows, e.g. {@code [[0.5, 0, 0, -10], [0, 0.5, 0, 20], [0, 0, 2, 3]]}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int r = 0; r < 3; r++) {
      sb.append(r == 0 ? "[" : ", [");
      for (int c = 0; c < 4; c++) {
        sb.append(c == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6g", m[4 * r + c]));
      }
      sb.append(']');
    }
    return sb.append(']').toString();
  }
}
