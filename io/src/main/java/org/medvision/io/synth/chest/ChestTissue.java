package org.medvision.io.synth.chest;

/**
 * What a phantom voxel was drawn as, with the Hounsfield range its noise-free value lies in.
 *
 * <p>The ranges are the generator's contract, which tests check: they follow unenhanced chest CT, air -1000, fat
 * around -100, soft tissue and blood 20 to 60, bone 300 to 1500, aerated lung -900 to -700, ground glass -700 to
 * -300, consolidation -100 to +50. Vessels are soft tissue and airways air, but they keep their own names because
 * they decide what a lesion looks like (vessels show through ground glass; air bronchograms through consolidation).
 */
public enum ChestTissue {
  /** Outside the body; also the value of nothing at all. */
  AIR(-1000, -1000),
  /** Subcutaneous, pericardial and mediastinal fat. */
  FAT(-120, -80),
  /** Muscle, heart, aorta, mediastinum, intervertebral discs, the abdomen below the diaphragm. */
  SOFT_TISSUE(20, 60),
  /** Ribs, sternum and vertebrae (cancellous core and cortical rim). */
  BONE(300, 1500),
  /** Aerated lung parenchyma. */
  LUNG(-900, -700),
  /** Pulmonary vessels branching from the hila. */
  VESSEL(20, 60),
  /** The lumen of the trachea and bronchi; inside a consolidation an air bronchogram. */
  AIRWAY(-1000, -950),
  /** Ground-glass opacity: lung whose vessels still show through (COVID patches, halos around CAP). */
  GROUND_GLASS(-700, -300),
  /** The denser core some COVID patches have, between ground glass and consolidation. */
  DENSE_OPACITY(-300, -100),
  /** Airless lung (lobar or segmental CAP): vessels vanish, airways stand out. */
  CONSOLIDATION(-100, 50);

  private final double minHu;
  private final double maxHu;

  ChestTissue(double minHu, double maxHu) {
    this.minHu = minHu;
    this.maxHu = maxHu;
  }

  /** Lowest noise-free value of this tissue, in HU. */
  public double minHu() {
    return minHu;
  }

  /** Highest noise-free value of this tissue, in HU. */
  public double maxHu() {
    return maxHu;
  }

  /** {@code value} clamped into this tissue's range. */
  double clamp(double value) {
    return Math.max(minHu, Math.min(maxHu, value));
  }

  /** Whether this is an infection pattern rather than normal anatomy. */
  public boolean isLesion() {
    return this == GROUND_GLASS || this == DENSE_OPACITY || this == CONSOLIDATION;
  }
}
