package org.medvision.io.synth.cxr;

/**
 * The layers one radiograph is composed of, on one pixel grid, before they are turned into attenuation.
 *
 * <ul>
 *   <li>{@link #lung}: the lung fields, 0 to 1 with a soft edge;</li>
 *   <li>{@link #air}: the air a beam crosses in the normal lungs, cm (less where the heart overlaps them);</li>
 *   <li>{@link #fill}: the share of that air replaced by fluid or tissue (effusion, consolidation, collapse), 0 to 1;
 *       several causes combine as {@code 1 - prod(1 - f)}, so opacities never exceed solid tissue;</li>
 *   <li>{@link #extraAir}: air outside the normal lungs (trachea, stomach, pneumothorax, bullae, a hernia's gas), cm;</li>
 *   <li>{@link #tissue}: bone and soft tissue the beam crosses besides the body: ribs, clavicles, spine, masses;</li>
 *   <li>{@link #markings}: lung vessels and interstitial lines, shown only inside the lung fields and not where
 *       {@link #clear} says the lung has fallen away.</li>
 * </ul>
 * {@link #attenuation} sums them: body depth minus air plus tissue.
 */
final class Scene {
  final Thorax thorax;
  final int size;
  final Film tissue;
  final Film markings;
  final float[] lung;
  final float[] air;
  final float[] fill;
  final Film extraAir;
  final float[] clear;
  final float[] body;

  /** Lays out the normal chest of {@code thorax} on a {@code size x size} grid. */
  Scene(Thorax thorax, int size) {
    this.thorax = thorax;
    this.size = size;
    tissue = new Film(size, thorax.fov);
    markings = new Film(size, thorax.fov);
    int n = size * size;
    lung = new float[n];
    air = new float[n];
    fill = new float[n];
    extraAir = new Film(size, thorax.fov);
    clear = new float[n];
    body = new float[n];
    for (int j = 0; j < size; j++) {
      double y = y(j);
      double half = thorax.bodyHalfWidth(y);
      for (int i = 0; i < size; i++) {
        double x = x(i);
        int k = j * size + i;
        double u = (x - thorax.cx) / half;
        double edge = Sampling.smoothstep(-1.02, -0.96, -Math.abs(u));
        body[k] = (float) (thorax.bodyDepth * Math.sqrt(Math.max(0, 1 - u * u * 0.92)) * edge);
        double d = thorax.lungDistance(x, y);
        if (d > -0.5) {
          lung[k] = (float) Sampling.smoothstep(-0.15, 0.25, d);
          double profile = Math.sqrt(Sampling.smoothstep(-0.15, 3.5, d));
          air[k] = (float) (thorax.airDepth(y) * profile * (1 - 0.95 * thorax.heart(x, y)));
        }
      }
    }
  }

  /** The x in cm of pixel column {@code i}'s centre. */
  double x(int i) {
    return tissue.centre(i);
  }

  /** The y in cm of pixel row {@code j}'s centre. */
  double y(int j) {
    return tissue.centre(j);
  }

  /** Centimetres per pixel. */
  double cmPerPixel() {
    return tissue.cmPerPixel();
  }

  /** Adds an opacity replacing share {@code f} of the air at pixel {@code k}. */
  void fill(int k, double f) {
    if (f > 0) {
      fill[k] = (float) (1 - (1 - fill[k]) * (1 - Math.min(1, f)));
    }
  }

  /** Marks pixel {@code k} as lung fallen away by share {@code f}: no markings there. */
  void clear(int k, double f) {
    clear[k] = (float) Math.max(clear[k], Math.min(1, f));
  }

  /** Projected attenuation, cm of soft-tissue equivalent, row-major. */
  float[] attenuation() {
    float[] a = new float[size * size];
    float[] t = tissue.values();
    float[] m = markings.values();
    float[] e = extraAir.values();
    for (int k = 0; k < a.length; k++) {
      double lungAir = 0.9 * air[k] * (1 - fill[k]);
      double marks = m[k] * lung[k] * (1 - clear[k]) * (1 - fill[k]);
      a[k] = (float) Math.max(0, body[k] - lungAir - e[k] + t[k] + marks);
    }
    return a;
  }
}
