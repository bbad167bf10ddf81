package org.medvision.io.synth;

import java.util.Locale;
import org.medvision.api.MedvisionException;

/**
 * How hard synthetic lesions are to see: a level in [0, 1] that shrinks lesions and pulls their density toward the
 * normal tissue around them.
 *
 * <p>At 0 ({@link #EASY}) hemorrhages are large and near 78 HU and infarcts near 13 HU; at 1 ({@link #HARD}) lesions
 * are about half as wide, hemorrhages near 60 HU (20 HU above grey matter) and infarcts near 19.5 HU (about 9 HU below
 * white matter, close to the noise level of one pixel). Values in between interpolate linearly.
 *
 * @param level 0 (easiest) to 1 (hardest)
 */
public record Difficulty(double level) {
  /** Level 0: large, high-contrast lesions. */
  public static final Difficulty EASY = new Difficulty(0.0);
  /** Level 0.5. */
  public static final Difficulty MEDIUM = new Difficulty(0.5);
  /** Level 1: small, low-contrast lesions. */
  public static final Difficulty HARD = new Difficulty(1.0);

  /**
   * Checks the level.
   *
   * @throws MedvisionException if the level is outside [0, 1]
   */
  public Difficulty {
    if (!(level >= 0 && level <= 1)) {
      throw new MedvisionException("difficulty must be between 0 and 1, got " + level);
    }
  }

  /**
   * Parses {@code easy}, {@code medium}, {@code hard} (case-insensitive) or a number in [0, 1].
   *
   * @throws MedvisionException for anything else, naming the accepted forms
   */
  public static Difficulty parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    switch (t) {
      case "easy":
        return EASY;
      case "medium":
        return MEDIUM;
      case "hard":
        return HARD;
      default:
        break;
    }
    double v;
    try {
      v = Double.parseDouble(t);
    } catch (NumberFormatException e) {
      throw new MedvisionException("unknown difficulty '" + text + "'; use easy, medium, hard or a number from 0 to 1");
    }
    return new Difficulty(v);
  }

  /** {@code atEasy} at level 0, {@code atHard} at level 1, linear in between. */
  double lerp(double atEasy, double atHard) {
    return atEasy + (atHard - atEasy) * level;
  }

  /** {@code easy}, {@code medium}, {@code hard} for the presets, otherwise the level as a number. */
  @Override
  public String toString() {
    if (level == 0.0) {
      return "easy";
    }
    if (level == 0.5) {
      return "medium";
    }
    if (level == 1.0) {
      return "hard";
    }
    return Double.toString(level);
  }
}
