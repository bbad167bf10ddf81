package org.medvision.api.data;

import java.util.Locale;

/**
 * How stored intensities (Hounsfield units for CT) become display values in [0, 1] before a field's preprocessing.
 * It applies to sources that carry physical values: DICOM and NIfTI. PNG, JPEG and BMP files already hold display
 * values and are scaled to [0, 1] by their bit depth, whatever the windowing says.
 *
 * @param kind which rule applies
 * @param center window center (FIXED only)
 * @param width window width, positive (FIXED only)
 */
public record Windowing(Kind kind, double center, double width) {
  /** The rules. */
  public enum Kind {
    /** A fixed window, e.g. the brain window 40/80 HU: the same for every file. */
    FIXED,
    /** The file's own Window Center/Width (DICOM), else the image's full range. */
    FILE,
    /** The image's full range, min to max. */
    RANGE
  }

  /** Checks the width of a fixed window. */
  public Windowing {
    if (kind == Kind.FIXED && !(width > 0)) {
      throw new IllegalArgumentException("window width must be positive, got " + width);
    }
  }

  /** A fixed window (DICOM's linear function: values at center − width/2 map to 0, center + width/2 to 1). */
  public static Windowing fixed(double center, double width) {
    return new Windowing(Kind.FIXED, center, width);
  }

  /** The file's own window. */
  public static Windowing file() {
    return new Windowing(Kind.FILE, 0, 0);
  }

  /** The image's full range. */
  public static Windowing range() {
    return new Windowing(Kind.RANGE, 0, 0);
  }

  /** {@code 40/80}, {@code file} or {@code range}. */
  @Override
  public String toString() {
    if (kind == Kind.FIXED) {
      return number(center) + "/" + number(width);
    }
    return kind.name().toLowerCase(Locale.ROOT);
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
