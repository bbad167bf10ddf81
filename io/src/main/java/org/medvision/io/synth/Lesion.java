package org.medvision.io.synth;

import java.util.SplittableRandom;

/** A lesion drawn over normal anatomy. */
interface Lesion {
  /** Whether the lesion replaces {@code current} at {@code p}. */
  boolean covers(HeadPoint p, Tissue current);

  /** What the lesion is drawn as. */
  Tissue tissue();

  /** Noise-free value at {@code p} before the smooth intensity variation, inside the tissue range less 2 HU. */
  double hu(HeadPoint p);

  /** Whether {@code t} is brain inside the skull. */
  static boolean isBrain(Tissue t) {
    return t == Tissue.GREY_MATTER || t == Tissue.WHITE_MATTER || t == Tissue.CSF;
  }

  /** A uniform draw from [lo, hi). */
  static double uniform(SplittableRandom rng, double lo, double hi) {
    return lo + (hi - lo) * rng.nextDouble();
  }
}
