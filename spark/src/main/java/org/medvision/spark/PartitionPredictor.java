package org.medvision.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.TaskCompletionListener;
import org.medvision.api.data.DataSchema;
import org.medvision.runtime.batch.BatchInputs;
import org.medvision.runtime.batch.BatchItem;
import org.medvision.runtime.batch.BatchPredictor;
import org.medvision.runtime.batch.PredictionRow;
import org.medvision.runtime.batch.PredictionSchema;

/**
 * The work of one Spark partition: its input rows (a path, and the file's bytes where the source read them) become
 * batch items, {@link ModelHandle#batchSize()} at a time, and then result rows, lazily, so that a partition of any
 * size holds one batch of inputs in memory. The model comes from {@link ExecutorModels}: compiled once per executor
 * JVM. A file that cannot be fetched or read is one error row; the partition goes on.
 */
final class PartitionPredictor implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final ModelHandle model;
  private final PredictionSchema schema;
  private final Broadcast<HadoopConf> conf;
  private final InputIds ids;
  private final int pathColumn;
  private final int contentColumn;
  private final int idColumn;
  private final boolean listed;

  /**
   * A partition function.
   *
   * @param pathColumn the index of the {@code path} column
   * @param contentColumn the index of the {@code content} column, or -1 when files are read from their paths
   * @param idColumn the index of an {@code input_id} column giving each row's id, or -1 to derive ids from paths
   * @param listed whether the rows are every file of a folder, so that files which are neither images, NIfTI nor
   *     DICOM are passed over (as the local runner passes them over in a folder) instead of becoming error rows
   */
  PartitionPredictor(ModelHandle model, PredictionSchema schema, Broadcast<HadoopConf> conf, InputIds ids,
      int pathColumn, int contentColumn, int idColumn, boolean listed) {
    this.model = model;
    this.schema = schema;
    this.conf = conf;
    this.ids = ids;
    this.pathColumn = pathColumn;
    this.contentColumn = contentColumn;
    this.idColumn = idColumn;
    this.listed = listed;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    Configuration hadoop = conf.value().get();
    ExecutorModels.Loaded loaded = ExecutorModels.get(model, hadoop);
    BatchPredictor predictor = new BatchPredictor(loaded.predictor(), schema, model.engine(), null);
    Rows out = new Rows(rows, predictor, loaded.predictor().model().task().data(), hadoop);
    TaskContext task = TaskContext.get();
    if (task != null) {
      // A failed or killed task leaves no copied inputs behind.
      task.addTaskCompletionListener((TaskCompletionListener) t -> out.close());
    }
    return out;
  }

  /** The result rows of one partition, made a batch at a time as they are asked for. */
  private final class Rows implements Iterator<Row>, AutoCloseable {
    private final Iterator<Row> inputs;
    private final BatchPredictor predictor;
    private final DataSchema data;
    private final Configuration hadoop;
    private final Deque<Row> ready = new ArrayDeque<>();
    private Path scratch;
    private int fetched;

    Rows(Iterator<Row> inputs, BatchPredictor predictor, DataSchema data, Configuration hadoop) {
      this.inputs = inputs;
      this.predictor = predictor;
      this.data = data;
      this.hadoop = hadoop;
    }

    @Override
    public boolean hasNext() {
      while (ready.isEmpty() && inputs.hasNext()) {
        nextBatch();
      }
      if (ready.isEmpty()) {
        close();
        return false;
      }
      return true;
    }

    /** Deletes the partition's copied inputs. */
    @Override
    public void close() {
      TempFiles.deleteTree(scratch);
      scratch = null;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.poll();
    }

    /** Reads input rows until a batch is full (a file may yield several items), predicts it, frees its files. */
    private void nextBatch() {
      List<BatchItem> items = new ArrayList<>();
      Path batchFolder = scratch().resolve("batch");
      while (items.size() < model.batchSize() && inputs.hasNext()) {
        items.addAll(expand(inputs.next(), batchFolder));
      }
      for (PredictionRow r : predictor.predict(items)) {
        ready.add(SparkRows.toRow(schema, r));
      }
      TempFiles.deleteTree(batchFolder);
    }

    /** The items of one input row; a file that cannot be fetched is one error item. */
    private List<BatchItem> expand(Row row, Path batchFolder) {
      String location = row.getString(pathColumn);
      if (location == null) {
        return List.of(BatchItem.failed("", "", "an input row has no path"));
      }
      String id = idColumn >= 0 && !row.isNullAt(idColumn) ? row.getString(idColumn) : ids.idOf(location);
      Path local;
      try {
        Path folder = batchFolder.resolve(Integer.toString(fetched++));
        if (contentColumn >= 0 && !row.isNullAt(contentColumn)) {
          Files.createDirectories(folder);
          local = Files.write(folder.resolve(RemoteFiles.fileName(location)), (byte[]) row.get(contentColumn));
        } else {
          local = RemoteFiles.local(location, folder, hadoop);
        }
      } catch (IOException | RuntimeException e) {
        return List.of(BatchItem.failed(id, location, location + ": cannot fetch the file: " + e.getMessage()));
      }
      if (listed && !InputFiles.isInput(local, data)) {
        return List.of();
      }
      return BatchInputs.expand(data, local, id, location);
    }

    private Path scratch() {
      if (scratch == null) {
        try {
          scratch = Files.createTempDirectory("medvision-inputs-");
        } catch (IOException e) {
          throw new UncheckedIOException("cannot create a temporary folder for inputs on " + ExecutorModels.where(),
              e);
        }
      }
      return scratch;
    }
  }
}
