package org.medvision.io;

/**
 * Told how far a long operation has come, e.g. to draw a progress bar, and what it wants the user to know on the way:
 * notes (how something was decided) and warnings (something looks wrong but the operation goes on).
 */
@FunctionalInterface
public interface ProgressListener {
  /** Ignores progress, notes and warnings. */
  ProgressListener NONE = (done, total) -> { };

  /**
   * Called after each step.
   *
   * @param done items finished so far
   * @param total items in all
   */
  void progress(long done, long total);

  /**
   * A fact worth a line in the log, e.g. which split was used because a file was absent. Ignored by default.
   *
   * @param message one sentence, no trailing line break
   */
  default void note(String message) {}

  /**
   * Something that looks wrong but does not stop the operation, e.g. a patient found in two splits. Ignored by
   * default.
   *
   * @param message one sentence naming what and where, no trailing line break
   */
  default void warning(String message) {}
}
