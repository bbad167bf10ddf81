package org.medvision.runtime.batch;

import java.io.Serializable;
import java.util.List;
import org.medvision.api.MedvisionException;

/**
 * How a batch job runs; plain values, serializable, so a distributed job can ship them to its workers.
 *
 * @param workers threads predicting at once, at least 1
 * @param batchSize inputs per engine call, at least 1
 * @param rowsPerPart rows per part file, at least 1: a worker closes its part once it holds this many rows (so it may
 *     hold up to one batch more), or once its first row is {@code partSeconds} old
 * @param partSeconds the longest a finished row waits before its part file is written, above 0
 * @param sharing one compiled model for all workers or one each; null picks {@link ModelSharing#defaultFor} the engine
 * @param formats the result formats, at least one, no repeats; kept in {@link OutputFormat}'s order
 * @param writeMaps whether maps and generated images are written (into {@code maps/} of the output folder)
 * @param force whether to replace the results of another model, engine or configuration in the output folder
 */
public record BatchSettings(int workers, int batchSize, int rowsPerPart, double partSeconds, ModelSharing sharing,
    List<OutputFormat> formats, boolean writeMaps, boolean force) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Workers when none are given. */
  public static final int DEFAULT_WORKERS = 1;
  /** Inputs per engine call when none is given (as {@code predict}). */
  public static final int DEFAULT_BATCH = 8;
  /** Rows per part file when none is given. */
  public static final int DEFAULT_ROWS_PER_PART = 1000;
  /** Seconds before a part file is written when none are given. */
  public static final double DEFAULT_PART_SECONDS = 60;

  /**
   * Checks the values and copies the formats.
   *
   * @throws MedvisionException naming the value out of range
   */
  public BatchSettings {
    check(workers >= 1, "workers must be at least 1, got " + workers);
    check(batchSize >= 1, "batch size must be at least 1, got " + batchSize);
    check(rowsPerPart >= 1, "rows per part must be at least 1, got " + rowsPerPart);
    check(partSeconds > 0, "seconds per part must be above 0, got " + partSeconds);
    formats = List.copyOf(formats);
    check(!formats.isEmpty(), "give at least one result format (parquet, jsonl)");
    check(formats.stream().distinct().count() == formats.size(), "result formats repeat: " + formats);
    // In one order, so that --format jsonl,parquet resumes a folder begun with --format parquet,jsonl.
    formats = formats.stream().sorted().toList();
  }

  /** The defaults: one worker, batches of 8, Parquet and JSON lines, no maps, no force. */
  public static BatchSettings defaults() {
    return new BatchSettings(DEFAULT_WORKERS, DEFAULT_BATCH, DEFAULT_ROWS_PER_PART, DEFAULT_PART_SECONDS, null,
        List.of(OutputFormat.PARQUET, OutputFormat.JSONL), false, false);
  }

  /** These settings with {@code n} workers. */
  public BatchSettings withWorkers(int n) {
    return new BatchSettings(n, batchSize, rowsPerPart, partSeconds, sharing, formats, writeMaps, force);
  }

  /** These settings with batches of {@code n}. */
  public BatchSettings withBatchSize(int n) {
    return new BatchSettings(workers, n, rowsPerPart, partSeconds, sharing, formats, writeMaps, force);
  }

  /** These settings with parts of {@code rows} rows. */
  public BatchSettings withRowsPerPart(int rows) {
    return new BatchSettings(workers, batchSize, rows, partSeconds, sharing, formats, writeMaps, force);
  }

  /** These settings with the given model sharing (null: the engine's default). */
  public BatchSettings withSharing(ModelSharing s) {
    return new BatchSettings(workers, batchSize, rowsPerPart, partSeconds, s, formats, writeMaps, force);
  }

  /** These settings with the given formats. */
  public BatchSettings withFormats(List<OutputFormat> f) {
    return new BatchSettings(workers, batchSize, rowsPerPart, partSeconds, sharing, f, writeMaps, force);
  }

  /** These settings writing maps or not. */
  public BatchSettings withWriteMaps(boolean maps) {
    return new BatchSettings(workers, batchSize, rowsPerPart, partSeconds, sharing, formats, maps, force);
  }

  /** These settings replacing another model's results or not. */
  public BatchSettings withForce(boolean f) {
    return new BatchSettings(workers, batchSize, rowsPerPart, partSeconds, sharing, formats, writeMaps, f);
  }

  /** The model sharing used on {@code engine}. */
  public ModelSharing sharingFor(String engine) {
    return sharing != null ? sharing : ModelSharing.defaultFor(engine);
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new MedvisionException(message);
    }
  }
}
