package org.medvision.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.medvision.train.EpochMetrics;
import org.medvision.train.TrainingListener;
import org.medvision.train.TrainingPlan;

/**
 * Training progress on stderr: per batch a bar with the epoch, running loss, examples/s and ETA (redrawn in place on a
 * terminal; a plain line at most every {@link ProgressBar#LINE_INTERVAL_NANOS} otherwise), and one line per epoch
 * with its metrics.
 */
final class TrainProgress implements TrainingListener, AutoCloseable {
  private static final int WIDTH = 20;

  private final PrintStream err;
  private final boolean terminal;
  private long lastLine = System.nanoTime();
  private boolean barOpen;

  TrainProgress(PrintStream err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  @Override
  public void started(TrainingPlan p) {
    err.printf(Locale.ROOT, "training %,d parameters on %d examples per epoch (%d validation; sampler %s), epochs "
        + "%d-%d, %d batches and %d updates per epoch, best checkpoint by %s; run directory %s%n", p.parameters(),
        p.trainExamples(), p.valExamples(), p.sampler(), p.firstEpoch(), p.epochs(), p.batchesPerEpoch(),
        p.updatesPerEpoch(), p.selectMetric(), p.runDirectory());
    for (String note : p.notes()) {
      err.println("note: " + note);
    }
  }

  @Override
  public void batchFinished(BatchProgress p) {
    String text = String.format(Locale.ROOT, "epoch %d/%d [%s] %d/%d loss %.4f %.1f ex/s ETA %s", p.epoch(),
        p.epochs(), bar(p.batch(), p.batches()), p.batch(), p.batches(), p.meanLoss(), p.examplesPerSecond(),
        duration(p.etaSeconds()));
    if (terminal) {
      err.print("\r" + text + "   ");
      err.flush();
      barOpen = true;
    } else {
      long now = System.nanoTime();
      if (now - lastLine >= ProgressBar.LINE_INTERVAL_NANOS) {
        err.println(text);
        lastLine = now;
      }
    }
  }

  @Override
  public void epochFinished(EpochMetrics m, boolean improved) {
    endBar();
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %d: lr %.3g train loss %.4f",
        m.epoch(), m.learningRate(), m.trainLoss()));
    if (m.trainTerms().size() > 1) {
      m.trainTerms().forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %.4f", k, v)));
    }
    sb.append(" | val");
    m.val().forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %.4f", k, v)));
    sb.append(String.format(Locale.ROOT, " | %.1f ex/s, %.1f s%s", m.examplesPerSecond(), m.seconds(),
        improved ? "  * best" : ""));
    err.println(sb);
  }

  @Override
  public void notice(String message) {
    endBar();
    err.println(message);
  }

  private void endBar() {
    if (barOpen) {
      err.println();
      barOpen = false;
    }
  }

  private static String bar(int done, int total) {
    int filled = total == 0 ? WIDTH : done * WIDTH / total;
    return "#".repeat(filled) + " ".repeat(WIDTH - filled);
  }

  /** {@code 1h02m}, {@code 3m05s} or {@code 42s}. */
  static String duration(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) {
      return "?";
    }
    long s = Math.round(seconds);
    if (s >= 3600) {
      return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }
    if (s >= 60) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return s + "s";
  }

  /** Ends an open bar line. */
  @Override
  public void close() {
    endBar();
  }
}
