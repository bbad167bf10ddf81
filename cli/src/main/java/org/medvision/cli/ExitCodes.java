package org.medvision.cli;

/** Process exit codes of {@code medvision}. */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;
  /** The command ran and failed: a missing file, an unknown task or engine, weights that do not fit, a bad image. */
  public static final int RUNTIME_ERROR = 1;
  /** The command line itself is wrong: an unknown command or option, a missing or malformed option value. */
  public static final int USAGE_ERROR = 2;

  private ExitCodes() {}
}
