package org.medvision.io.synth.chest;

/**
 * One nucleus of infection: an ellipsoid, optionally confined to one lobe, that grows uniformly with a threshold.
 *
 * <p>Its reach at a point is the point's normalised ellipsoidal distance from the centre, made irregular by a smooth
 * field, so the set {@code reach <= t} is a lobulated blob whose size scales with {@code t}. The ellipsoid is rotated
 * in-plane: its first axis points along {@code (dirX, dirY)}, typically radial, so a subpleural patch can lie flat
 * against the chest wall. Within the blob, points with {@code reach <= coreFraction * t} are {@code core} tissue, the
 * rest {@code rim}.
 *
 * @param x centre, body-frame mm
 * @param y centre, body-frame mm
 * @param z centre, body-frame mm
 * @param radial semi-axis along {@code (dirX, dirY)}, mm at threshold 1
 * @param tangential in-plane semi-axis perpendicular to it, mm at threshold 1
 * @param axial semi-axis along z, mm at threshold 1
 * @param dirX x of the unit in-plane direction of the first axis
 * @param dirY y of the unit in-plane direction of the first axis
 * @param side the only lung it may occupy ({@link Lungs#RIGHT} or {@link Lungs#LEFT}), or -1 for either
 * @param lobe the only lobe it may occupy, or null for any lobe of its side
 * @param rim tissue of the outer part
 * @param core tissue of the inner part
 * @param coreFraction how much of the reach is core: 0 for none, 1 for all
 * @param rimHu base value of the rim, HU
 * @param coreHu base value of the core, HU
 */
record Focus(double x, double y, double z, double radial, double tangential, double axial, double dirX, double dirY,
    int side, Lungs.Lobe lobe, ChestTissue rim, ChestTissue core, double coreFraction, double rimHu, double coreHu) {
  /** Irregularity of the outline: the reach is scaled by up to this fraction either way. */
  static final double IRREGULARITY = 0.3;

  /** The reach of this focus at a point of lobe {@code at}, given the pattern's shape field value {@code wobble}. */
  double reach(double px, double py, double pz, Lungs.Lobe at, double wobble) {
    if (lobe != null && lobe != at || side >= 0 && side != at.side()) {
      return Double.POSITIVE_INFINITY;
    }
    double dx = px - x;
    double dy = py - y;
    double u = (dirX * dx + dirY * dy) / radial;
    double v = (dirX * dy - dirY * dx) / tangential;
    double w = (pz - z) / axial;
    return Math.sqrt(u * u + v * v + w * w) * (1 + IRREGULARITY * wobble);
  }

  /** The tissue at relative reach {@code fraction} (reach over threshold, at most 1). */
  ChestTissue tissue(double fraction) {
    return coreFraction > 0 && fraction <= coreFraction ? core : rim;
  }

  /**
   * The noise-free value of {@code t} (its core or rim tissue) at relative reach {@code fraction}, given a texture
   * value {@code v} in [-1, 1]. The rim fades towards its tissue's lowest value near the outline, so ground glass
   * blends into the lung around it rather than ending in a step.
   */
  double hu(ChestTissue t, double fraction, double v) {
    boolean isCore = coreFraction > 0 && fraction <= coreFraction;
    double value = (isCore ? coreHu : rimHu) + 0.12 * (t.maxHu() - t.minHu()) * v;
    if (!isCore) {
      double fade = t == ChestTissue.GROUND_GLASS ? 0.7 : 0.3;
      value += (t.minHu() - value) * fade * Draw.smoothstep(0.6, 1, fraction);
    }
    return t.clamp(value);
  }
}
