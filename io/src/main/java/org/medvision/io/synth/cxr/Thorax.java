package org.medvision.io.synth.cxr;

import java.util.SplittableRandom;

/**
 * The geometry of one frontal chest radiograph, in centimetres on the film (x to the image's right, which is the
 * patient's left; y down): the rib cage, the lungs' outlines, the hemidiaphragms, the mediastinum and the heart.
 *
 * <p>Sides are numbered as they appear: side 0 is the image's left (the patient's right lung), side 1 the image's
 * right. A lung is bounded laterally by the inner rib cage ({@link #ribHalfWidth}), which narrows to the mediastinum
 * at the apex so the apex is rounded; medially by the mediastinum ({@link #mediastinumHalfWidth}, with the aortic knob
 * on side 1); and below by its hemidiaphragm, a parabola whose lateral end is the costophrenic angle. The heart is an
 * ellipse sitting on the diaphragm, {@link #heartRight} to the image's left of the midline and {@link #heartLeft} to
 * its right; its widest point lies above the domes, so the cardiothoracic ratio is {@link #cardiothoracicRatio}.
 */
final class Thorax {
  /** How findings change the anatomy before it is drawn; each finding adds its part. */
  static final class Changes {
    /** The cardiothoracic ratio to draw instead of the patient's normal one, or NaN. */
    double cardiothoracicRatio = Double.NaN;
    /** Factor on the patient's normal heart width (a narrow heart in emphysema). */
    double heartScale = 1;
    /** Shift of each hemidiaphragm, cm, positive downward (emphysema) and negative upward (volume loss). */
    final double[] domeShift = new double[2];
    /** Whether the hemidiaphragms are flattened. */
    boolean flatDomes;
    /** Shift of the mediastinum toward the image's right, cm. */
    double mediastinalShift;
    /** Factor on the lungs' air depth (hyperinflation above 1). */
    double airScale = 1;
    /** Added half-width of the rib cage, cm (a barrel chest). */
    double barrel;
    /** Factor on the calibre of the lung vessels. */
    double vesselScale = 1;
  }

  /** Normal cardiothoracic ratios are drawn from this range. */
  static final double NORMAL_CTR_MIN = 0.38;
  /** Upper end of normal cardiothoracic ratios. */
  static final double NORMAL_CTR_MAX = 0.47;

  final double fov;
  final double cx;
  final double r;
  final double apexY;
  final double lungHeight;
  final double[] domeY = new double[2];
  final double[] domeHeight = new double[2];
  final double mediastinum;
  final double shift;
  final double heartRight;
  final double heartLeft;
  final double heartCx;
  final double heartCy;
  final double heartMajor;
  final double heartMinor;
  final double heartTilt;
  final double bodyHalf;
  final double neckHalf;
  final double shoulderY;
  final double bodyDepth;
  final double airScale;
  final double clavicleY;
  final boolean ap;
  final boolean female;

  private Thorax(SplittableRandom patient, SplittableRandom image, boolean ap, boolean female, Changes c) {
    this.ap = ap;
    this.female = female;
    // The patient's build, fixed over follow-ups.
    double ribs = Sampling.normal(patient, female ? 12.9 : 13.8, 0.8);
    double height = Sampling.normal(patient, female ? 20.5 : 21.8, 1.1);
    double fat = Sampling.uniform(patient, 2.0, 5.0);
    double depth = Sampling.normal(patient, 21, 1.8);
    double ctr = Sampling.uniform(patient, NORMAL_CTR_MIN, NORMAL_CTR_MAX);
    double neck = Sampling.normal(patient, female ? 4.8 : 5.5, 0.4);
    double med = Sampling.normal(patient, 2.9, 0.25);
    // Positioning, inspiration and magnification, new for every image.
    fov = Sampling.uniform(image, 38.5, 42.5);
    cx = fov / 2 + Sampling.normal(image, 0, 0.6);
    double inspiration = ap ? Sampling.uniform(image, 0.88, 0.97) : Sampling.uniform(image, 0.96, 1.04);
    double magnification = ap ? 1.05 : 1.0;
    r = (ribs + c.barrel) * magnification;
    apexY = Sampling.normal(image, ap ? 5.6 : 5.0, 0.5);
    lungHeight = height * inspiration;
    domeY[0] = apexY + lungHeight + c.domeShift[0];
    domeY[1] = apexY + lungHeight + Sampling.uniform(image, 0.8, 2.2) + c.domeShift[1];
    for (int s = 0; s < 2; s++) {
      domeHeight[s] = c.flatDomes ? Sampling.uniform(image, 0.5, 1.0) : Sampling.uniform(image, 2.6, 3.8);
    }
    mediastinum = med * (ap ? 1.15 : 1.0);
    shift = c.mediastinalShift;
    double ratio = Double.isNaN(c.cardiothoracicRatio) ? ctr * c.heartScale : c.cardiothoracicRatio;
    double width = ratio * 2 * r;
    heartRight = 0.36 * width;
    heartLeft = 0.64 * width;
    // An ellipse tilted down toward the apex; its axes follow from the width it must span horizontally.
    heartTilt = Math.toRadians(Sampling.uniform(patient, 30, 42));
    double cos = Math.cos(heartTilt);
    double sin = Math.sin(heartTilt);
    double halfWidth = width / 2;
    heartMajor = halfWidth / Math.sqrt(cos * cos + 0.52 * sin * sin);
    heartMinor = 0.72 * heartMajor;
    heartCx = cx + shift + (heartLeft - heartRight) / 2;
    // The widest points of the tilted ellipse lie off its centre, the image-right one lower and the image-left one
    // higher; keep both 0.8 cm above their hemidiaphragm so the heart shows its full width.
    double drop = (heartMajor * heartMajor - heartMinor * heartMinor) * sin * cos / halfWidth;
    heartCy = Math.min(domeAt(1, cx + shift + heartLeft) - 0.8 - drop, domeAt(0, cx + shift - heartRight) - 0.8 + drop);
    bodyHalf = r + fat;
    neckHalf = neck;
    shoulderY = apexY - Sampling.uniform(image, 0.5, 2.0);
    bodyDepth = depth;
    airScale = c.airScale;
    clavicleY = apexY + (ap ? Sampling.uniform(image, -2.2, -1.0) : Sampling.uniform(image, 0.0, 1.2));
  }

