package org.medvision.io.synth.cxr;

/**
 * A square grid of projected attenuation (line integrals, in centimetres of soft-tissue equivalent) over the film, in
 * centimetres from its top-left corner. Structures add their projection: a rod or a sphere of tissue adds its chord
 * length, so edges fade in as on a radiograph. Pixel {@code (i, j)} covers
 * {@code [i, i + 1) x [j, j + 1)} times {@link #cmPerPixel()}; values are sampled at pixel centres.
 */
final class Film {
  private final int size;
  private final double cmPerPixel;
  private final float[] values;

  /** An empty film of {@code size x size} pixels covering {@code fieldOfViewCm} on each side. */
  Film(int size, double fieldOfViewCm) {
    this.size = size;
    this.cmPerPixel = fieldOfViewCm / size;
    this.values = new float[size * size];
  }

  int size() {
    return size;
  }

  double cmPerPixel() {
    return cmPerPixel;
  }

  /** The x (or y) in cm of pixel column (row) {@code i}'s centre. */
  double centre(int i) {
    return (i + 0.5) * cmPerPixel;
  }

  float get(int x, int y) {
    return values[y * size + x];
  }

  void add(int x, int y, double amount) {
    values[y * size + x] += (float) amount;
  }

  /** The values, row-major (shared, not copied). */
  float[] values() {
    return values;
  }

  /**
   * Adds a rod of radius {@code r} cm from {@code (x0, y0)} to {@code (x1, y1)} with rounded ends: {@code density}
   * times the chord through the rod, {@code 2 sqrt(r^2 - d^2)} at distance {@code d} from its axis.
   */
  void rod(double x0, double y0, double x1, double y1, double r, double density) {
    polyline(new double[] {x0, x1}, new double[] {y0, y1}, r, density);
  }

  /**
   * Adds a rod of radius {@code r} cm along the polyline through {@code xs[i], ys[i]}, as {@link #rod} does for one
   * segment but counting each pixel once, by its distance to the nearest segment, so joints do not show.
   */
  void polyline(double[] xs, double[] ys, double r, double density) {
    double minX = Double.MAX_VALUE;
    double minY = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    for (int i = 0; i < xs.length; i++) {
      minX = Math.min(minX, xs[i]);
      maxX = Math.max(maxX, xs[i]);
      minY = Math.min(minY, ys[i]);
      maxY = Math.max(maxY, ys[i]);
    }
    int[] box = box(minX - r, minY - r, maxX + r, maxY + r);
    for (int j = box[1]; j < box[3]; j++) {
      double py = centre(j);
      for (int i = box[0]; i < box[2]; i++) {
        double px = centre(i);
        double best = Double.MAX_VALUE;
        for (int s = 0; s + 1 < xs.length; s++) {
          best = Math.min(best, distance2(px, py, xs[s], ys[s], xs[s + 1], ys[s + 1]));
        }
        if (best < r * r) {
          add(i, j, density * 2 * Math.sqrt(r * r - best));
        }
      }
    }
  }

  /** Squared distance from {@code (px, py)} to the segment {@code (x0, y0)-(x1, y1)}. */
  static double distance2(double px, double py, double x0, double y0, double x1, double y1) {
    double dx = x1 - x0;
    double dy = y1 - y0;
    double len2 = dx * dx + dy * dy;
    double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / len2));
    double ex = px - (x0 + t * dx);
    double ey = py - (y0 + t * dy);
    return ex * ex + ey * ey;
  }

  /** Adds a sphere of radius {@code r} cm at {@code (cx, cy)}: {@code density} times its chord. */
  void sphere(double cx, double cy, double r, double density) {
    ellipsoid(cx, cy, r, r, r, density);
  }

  /**
   * Adds an ellipsoid with half-axes {@code rx}, {@code ry} in the film and {@code depth} through it: {@code density}
   * times its chord, {@code 2 depth sqrt(1 - u^2)} at normalised radius {@code u}.
   */
  void ellipsoid(double cx, double cy, double rx, double ry, double depth, double density) {
    int[] box = box(cx - rx, cy - ry, cx + rx, cy + ry);
    for (int j = box[1]; j < box[3]; j++) {
      double v = (centre(j) - cy) / ry;
      for (int i = box[0]; i < box[2]; i++) {
        double u = (centre(i) - cx) / rx;
        double q = 1 - u * u - v * v;
        if (q > 0) {
          add(i, j, density * 2 * depth * Math.sqrt(q));
        }
      }
    }
  }

  /** Adds a Gaussian blob: {@code amount} at its centre, standard deviations {@code sx}, {@code sy} cm. */
  void gaussian(double cx, double cy, double sx, double sy, double amount) {
    int[] box = box(cx - 3 * sx, cy - 3 * sy, cx + 3 * sx, cy + 3 * sy);
    for (int j = box[1]; j < box[3]; j++) {
      double v = (centre(j) - cy) / sy;
      for (int i = box[0]; i < box[2]; i++) {
        double u = (centre(i) - cx) / sx;
        add(i, j, amount * Math.exp(-0.5 * (u * u + v * v)));
      }
    }
  }

  /** Multiplies every pixel by {@code mask}'s value there (both row-major, same size). */
  void multiply(float[] mask) {
    for (int k = 0; k < values.length; k++) {
      values[k] *= mask[k];
    }
  }

  /** The pixel bounds {@code [x0, y0, x1, y1)} covering the cm box, clipped to the film. */
  int[] box(double x0, double y0, double x1, double y1) {
    return new int[] {clip((int) Math.floor(x0 / cmPerPixel)), clip((int) Math.floor(y0 / cmPerPixel)),
        clip((int) Math.ceil(x1 / cmPerPixel) + 1), clip((int) Math.ceil(y1 / cmPerPixel) + 1)};
  }

  private int clip(int i) {
    return Math.max(0, Math.min(size, i));
  }
}
