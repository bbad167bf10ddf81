package org.medvision.runtime.batch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.medvision.api.Closeables;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Engine;
import org.medvision.io.ProgressListener;
import org.medvision.runtime.ModelSource;
import org.medvision.runtime.Predictor;
import org.medvision.runtime.UnreadableInputException;

/**
 * Runs a model over every input of a source into an output folder, resumably: N worker threads take items from a
 * bounded queue that the calling thread fills as it enumerates the inputs (so memory stays bounded however many
 * inputs there are, and enumeration waits when the workers fall behind), predict them in batches
 * ({@link BatchPredictor}) and write their rows as part files ({@link BatchFolder}) every
 * {@link BatchSettings#rowsPerPart()} rows or {@link BatchSettings#partSeconds()} seconds. Inputs whose ids the folder
 * already holds are skipped, so re-running a stopped job finishes it with the same rows, none twice.
 *
 * <p>Before the workers start, the first batch is predicted: if the model fails on its first readable input, the job
 * stops with that error before any result is written (the model does not fit the inputs). After that, an input that fails is
 * an error row and the job goes on; a failure to write results stops the job (what was written stays and resumes).
 */
public final class BatchRunner {
  private final Engine engine;
  private final ModelSource model;
  private final CompileOptions compile;
  private final BatchSettings settings;

  /**
   * A runner; the engine stays the caller's.
   *
   * @param compile how the model is compiled (device, precision)
   */
  public BatchRunner(Engine engine, ModelSource model, CompileOptions compile, BatchSettings settings) {
    this.engine = engine;
    this.model = model;
    this.compile = compile;
    this.settings = settings;
  }

