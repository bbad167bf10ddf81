package org.medvision.io.dataset;

import java.util.Locale;

/** A partition of a data set. {@link #id()} is the name written in manifests. */
public enum Split {
  /** Fitted on. */
  TRAIN,
  /** Used to pick checkpoints and settings. */
  VAL,
  /** Held out for the final evaluation. */
  TEST;

  /** {@code train}, {@code val} or {@code test}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The split named {@code text} ({@code train}, {@code val}, {@code test}; case and surrounding spaces ignored).
   *
   * @param where the file and line the name came from, for the error message
   * @throws DatasetException for any other name
   */
  public static Split parse(String text, String where) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (Split s : values()) {
      if (s.id().equals(t)) {
        return s;
      }
    }
    throw new DatasetException(where + ": unknown split '" + text + "'; use train, val or test, or leave it empty");
  }
}
