package org.medvision.train;

import java.util.Locale;
import org.medvision.api.MedvisionException;

/** How the cross-entropy weighs the classes. */
public enum ClassWeighting {
  /** Every class weighs 1. */
  NONE,
  /**
   * Class c weighs {@code N / (C · n_c)} for N training images, C classes and n_c images of class c
   * (scikit-learn's {@code compute_class_weight("balanced")}), so each class contributes equally to the loss.
   */
  BALANCED;

  /**
   * The per-class weights for training-split class counts {@code counts}, or null for {@link #NONE}.
   *
   * @throws MedvisionException if a class has no training images
   */
  public float[] weights(int[] counts) {
    if (this == NONE) {
      return null;
    }
    long total = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] <= 0) {
        throw new MedvisionException("balanced class weights need training images of every class, but class " + i
            + " has none");
      }
      total += counts[i];
    }
    float[] w = new float[counts.length];
    for (int i = 0; i < counts.length; i++) {
      w[i] = (float) ((double) total / ((double) counts.length * counts[i]));
    }
    return w;
  }

  /**
   * {@code none} or {@code balanced} (case-insensitive).
   *
   * @throws MedvisionException for anything else
   */
  public static ClassWeighting parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("none")) {
      return NONE;
    }
    if (t.equals("balanced")) {
      return BALANCED;
    }
    throw new MedvisionException("unknown class weighting '" + text + "'; use none or balanced");
  }

  /** {@code none} or {@code balanced}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