  /**
   * Predicts every input of {@code inputs} not yet in {@code out}.
   *
   * @param progress told (inputs done in this run, inputs this run will do: an estimate until the inputs are all
   *     listed) after each batch; notes say how the job runs
   * @throws MedvisionException if the folder belongs to another job, there is nothing to predict, the model does not
   *     fit the inputs, or results cannot be written
   */
  public BatchSummary run(BatchInputs inputs, Path out, ProgressListener progress) {
    long started = System.nanoTime();
    PredictionSchema schema = PredictionSchema.of(model.task());
    BatchFolder folder = BatchFolder.open(out, BatchHeader.of(model, engine.name(), schema, settings), schema,
        settings.formats(), settings.force());
    inputs.passOver(out);
    folder.redone().forEach(why -> progress.note("redoing a damaged part: " + why));
    ModelSharing sharing = settings.sharingFor(engine.name());
    int workers = settings.workers();
    List<Predictor> predictors = new ArrayList<>();
    try {
      int copies = sharing == ModelSharing.SHARED ? 1 : workers;
      for (int i = 0; i < copies; i++) {
        predictors.add(new Predictor(engine, model, compile, settings.batchSize()));
      }
      progress.note(workers + " worker" + (workers == 1 ? "" : "s") + ", " + (sharing == ModelSharing.SHARED
          ? "one shared model" : "one model per worker") + " on " + engine.name() + ", batches of "
          + settings.batchSize() + (folder.doneCount() > 0 ? ", " + folder.doneCount() + " inputs done before" : ""));
      Path maps = settings.writeMaps() ? folder.maps() : null;
      List<BatchPredictor> perWorker = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        perWorker.add(new BatchPredictor(predictors.get(Math.min(i, copies - 1)), schema, engine.name(), maps));
      }
      Job job = new Job(inputs, folder, perWorker, progress);
      job.run();
      return new BatchSummary(job.predicted.get(), job.failed.get(), job.skipped, folder.failedBefore(),
          job.duplicates, job.parts.intValue(), (System.nanoTime() - started) / 1e9, workers, sharing);
    } finally {
      Closeables.closeAll(predictors);
    }
  }

  /** One run's state: the queue, the workers and the counts. */
  private final class Job {
    private final BatchInputs inputs;
    private final BatchFolder folder;
    private final List<BatchPredictor> predictors;
    private final ProgressListener progress;
    private final BlockingQueue<BatchItem> queue;
    private final InputIdSet seen = new InputIdSet();
    private final AtomicLong predicted = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong parts = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean listed;
    private volatile long estimate;
    /** Items given to the workers, the first batch's included: once the inputs are listed, this run's total. */
    private long handedOut;
    private long skipped;
    private long duplicates;

    Job(BatchInputs inputs, BatchFolder folder, List<BatchPredictor> predictors, ProgressListener progress) {
      this.inputs = inputs;
      this.folder = folder;
      this.predictors = predictors;
      this.progress = progress;
      this.queue = new ArrayBlockingQueue<>(2 * predictors.size() * settings.batchSize());
    }

    void run() {
      Iterator<BatchItem> todo = new Todo();
      List<PredictionRow> first = firstRows(todo);
      handedOut = first.size();
      if (first.isEmpty() && skipped == 0) {
        throw new MedvisionException("nothing to predict in " + inputs.source() + " for task " + model.task().name()
            + " (its input is " + (model.task().data().primaryInput() instanceof org.medvision.api.data.VolumeField
            ? "a volume: DICOM series or NIfTI files" : "an image: PNG, JPEG, BMP, DICOM or NIfTI slices") + ")");
      }
      folder.begin();
      progress.progress(0, Math.max(estimate, 0));
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < predictors.size(); i++) {
        BatchPredictor p = predictors.get(i);
        List<PredictionRow> start = i == 0 ? first : List.of();
        Thread t = new Thread(() -> work(p, start), "medvision-batch-" + (i + 1));
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
      try {
        while (failure.get() == null && todo.hasNext()) {
          offer(todo.next());
          handedOut++;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure.compareAndSet(null, e);
      } catch (RuntimeException e) {
        failure.compareAndSet(null, e);
      } finally {
        listed = true;
        estimate = handedOut;
        for (Thread t : threads) {
          joinQuietly(t);
        }
      }
      Throwable f = failure.get();
      if (f instanceof RuntimeException r) {
        throw r;
      }
      if (f instanceof Error e) {
        throw e;
      }
      if (f != null) {
        throw new MedvisionException("batch job interrupted: " + f, f);
      }
      progress.progress(predicted.get() + failed.get(), predicted.get() + failed.get());
    }

    /**
     * Predicts the first batches before the workers start, until one holds a prediction: the model has then run on a
     * readable input (when every input so far was unreadable, it has not been tried yet).
     *
     * @return their rows, for the first worker's part
     */
    private List<PredictionRow> firstRows(Iterator<BatchItem> todo) {
      List<PredictionRow> rows = new ArrayList<>();
      while (todo.hasNext()) {
        List<PredictionRow> batch = firstBatch(todo);
        rows.addAll(batch);
        if (batch.stream().anyMatch(r -> !r.failed())) {
          break;
        }
      }
      return rows;
    }

    /**
     * Predicts one batch before the workers start. When it fails, its items are predicted one by one: a model
     * failure on the first readable one means the model does not fit the inputs, and stops the job.
     *
     * @return its rows, for the first worker's part
     */
    private List<PredictionRow> firstBatch(Iterator<BatchItem> todo) {
      List<BatchItem> batch = new ArrayList<>();
      while (batch.size() < settings.batchSize() && todo.hasNext()) {
        batch.add(todo.next());
      }
      BatchPredictor p = predictors.get(0);
      try {
        return p.predictOrThrow(batch);
      } catch (RuntimeException batchFailed) {
        List<PredictionRow> rows = new ArrayList<>();
        boolean fits = false;
        for (BatchItem item : batch) {
          if (item.isError()) {
            rows.add(p.failedRow(item, item.error()));
            continue;
          }
          try {
            rows.add(p.predictOrThrow(item));
            fits = true;
          } catch (UnreadableInputException e) {
            // A damaged file says nothing about the model.
            rows.add(p.failedRow(item, e.getMessage()));
          } catch (RuntimeException e) {
            if (!fits) {
              throw new MedvisionException("model " + model.file() + " does not fit the inputs: it failed on the "
                  + "first one, " + item.inputId() + ": " + e.getMessage(), e);
            }
            rows.add(p.failedRow(item, e.getMessage() == null ? e.toString() : e.getMessage()));
          }
        }
        return rows;
      }
    }

    private void offer(BatchItem item) throws InterruptedException {
      while (!queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
        if (failure.get() != null) {
          return;
        }
      }
    }

    private void work(BatchPredictor predictor, List<PredictionRow> start) {
      List<PredictionRow> part = new ArrayList<>();
      long partStarted = System.nanoTime();
      count(start, part);
      try {
        while (failure.get() == null) {
          List<BatchItem> batch = new ArrayList<>(settings.batchSize());
          BatchItem head = queue.poll(100, TimeUnit.MILLISECONDS);
          if (head == null) {
            if (listed && queue.isEmpty()) {
              break;
            }
            continue;
          }
          if (part.isEmpty()) {
            partStarted = System.nanoTime();
          }
          batch.add(head);
          fill(batch);
          count(predictor.predict(batch), part);
          if (part.size() >= settings.rowsPerPart() || System.nanoTime() - partStarted > settings.partSeconds() * 1e9) {
            commit(part);
          }
          report();
        }
        if (failure.get() == null && !part.isEmpty()) {
          commit(part);
        }
      } catch (InterruptedException e) {
        failure.compareAndSet(null, e);
      } catch (RuntimeException | Error e) {
        failure.compareAndSet(null, e);
      }
    }

    /**
     * Tops {@code batch} up to a whole batch while inputs are still being listed: engines run best on one batch shape,
     * and a slow listing (DICOM headers) would otherwise hand out small batches.
     */
    private void fill(List<BatchItem> batch) throws InterruptedException {
      queue.drainTo(batch, settings.batchSize() - batch.size());
      while (batch.size() < settings.batchSize() && !listed && failure.get() == null) {
        BatchItem more = queue.poll(20, TimeUnit.MILLISECONDS);
        if (more != null) {
          batch.add(more);
          queue.drainTo(batch, settings.batchSize() - batch.size());
        }
      }
    }

    private void count(List<PredictionRow> rows, List<PredictionRow> part) {
      for (PredictionRow r : rows) {
        part.add(r);
        (r.failed() ? failed : predicted).incrementAndGet();
      }
    }

    private void commit(List<PredictionRow> part) {
      folder.commit(part);
      parts.incrementAndGet();
      part.clear();
    }

    private void report() {
      long done = predicted.get() + failed.get();
      long total = listed ? estimate : Math.max(estimate, done);
      synchronized (progress) {
        progress.progress(done, Math.max(total, done));
      }
    }

    private void joinQuietly(Thread t) {
      boolean interrupted = false;
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
          failure.compareAndSet(null, e);
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    /** The inputs of this run: those not done before and not met before in this run; keeps the estimate. */
    private final class Todo implements Iterator<BatchItem> {
      private BatchItem next;

      @Override
      public boolean hasNext() {
        while (next == null && inputs.hasNext()) {
          BatchItem item = inputs.next();
          if (folder.isDone(item.inputId())) {
            skipped++;
          } else if (!seen.add(item.inputId())) {
            duplicates++;
          } else {
            next = item;
          }
          estimate = inputs.estimatedCount() - skipped - duplicates;
        }
        return next != null;
      }

      @Override
      public BatchItem next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        BatchItem item = next;
        next = null;
        return item;
      }
    }
  }
}
