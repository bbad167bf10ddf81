package org.medvision.cli;

/** Process exit codes of {@code medvision}. */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;
  /** The command ran and failed: a missing or unreadable file, weights that do not fit, a bad image, an engine error. */
  public static final int RUNTIME_ERROR = 1;
  /**
   * The command line itself is wrong: an unknown command or option, a missing or malformed option value, or a name
   * that does not exist (task, variant, engine, task option, key map).
   */
  public static final int USAGE_ERROR = 2;
  /**
   * The command finished but skipped some inputs (an unreadable file among readable ones); it printed what it did and
   * a summary such as "1 of 2 files skipped", so a pipeline can tell a partial result from a complete one.
   */
  public static final int PARTIAL = 3;

  private ExitCodes() {}
}
