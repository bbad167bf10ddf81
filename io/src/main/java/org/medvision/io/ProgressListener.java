package org.medvision.io;

/** Told how far a long operation has come, e.g. to draw a progress bar. */
@FunctionalInterface
public interface ProgressListener {
  /** Ignores progress. */
  ProgressListener NONE = (done, total) -> { };

  /**
   * Called after each step.
   *
   * @param done items finished so far
   * @param total items in all
   */
  void progress(long done, long total);
}