  /**
   * Draws a thorax: the patient's build from {@code patient}, positioning and inspiration from {@code image}, then
   * {@code changes}.
   */
  static Thorax draw(SplittableRandom patient, SplittableRandom image, boolean ap, boolean female, Changes changes) {
    return new Thorax(patient, image, ap, female, changes);
  }

  /** -1 for side 0 (the image's left), +1 for side 1. */
  static int sign(int side) {
    return side == 0 ? -1 : 1;
  }

  /** The midline of the mediastinum (shifted by volume loss or gain). */
  double midline() {
    return cx + shift;
  }

  /** The side of the image {@code x} is on. */
  int sideOf(double x) {
    return x < midline() ? 0 : 1;
  }

  /**
   * Horizontal distance from the body's centre to the inner rib cage at {@code y}: the mediastinum at the apex,
   * widening quickly and then slowly to its widest at four fifths of the lung's height.
   */
  double ribHalfWidth(double y) {
    double t = Sampling.clamp((y - apexY) / (0.8 * lungHeight), 0, 1);
    return mediastinum + (r - mediastinum) * (1 - Math.pow(1 - t, 2.4));
  }

  /** Half-width of the upper mediastinum on {@code side} at {@code y}, with the aortic knob on side 1. */
  double mediastinumHalfWidth(int side, double y) {
    double knobY = apexY + 0.27 * lungHeight;
    double knob = side == 1 ? 1.3 * Math.exp(-Math.pow((y - knobY) / 1.6, 2)) : 0;
    return mediastinum + knob;
  }

  /** The y of {@code side}'s hemidiaphragm at {@code x}: its dome top, falling to the costophrenic angle. */
  double dome(int side, double x) {
    return domeAt(side, x);
  }

  private double domeAt(int side, double x) {
    double peak = midline() + sign(side) * 0.45 * r;
    double u = (x - peak) / (0.55 * r);
    return domeY[side] + domeHeight[side] * u * u;
  }

  /** The y of {@code side}'s costophrenic angle. */
  double costophrenicY(int side) {
    return domeY[side] + domeHeight[side];
  }

  /** The x of {@code side}'s lateral lung border at {@code y}. */
  double lateralX(int side, double y) {
    return cx + sign(side) * ribHalfWidth(y);
  }

  /**
   * How far {@code (x, y)} lies inside the lung of its side, in cm: the smallest of its distances to the rib cage,
   * the mediastinum and the diaphragm (negative outside).
   */
  double lungDistance(double x, double y) {
    int side = sideOf(x);
    double lateral = ribHalfWidth(y) - Math.abs(x - cx);
    double medial = Math.abs(x - midline()) - mediastinumHalfWidth(side, y);
    double below = dome(side, x) - y;
    double above = y - apexY + 0.5;
    return Math.min(Math.min(lateral, medial), Math.min(below, above));
  }

  /** Air depth of a lung's centre at {@code y}: thin at the apex, deepest at the bases. */
  double airDepth(double y) {
    return airScale * (6.5 + 9.5 * Sampling.clamp((y - apexY) / lungHeight, 0, 1.15));
  }

  /** The heart's silhouette at {@code (x, y)}: 1 inside, 0 outside, a soft edge a few millimetres wide. */
  double heart(double x, double y) {
    double dx = x - heartCx;
    double dy = y - heartCy;
    double cos = Math.cos(heartTilt);
    double sin = Math.sin(heartTilt);
    double u = (dx * cos + dy * sin) / heartMajor;
    double v = (-dx * sin + dy * cos) / heartMinor;
    double q = Math.sqrt(u * u + v * v);
    double soft = 0.35 / heartMinor;
    return 1 - Sampling.smoothstep(1 - soft, 1 + soft, q);
  }

  /** Half-width of the body's soft tissue at {@code y}: the neck above the shoulders, the chest below. */
  double bodyHalfWidth(double y) {
    return neckHalf + (bodyHalf - neckHalf) * Sampling.smoothstep(shoulderY - 2.5, shoulderY + 3.5, y);
  }

  /** The widest horizontal extent of the heart, cm. */
  double heartWidth() {
    return heartRight + heartLeft;
  }

  /** The widest inner width of the rib cage, cm. */
  double thoracicWidth() {
    return 2 * r;
  }

  /** Heart width over thoracic width. */
  double cardiothoracicRatio() {
    return heartWidth() / thoracicWidth();
  }

  /** The hilum of {@code side}: where its vessels and bronchus enter the lung. */
  double[] hilum(int side) {
    return new double[] {midline() + sign(side) * (mediastinum + 2.2), apexY + 0.42 * lungHeight};
  }
}
