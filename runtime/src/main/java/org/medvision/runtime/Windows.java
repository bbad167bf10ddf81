package org.medvision.runtime;

import java.util.Locale;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.Windowing;
import org.medvision.io.transform.Window;

/** Reads a window as users write it: a preset name, {@code CENTER/WIDTH}, {@code file} or {@code range}. */
public final class Windows {
  private Windows() {}

  /**
   * The windowing {@code text} names, or null for an empty text (the task's own).
   *
   * @throws MedvisionException for anything else, listing what is accepted
   */
  public static Windowing parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("file")) {
      return Windowing.file();
    }
    if (t.equals("range")) {
      return Windowing.range();
    }
    int slash = t.indexOf('/');
    if (slash < 0) {
      try {
        Window w = Window.preset(t);
        return Windowing.fixed(w.center(), w.width());
      } catch (MedvisionException e) {
        throw new MedvisionException("window '" + text + "': " + e.getMessage() + "; or give CENTER/WIDTH (e.g. "
            + "40/80), 'file' (each file's own) or 'range' (each image's full range)", e);
      }
    }
    try {
      double center = Double.parseDouble(t.substring(0, slash).trim());
      double width = Double.parseDouble(t.substring(slash + 1).trim());
      // "1e999" parses as infinity, which would window every value to 0 or 1 without a word.
      if (!Double.isFinite(center) || !Double.isFinite(width)) {
        throw new MedvisionException("window '" + text + "': the center and width must be finite numbers");
      }
      if (!(width > 0)) {
        throw new MedvisionException("window '" + text + "': the width must be positive");
      }
      return Windowing.fixed(center, width);
    } catch (NumberFormatException e) {
      throw new MedvisionException("window '" + text + "' is not a preset (" + String.join(", ",
          Window.presetNames()) + "), CENTER/WIDTH (e.g. 40/80), 'file' or 'range'", e);
    }
  }

  /** The io window of a fixed windowing. */
  public static Window window(Windowing w) {
    return new Window(w.center(), w.width());
  }
}
