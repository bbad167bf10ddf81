package org.medvision.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress on stderr for slow work. On a terminal it redraws one line in place; otherwise (a log file, a pipe) it
 * prints a plain line at most every {@link #LINE_INTERVAL_NANOS} so logs stay short, and nothing at all for work that
 * finishes sooner.
 */
public final class ProgressBar implements AutoCloseable {
  /** Minimum time between plain progress lines when stderr is not a terminal. */
  static final long LINE_INTERVAL_NANOS = 5_000_000_000L;
  private static final int WIDTH = 30;

  private final PrintStream err;
  private final String label;
  private long total;
  private final boolean terminal;
  /** What the steps are called when the rate and time left are shown (e.g. {@code inputs}), or null. */
  private String rateUnit;
  private final long started = System.nanoTime();
  private long lastLine = started;
  private int lastDrawn = -1;
  private boolean printedAny;

  ProgressBar(PrintStream err, String label, long total, boolean terminal) {
    this.err = err;
    this.label = label;
    this.total = Math.max(total, 1);
    this.terminal = terminal;
  }

  /**
   * Shows the rate (steps per second since the bar started) and the estimated time left after the count, e.g.
   * {@code 41.2 inputs/s, 3m05s left}.
   *
   * @return this bar
   */
  public ProgressBar showingRate(String unit) {
    this.rateUnit = unit;
    return this;
  }

  /** Records that {@code done} of {@code newTotal} steps have finished, for work whose total is an estimate. */
  public void update(long done, long newTotal) {
    this.total = Math.max(newTotal, 1);
    update(done);
  }

  /** Records that {@code done} of the steps have finished. */
  public void update(long done) {
    long now = System.nanoTime();
    int percent = (int) Math.min(100, done * 100 / total);
    if (terminal) {
      if (percent != lastDrawn) {
        int filled = percent * WIDTH / 100;
        err.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] "
            + String.format(Locale.ROOT, "%3d%% (%d/%d)", percent, done, total) + rate(done, now));
        err.flush();
        lastDrawn = percent;
        printedAny = true;
      }
    } else if (now - lastLine >= LINE_INTERVAL_NANOS && done < total) {
      err.println(String.format(Locale.ROOT, "%s: %d/%d (%d%%), %.0f s elapsed", label, done, total, percent,
          (now - started) / 1e9) + rate(done, now));
      lastLine = now;
      printedAny = true;
    }
  }

  /** {@code , 41.2 inputs/s, 3m05s left} when the rate is shown and known, else empty. */
  private String rate(long done, long now) {
    double seconds = (now - started) / 1e9;
    if (rateUnit == null || done <= 0 || seconds <= 0) {
      return "";
    }
    double perSecond = done / seconds;
    long left = Math.round(Math.max(0, total - done) / perSecond);
    return String.format(Locale.ROOT, ", %.1f %s/s, %s left", perSecond, rateUnit, left >= 3600
        ? String.format(Locale.ROOT, "%dh%02dm", left / 3600, left / 60 % 60)
        : String.format(Locale.ROOT, "%dm%02ds", left / 60, left % 60));
  }

  /** Ends the bar's line (on a terminal) or prints a final line if any progress was printed. */
  @Override
  public void close() {
    if (!printedAny) {
      return;
    }
    if (terminal) {
      err.println();
    } else {
      err.println(String.format(Locale.ROOT, "%s: done in %.1f s", label, (System.nanoTime() - started) / 1e9));
    }
  }
}
