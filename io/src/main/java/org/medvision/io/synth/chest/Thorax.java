package org.medvision.io.synth.chest;

import java.util.SplittableRandom;

/**
 * One patient's chest in body-frame millimetres ({@code X} left, {@code Y} posterior, {@code Z} superior, 0 at the
 * lung bases): the {@link BodyWall}, the {@link Mediastinum}, the {@link Lungs}, and the noise-free Hounsfield value
 * of each normal tissue at each point.
 *
 * <p>Everything is drawn from the patient's own generator, so a follow-up scan built from the same patient seed shows
 * the same anatomy; only the breathing depth, which scales the lung height, comes from the scan.
 */
final class Thorax {
  private final BodyWall wall;
  private final Mediastinum mediastinum;
  private final Lungs lungs;
  private final SmoothField texture;
  private final double fatHu;
  private final double softHu;
  private final double lungHu;
  private final double lungGradient;
  private final double vesselHu;
  private final double ribHu;
  private final double cancellousHu;
  private final double corticalHu;

  /**
   * Draws the chest of the patient whose generator is {@code patient}, with lungs {@code inspiration} times their
   * nominal height (about 0.96 to 1.04 between scans).
   */
  Thorax(SplittableRandom patient, double inspiration) {
    double height = Draw.uniform(patient, 205, 265) * inspiration;
    wall = new BodyWall(patient, height);
    mediastinum = new Mediastinum(patient, wall, height);
    lungs = new Lungs(patient, wall, mediastinum, height);
    texture = new SmoothField(patient, 5, 25, 90);
    fatHu = Draw.uniform(patient, -110, -90);
    softHu = Draw.uniform(patient, 30, 48);
    lungHu = Draw.uniform(patient, -875, -815);
    lungGradient = Draw.uniform(patient, 15, 40);
    vesselHu = Draw.uniform(patient, 32, 50);
    ribHu = Draw.uniform(patient, 450, 750);
    cancellousHu = Draw.uniform(patient, 320, 420);
    corticalHu = Draw.uniform(patient, 850, 1250);
  }

  /** The lungs. */
  Lungs lungs() {
    return lungs;
  }

  /** The mediastinum (for the hila). */
  Mediastinum mediastinum() {
    return mediastinum;
  }

  /** -1 at the front of the cavity at height {@code z}, +1 at its back, for a point at {@code y}. */
  double posterior(double y, double z) {
    return Math.max(-1, Math.min(1, y / wall.cavityHalfDepth(z)));
  }

  /** Half the body's width at mid-chest, mm. */
  double halfWidth() {
    return wall.halfWidth();
  }

  /** Lung height, mm. */
  double lungHeight() {
    return lungs.height();
  }

  /** The normal tissue at {@code (x, y, z)}: {@link ChestTissue#LUNG} wherever a lung is. */
  ChestTissue tissue(double x, double y, double z) {
    BodyWall.Layer layer = wall.layer(x, y, z);
    if (layer == BodyWall.Layer.OUTSIDE) {
      return ChestTissue.AIR;
    }
    if (layer == BodyWall.Layer.FAT) {
      return ChestTissue.FAT;
    }
    Mediastinum.Part spine = mediastinum.spine(x, y, z);
    if (spine != null) {
      return of(spine);
    }
    if (layer == BodyWall.Layer.BONE) {
      return ChestTissue.BONE;
    }
    if (layer == BodyWall.Layer.MUSCLE) {
      return ChestTissue.SOFT_TISSUE;
    }
    if (lungs.depth(x, y, z) > 0) {
      return ChestTissue.LUNG;
    }
    return of(mediastinum.part(x, y, z));
  }

  private static ChestTissue of(Mediastinum.Part part) {
    switch (part) {
      case BONE:
        return ChestTissue.BONE;
      case FAT:
        return ChestTissue.FAT;
      case AIRWAY:
        return ChestTissue.AIRWAY;
      case SOFT_TISSUE:
        return ChestTissue.SOFT_TISSUE;
      default:
        throw new AssertionError(part);
    }
  }

  /** A value in [-1, 1] that varies smoothly over tens of millimetres, for uneven tissue density. */
  double texture(double x, double y, double z) {
    return texture.at(x, y, z);
  }

  /**
   * The noise-free value (HU) of normal tissue {@code t} at {@code (x, y, z)}, within {@code t}'s range, given the
   * {@link #texture} value {@code v} there. Lung is denser towards the back (gravity in a supine patient).
   */
  double hu(ChestTissue t, double x, double y, double z, double v) {
    switch (t) {
      case AIR:
        return ChestTissue.AIR.minHu();
      case FAT:
        return t.clamp(fatHu + 8 * v);
      case SOFT_TISSUE:
        return t.clamp(softHu + 8 * v);
      case VESSEL:
        return t.clamp(vesselHu + 6 * v);
      case AIRWAY:
        return t.clamp(-985 + 10 * v);
      case LUNG: {
        return t.clamp(lungHu + lungGradient * posterior(y, z) + 15 * v);
      }
      case BONE: {
        int vertebral = mediastinum.vertebralBone(x, y, z);
        double base = vertebral == 1 ? cancellousHu : vertebral == 2 ? corticalHu : ribHu;
        return t.clamp(base + 60 * v);
      }
      default:
        throw new IllegalArgumentException("not a normal tissue: " + t);
    }
  }
}
