package org.medvision.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.TaskCompletionListener;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.VolumeField;
import org.medvision.io.volume.VolumeFiles;
import org.medvision.runtime.Predictor;
import org.medvision.runtime.batch.BatchInputs;
import org.medvision.runtime.batch.BatchItem;
import org.medvision.runtime.batch.BatchPredictor;
import org.medvision.runtime.batch.PredictionRow;
import org.medvision.runtime.batch.PredictionSchema;

/**
 * The work of one Spark partition: its input rows (a path, and the file's bytes where the source read them) become
 * batch items, {@link ModelHandle#batchSize()} at a time, and then result rows, lazily, so that a partition of any
 * size holds one batch of inputs in memory. The model comes from {@link ExecutorModels}: read once per executor JVM,
 * its compiled copy borrowed for the partition and returned when the rows run out or the task ends, whichever comes
 * first. A file that cannot be fetched or read is one error row; the partition goes on.
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
    CopyPool<Predictor>.Lease lease = ExecutorModels.get(model, hadoop).borrow();
    Rows out;
    try {
      out = new Rows(rows, lease, hadoop);
    } catch (RuntimeException | Error e) {
      lease.close();
      throw e;
    }
    TaskContext task = TaskContext.get();
    if (task != null) {
      // A task that fails, is killed or is not read to the end (a limit) leaves no copied inputs behind and gives its
      // compiled copy back.
      task.addTaskCompletionListener((TaskCompletionListener) t -> out.close());
    }
    return out;
  }

  private static PredictionRow withError(PredictionRow r, String error) {
    return new PredictionRow(r.inputId(), r.path(), r.studyUid(), r.seriesUid(), r.task(), r.modelSha256(),
        r.engine(), r.outputs(), error);
  }

  private static boolean isNifti(String location) {
    return VolumeFiles.isNifti(Path.of(RemoteFiles.fileName(location)));
  }

  /** The folder of {@code location}, as written (no trailing {@code /}). */
  static String parent(String location) {
    int slash = location.lastIndexOf('/');
    return slash <= 0 ? "." : location.substring(0, slash);
  }

  /** The result rows of one partition, made a batch at a time as they are asked for. */
  private final class Rows implements Iterator<Row>, AutoCloseable {
    private final Iterator<Row> inputs;
    private final CopyPool<Predictor>.Lease lease;
    private final BatchPredictor predictor;
    private final DataSchema data;
    private final Configuration hadoop;
    private final Deque<Row> ready = new ArrayDeque<>();
    private final boolean volumes;
    private Path scratch;
    private int fetched;
    private boolean closed;
    /** Rows read past a series folder's DICOM rows (its NIfTI rows, then the next folder's first row), taken next. */
    private final Deque<Row> ahead = new ArrayDeque<>();
    /** This batch's local copies (files, series folders) and the locations they stand for, for error messages. */
    private final Map<String, String> copies = new LinkedHashMap<>();

    Rows(Iterator<Row> inputs, CopyPool<Predictor>.Lease lease, Configuration hadoop) {
      this.inputs = inputs;
      this.lease = lease;
      this.predictor = new BatchPredictor(lease.copy(), schema, model.engine(), null);
      this.data = lease.copy().model().task().data();
      this.hadoop = hadoop;
      this.volumes = data.primaryInput() instanceof VolumeField;
    }

    @Override
    public boolean hasNext() {
      while (!closed && ready.isEmpty() && (!ahead.isEmpty() || inputs.hasNext())) {
        nextBatch();
      }
      if (ready.isEmpty()) {
        close();
        return false;
      }
      return true;
    }

    /** Deletes the partition's copied inputs and gives its compiled copy back; idempotent. */
    @Override
    public void close() {
      closed = true;
      try {
        TempFiles.deleteTree(scratch);
        scratch = null;
      } finally {
        lease.close();
      }
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
      while (items.size() < model.batchSize() && (!ahead.isEmpty() || inputs.hasNext())) {
        Row row = take();
        String location = row.getString(pathColumn);
        if (volumes && location != null && !isNifti(location)) {
          items.addAll(expandSeries(row, batchFolder));
        } else {
          items.addAll(expand(row, batchFolder));
        }
      }
      for (PredictionRow r : predictor.predict(items)) {
        ready.add(SparkRows.toRow(schema, r.error() == null ? r : withError(r, original(r.error()))));
      }
      copies.clear();
      TempFiles.deleteTree(batchFolder);
    }

    /** {@code message} naming the inputs as the user did, not by their local copies. */
    private String original(String message) {
      String out = message;
      // Longest first, so that a copy's path is replaced before the folder holding it (and batch/1 not in batch/10).
      List<String> local = new ArrayList<>(copies.keySet());
      local.sort((a, b) -> Integer.compare(b.length(), a.length()));
      for (String l : local) {
        out = out.replace(l, copies.get(l));
      }
      return out;
    }

    private Row take() {
      return ahead.isEmpty() ? inputs.next() : ahead.poll();
    }

    /** The row's {@code input_id}, or null where it has none. */
    private String givenId(Row row) {
      return idColumn >= 0 && !row.isNullAt(idColumn) ? row.getString(idColumn) : null;
    }

    /** The items of one input row; a row without a path or a file that cannot be fetched is one error item. */
    private List<BatchItem> expand(Row row, Path batchFolder) {
      String location = row.getString(pathColumn);
      if (location == null) {
        // As the local runner reports a manifest row with an empty path cell.
        String id = givenId(row);
        return List.of(id == null ? BatchItem.failed("", "", "an input row has no path")
            : BatchItem.failed(id, "", id + ": empty path"));
      }
      String id = givenId(row) != null ? givenId(row) : ids.idOf(location);
      Path local;
      try {
        local = fetch(row, location, batchFolder.resolve(Integer.toString(fetched++)));
      } catch (IOException | RuntimeException e) {
        return List.of(BatchItem.failed(id, location, location + ": cannot fetch the file: " + e.getMessage()));
      }
      if (listed && !InputFiles.isInput(local, data)) {
        return List.of();
      }
      return BatchInputs.expand(data, local, id, location);
    }

    /**
     * For a 3-D task: the DICOM series among {@code first} and the other rows of its folder (the job sorts a 3-D
     * task's rows by folder), found as the local runner finds them in a folder: the files side by side in one local
     * folder, grouped by Series Instance UID. Ids are the folder's id plus {@code #series=UID}. The folder's NIfTI
     * rows, wherever they sort among its DICOM rows, are volumes of their own, read after the series.
     */
    private List<BatchItem> expandSeries(Row first, Path batchFolder) {
      String folder = parent(first.getString(pathColumn));
      List<Row> rows = new ArrayList<>(List.of(first));
      while (inputs.hasNext()) {
        Row r = inputs.next();
        String location = r.getString(pathColumn);
        if (location == null || !folder.equals(parent(location))) {
          ahead.add(r);
          break;
        }
        if (isNifti(location)) {
          ahead.add(r);
        } else {
          rows.add(r);
        }
      }
      Path local = batchFolder.resolve(Integer.toString(fetched++));
      List<BatchItem> out = new ArrayList<>();
      for (Row r : rows) {
        String location = r.getString(pathColumn);
        try {
          fetch(r, location, local);
        } catch (IOException | RuntimeException e) {
          String id = givenId(r) != null ? givenId(r) : ids.idOf(location);
          out.add(BatchItem.failed(id, location, location + ": cannot fetch the file: " + e.getMessage()));
        }
      }
      String folderId = ids.folderIdOf(folder);
      String localPrefix = local.toString();
      copies.put(localPrefix, folder);
      BatchInputs.folder(data, local).forEachRemaining(i -> {
        // The local runner's ids within a folder start with "." (the folder itself) or a file name.
        String id = i.inputId().startsWith(".") ? folderId + i.inputId().substring(1)
            : folderId.equals(".") ? i.inputId() : folderId + "/" + i.inputId();
        String path = i.path().startsWith(localPrefix) ? folder + i.path().substring(localPrefix.length()) : i.path();
        out.add(new BatchItem(id, path, i.studyUid(), i.seriesUid(), i.input(), i.error()));
      });
      return out;
    }

    /** The file of {@code row} in {@code folder} (its bytes from the row, or a copy), or where it lies if local. */
    private Path fetch(Row row, String location, Path folder) throws IOException {
      Path local;
      if (contentColumn >= 0 && !row.isNullAt(contentColumn)) {
        Files.createDirectories(folder);
        local = Files.write(folder.resolve(RemoteFiles.fileName(location)), (byte[]) row.get(contentColumn));
      } else if (volumes && RemoteFiles.isLocal(location)) {
        // A series is read from one folder holding exactly the rows' files: link them there.
        Files.createDirectories(folder);
        local = Files.createSymbolicLink(folder.resolve(RemoteFiles.fileName(location)),
            RemoteFiles.localPath(location).toAbsolutePath());
      } else if (RemoteFiles.isLocal(location)) {
        // Read where it lies, so messages naming it name the user's file already; rewriting them would turn a message
        // naming file:/a/b into one naming file:file:/a/b.
        return RemoteFiles.localPath(location);
      } else {
        local = RemoteFiles.local(location, folder, hadoop);
      }
      copies.put(local.toString(), location);
      return local;
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
