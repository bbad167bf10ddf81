package org.medvision.io.synth.chest;

import java.util.Locale;

/** The diagnosis a synthetic chest CT shows; {@link #label()} is the manifest label. */
public enum ChestCtClass {
  /**
   * COVID-19 pneumonia: bilateral, subpleural, posterior and lower-lobe predominant ground-glass patches, several of
   * them, some with a denser core.
   */
  COVID,
  /**
   * Community-acquired (bacterial) pneumonia: usually one lobar or segmental consolidation with air bronchograms,
   * sometimes rimmed by ground glass.
   */
  CAP;

  /** The lower-case label used in manifests: {@code covid} or {@code cap}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
