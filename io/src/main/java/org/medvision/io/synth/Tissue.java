package org.medvision.io.synth;

/**
 * What a phantom pixel was drawn as, with the Hounsfield range its noise-free value lies in.
 *
 * <p>The ranges are the generator's contract (tests check them): they follow typical unenhanced head CT values, air
 * -1000, bone +700..+1500, grey matter 35-45, white matter 25-32, CSF 0-15, acute blood 55-90, early infarct 10-22.
 */
public enum Tissue {
  /** Outside the head. */
  AIR(-1000, -1000),
  /** The skull ring (cortical tables and diploe). */
  SKULL(700, 1500),
  /** Cortical ribbon and deep grey nuclei. */
  GREY_MATTER(35, 45),
  /** Interior white matter. */
  WHITE_MATTER(25, 32),
  /** Ventricles, sulci and the interhemispheric fissure. */
  CSF(0, 15),
  /** Acute hemorrhage (intraparenchymal or subdural). */
  HEMORRHAGE(55, 90),
  /** Ischemic infarct, grey and white matter alike. */
  INFARCT(10, 22);

  private final double minHu;
  private final double maxHu;

  Tissue(double minHu, double maxHu) {
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

  /** Whether this is a lesion rather than normal anatomy. */
  public boolean isLesion() {
    return this == HEMORRHAGE || this == INFARCT;
  }
}
