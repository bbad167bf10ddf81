package org.medvision.train;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The per-epoch CSV log ({@link RunFiles#LOG}). It is rewritten whole (atomically) after every epoch from the run's
 * history, so a resumed run's log holds exactly the epochs its checkpoint includes. Unmeasured values are empty
 * fields.
 */
final class TrainingLog {
  /** The header line. */
  static final String HEADER = "epoch,lr,train_loss,train_acc,val_loss,val_acc,val_macro_f1,val_auroc,images_per_s,"
      + "seconds";

  private TrainingLog() {}

  /** The CSV text of {@code history}. */
  static String format(List<EpochMetrics> history) {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (EpochMetrics m : history) {
      sb.append(m.epoch()).append(',').append(number(m.learningRate(), "%.6g")).append(',')
          .append(number(m.trainLoss(), "%.6f")).append(',').append(number(m.trainAccuracy(), "%.6f")).append(',')
          .append(number(m.valLoss(), "%.6f")).append(',').append(number(m.valAccuracy(), "%.6f")).append(',')
          .append(number(m.valMacroF1(), "%.6f")).append(',').append(number(m.valAuroc(), "%.6f")).append(',')
          .append(number(m.imagesPerSecond(), "%.2f")).append(',').append(number(m.seconds(), "%.2f"))
          .append('\n');
    }
    return sb.toString();
  }

  /** Writes the log of {@code history} into {@code file}. */
  static void write(Path file, List<EpochMetrics> history) {
    Checkpoints.writeAtomically(file, format(history).getBytes(StandardCharsets.UTF_8));
  }

  private static String number(double v, String pattern) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, pattern, v) : "";
  }
}
