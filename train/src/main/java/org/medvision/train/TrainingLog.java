package org.medvision.train;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The per-epoch CSV log ({@link RunFiles#LOG}): {@code epoch,lr,train_loss}, one {@code train_<term>} per named loss
 * term, one {@code val_<key>} per logged validation metric (e.g. {@code val_loss,val_acc,val_macro_f1,val_auroc} for
 * a classifier), then {@code examples_per_s,seconds}. It is rewritten whole (atomically) after every epoch from the
 * run's history, so a resumed run's log holds exactly the epochs its checkpoint includes. Unmeasured values are
 * empty fields.
 */
final class TrainingLog {
  private TrainingLog() {}

  /** The header line for {@code history}. */
  static String header(List<EpochMetrics> history) {
    StringBuilder sb = new StringBuilder("epoch,lr,train_loss");
    for (String t : termKeys(history)) {
      sb.append(",train_").append(t);
    }
    for (String k : valKeys(history)) {
      sb.append(",val_").append(k);
    }
    return sb.append(",examples_per_s,seconds").toString();
  }

  /** The CSV text of {@code history}. */
  static String format(List<EpochMetrics> history) {
    Set<String> terms = termKeys(history);
    Set<String> vals = valKeys(history);
    StringBuilder sb = new StringBuilder(header(history)).append('\n');
    for (EpochMetrics m : history) {
      sb.append(m.epoch()).append(',').append(number(m.learningRate(), "%.6g")).append(',')
          .append(number(m.trainLoss(), "%.6f"));
      for (String t : terms) {
        sb.append(',').append(number(m.trainTerms().getOrDefault(t, Double.NaN), "%.6f"));
      }
      for (String k : vals) {
        sb.append(',').append(number(m.val(k), "%.6f"));
      }
      sb.append(',').append(number(m.examplesPerSecond(), "%.2f")).append(',').append(number(m.seconds(), "%.2f"))
          .append('\n');
    }
    return sb.toString();
  }

  private static Set<String> termKeys(List<EpochMetrics> history) {
    Set<String> keys = new LinkedHashSet<>();
    history.forEach(m -> keys.addAll(m.trainTerms().keySet()));
    return keys;
  }

  private static Set<String> valKeys(List<EpochMetrics> history) {
    Set<String> keys = new LinkedHashSet<>();
    history.forEach(m -> keys.addAll(m.val().keySet()));
    return keys;
  }

  /** Writes the log of {@code history} into {@code file}. */
  static void write(Path file, List<EpochMetrics> history) {
    Checkpoints.writeAtomically(file, format(history).getBytes(StandardCharsets.UTF_8));
  }

  private static String number(double v, String pattern) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, pattern, v) : "";
  }
}
