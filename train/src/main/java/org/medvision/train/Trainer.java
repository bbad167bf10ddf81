package org.medvision.train;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.metrics.ClassificationMetrics;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.training.TrainingOptions;
import org.medvision.api.training.TrainingSession;
import org.medvision.api.weights.RandomWeights;
import org.medvision.api.weights.Weights;
import org.medvision.io.dataset.BatchLoader;
import org.medvision.io.dataset.Dataset;
import org.medvision.io.dataset.Split;
import org.medvision.io.image.ImagePreprocessor;
import org.medvision.train.schedule.LearningRateSchedule;
import org.medvision.train.schedule.WarmupCosineSchedule;

/**
 * Trains a task's classifier on one engine: epochs of seeded, shuffled, augmented mini-batches, validation after
 * each epoch, checkpoints, early stopping, resume, and clean failure.
 *
 * <p>One epoch: the training split is shuffled with a seed derived from the run seed and the epoch (so a resumed run
 * replays the same order); images are decoded, augmented ({@link Augmentation}, when on) and preprocessed as the
 * task asks, on a prefetch thread; each micro-batch runs {@link TrainingSession#forwardBackward}; every
 * {@code accumulationSteps} micro-batches (and at the end of the epoch) the summed gradients are divided by the
 * number of micro-batches, clipped to the global norm {@code clipNorm} (scaled by {@code clipNorm / norm} when the
 * norm exceeds it), and applied with {@link TrainingSession#step} at the rate of a {@link WarmupCosineSchedule}
 * stepped per update. When the training split holds one image more than a multiple of the batch size, the epoch's
 * last shuffled image is left out, because BatchNorm cannot normalise a batch of one. The validation split then
 * runs through {@link TrainingSession#infer}; softmax of the logits gives {@link ClassificationMetrics} and the plain
 * cross-entropy.
 *
 * <p>After each epoch the run directory gets {@code last.safetensors} (parameters and BatchNorm running statistics),
 * {@code last.optimizer.safetensors}, {@code last.json} and the CSV log, and, when the selection metric improved,
 * {@code best.safetensors} and {@code best.json}; every file is replaced atomically and {@code last.json} is written
 * last. A run that fails before its first checkpoint removes what it wrote and says so; one that fails later keeps
 * its last good checkpoint and says how to resume. A NaN or infinite loss or gradient norm stops the run with
 * {@link TrainingDivergedException}. {@link #requestStop()} (from a shutdown hook, see {@link StopOnShutdown}) ends
 * the run after the current update with a resumable checkpoint.
 *
 * <p>Not thread-safe apart from {@link #requestStop()} and {@link #awaitIdle}.
 */
public final class Trainer {
  private static final int MIN_TRAIN_IMAGES = 2;

  private final Engine engine;
  private final TrainingListener listener;
  private volatile boolean stopRequested;
  private volatile CountDownLatch running = new CountDownLatch(0);

  /** A trainer on {@code engine} reporting to {@code listener}. */
  public Trainer(Engine engine, TrainingListener listener) {
    this.engine = engine;
    this.listener = listener;
  }

  /** Asks the running (or next) {@link #train} call to stop after its current optimiser update. Thread-safe. */
  public void requestStop() {
    stopRequested = true;
  }

  /**
   * Waits until no {@link #train} call is running, at most {@code millis} milliseconds.
   *
   * @return whether training is idle
   */
  public boolean awaitIdle(long millis) {
    try {
      return running.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Runs a training.
   *
   * @return how it ended; {@link TrainingResult.Status#INTERRUPTED} after {@link #requestStop()}
   * @throws TrainingDivergedException if the loss or gradient norm becomes NaN or infinite
   * @throws MedvisionException for bad data, a run directory that may not be used, a checkpoint from another task or
   *     configuration, engine failures and running out of memory; the message says what happened to the run
   *     directory
   */
  public TrainingResult train(TrainingRequest request) {
    CountDownLatch latch = new CountDownLatch(1);
    running = latch;
    try {
      return new Run(request).execute();
    } finally {
      latch.countDown();
    }
  }

  /** The state of one {@link #train} call. */
  private final class Run {
    private final TrainingRequest request;
    private final TrainerConfig config;
    private final Task task;
    private final TaskFeed feed;
    private final Dataset trainSet;
    private final Dataset valSet;
    private final int trainCount;
    private final int batchesPerEpoch;
    private final int updatesPerEpoch;
    private final LearningRateSchedule schedule;
    private final ImagePreprocessor preprocessor;
    private final Augmentation augmentation;
    private RunDirectory dir;
    private boolean checkpointed;
    private Graph graph;
    private float[] classWeights;

    // Position and running statistics; restored from last.json on resume.
    private int epochsDone;
    private int batchesDone;
    private long steps;
    private double lossSum;
    private double trainSeconds;
    private double lastRate = Double.NaN;
    private int bestEpoch;
    private double bestValue = Double.NaN;
    private int stale;
    private final List<EpochMetrics> history = new ArrayList<>();

    // For the ETA.
    private final long sessionStart = System.nanoTime();
    private long sessionBatches;
    private double lastValSeconds;

    Run(TrainingRequest request) {
      this.request = request;
      this.config = request.config();
      this.task = request.task();
      this.feed = TaskFeed.of(task);
      List<String> classes = feed.logits().labels();
      if (!classes.equals(request.data().classes())) {
        throw new MedvisionException("the data's classes " + request.data().classes() + " differ from task "
            + task.name() + "'s outputs " + classes + "; load the data for this task's subtask");
      }
      this.trainSet = request.data().dataset(Split.TRAIN);
      this.valSet = request.data().dataset(Split.VAL);
      if (trainSet.size() < MIN_TRAIN_IMAGES) {
        throw new MedvisionException("the training split of " + request.data().source() + " holds " + trainSet.size()
            + " image; training needs at least " + MIN_TRAIN_IMAGES);
      }
      this.trainCount = trainSet.size() % config.batchSize() == 1 ? trainSet.size() - 1 : trainSet.size();
      this.batchesPerEpoch = (trainCount + config.batchSize() - 1) / config.batchSize();
      this.updatesPerEpoch = (batchesPerEpoch + config.accumulationSteps() - 1) / config.accumulationSteps();
      long total = (long) updatesPerEpoch * config.epochs();
      long warmup = Math.round(config.warmupEpochs() * updatesPerEpoch);
      this.schedule = new WarmupCosineSchedule(config.learningRate(), config.finalLearningRate(),
          Math.min(warmup, total - 1), total);
      this.preprocessor = new ImagePreprocessor(feed.preprocessing());
      this.augmentation = config.augment() ? new Augmentation(config.seed()) : null;
    }

    TrainingResult execute() {
      CheckpointInfo resumeFrom = null;
      if (request.resume()) {
        resumeFrom = Checkpoints.readInfo(request.runDirectory().resolve(RunFiles.LAST_SIDECAR));
        checkCompatible(resumeFrom);
      }
      dir = RunDirectory.prepare(request.runDirectory(), request.force(), request.resume());
      checkpointed = request.resume();
      try {
        return trainAll(resumeFrom);
      } catch (RuntimeException | Error e) {
        throw failure(e);
      }
    }

    private TrainingResult trainAll(CheckpointInfo resumeFrom) {
      classWeights = config.classWeighting().weights(request.data().counts(Split.TRAIN));
      graph = TrainingGraph.classification(task.graph(), feed.logits().name(), (float) config.labelSmoothing(),
          classWeights);
      Weights initial;
      long engineSeed = config.seed();
      if (resumeFrom != null) {
        restore(resumeFrom);
        initial = Checkpoints.readVerified(dir.file(RunFiles.LAST_WEIGHTS), resumeFrom.weightsSha256()).fitTo(graph);
        // The engine's dropout stream restarts here; derive it from the position so a resume is reproducible too.
        engineSeed = Augmentation.mix(Augmentation.mix(config.seed(), epochsDone), batchesDone);
      } else if (request.initialWeights() != null) {
        initial = request.initialWeights().fitTo(graph);
      } else {
        initial = RandomWeights.initialize(task.graph(), config.seed());
      }
      TrainingOptions options = new TrainingOptions(config.parsedDevice(), engineSeed, config.threads(),
          config.precision());
      try (TrainingSession session = engine.train(graph, initial, config.optimizerSpec(), options)) {
        if (resumeFrom != null) {
          session.loadOptimizerState(Checkpoints.readVerified(dir.file(RunFiles.LAST_OPTIMIZER),
              resumeFrom.optimizerSha256()).tensors());
        }
        listener.started(new TrainingPlan(dir.path(), epochsDone + 1, config.epochs(), batchesPerEpoch,
            updatesPerEpoch, trainCount, valSet.size(), trainableParameters(), config.seed(), classWeights));
        return loop(session);
      }
    }

    private TrainingResult loop(TrainingSession session) {
      while (epochsDone < config.epochs()) {
        int epoch = epochsDone + 1;
        long epochStart = System.nanoTime();
        boolean finished = trainEpoch(session, epoch);
        if (!finished) {
          saveLast(session, null);
          String where = batchesDone == 0 ? "before epoch " + epoch
              : "in epoch " + epoch + " after batch " + batchesDone + " of " + batchesPerEpoch;
          listener.notice("stopped " + where + "; saved a resumable checkpoint in " + dir.path()
              + "; continue with: medvision train --out " + dir.path() + " --resume");
          return result(TrainingResult.Status.INTERRUPTED);
        }
        long valStart = System.nanoTime();
        Validation v = validate(session);
        lastValSeconds = (System.nanoTime() - valStart) / 1e9;
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        double trainLoss = lossSum / batchesPerEpoch;
        double rate = trainCount / trainSeconds;
        EpochMetrics m = new EpochMetrics(epoch, lastRate, trainLoss, Double.NaN, v.loss, v.metrics.accuracy(),
            v.metrics.macro().f1(), v.metrics.auroc(), rate, seconds);
        history.add(m);
        epochsDone = epoch;
        batchesDone = 0;
        lossSum = 0;
        trainSeconds = 0;
        double value = config.selectMetric().of(m);
        boolean improved = config.selectMetric().improves(value, bestValue);
        if (improved) {
          bestEpoch = epoch;
          bestValue = value;
          stale = 0;
        } else {
          stale++;
        }
        Weights weights = session.weights();
        if (improved) {
          saveBest(weights, m);
        }
        saveLast(session, m, weights);
        TrainingLog.write(dir.file(RunFiles.LOG), history);
        listener.epochFinished(m, improved);
        if (config.patience() > 0 && stale >= config.patience() && epochsDone < config.epochs()) {
          listener.notice(String.format(Locale.ROOT, "early stop after epoch %d: %s has not improved for %d epochs "
              + "(best %.4f at epoch %d)", epoch, config.selectMetric().id(), stale, bestValue, bestEpoch));
          return result(TrainingResult.Status.EARLY_STOPPED);
        }
      }
      return result(TrainingResult.Status.COMPLETED);
    }

    /** Trains one epoch from {@link #batchesDone}; false if a stop was requested first. */
    private boolean trainEpoch(TrainingSession session, int epoch) {
      int[] order = Arrays.copyOfRange(trainSet.shuffledOrder(Augmentation.mix(config.seed(), -epoch)),
          batchesDone * config.batchSize(), trainCount);
      BatchLoader.ImageTransform transform = augmentation == null
          ? (image, index) -> preprocessor.apply(image)
          : (image, index) -> preprocessor.apply(augmentation.apply(image, epoch, index));
      int micro = 0;
      try (BatchLoader loader = BatchLoader.builder(trainSet).batchSize(config.batchSize()).prefetch(true)
          .transform(transform).build()) {
        Iterator<BatchLoader.Batch> it = loader.batches(order);
        while (batchesDone < batchesPerEpoch) {
          if (micro == 0 && stopRequested) {
            return false;
          }
          long t0 = System.nanoTime();
          int batch = batchesDone + 1;
          float loss;
          BatchLoader.Batch b;
          try {
            b = it.next();
            loss = session.forwardBackward(feed.feeds(b.images(), b.labels()));
          } catch (OutOfMemoryError e) {
            throw outOfMemory(epoch, batch, e);
          } catch (RuntimeException e) {
            if (isOutOfMemory(e)) {
              throw outOfMemory(epoch, batch, e);
            }
            throw e;
          }
          if (!Float.isFinite(loss)) {
            throw diverged("the loss is " + loss, epoch, batch);
          }
          micro++;
          lossSum += loss;
          if (micro == config.accumulationSteps() || batch == batchesPerEpoch) {
            update(session, micro, epoch, batch);
            micro = 0;
          }
          batchesDone = batch;
          trainSeconds += (System.nanoTime() - t0) / 1e9;
          sessionBatches++;
          listener.batchFinished(new TrainingListener.BatchProgress(epoch, config.epochs(), batch, batchesPerEpoch,
              lossSum / batch, lastRate, (double) Math.min(batch * config.batchSize(), trainCount) / trainSeconds,
              eta(epoch)));
        }
      }
      return true;
    }

    private void update(TrainingSession session, int micro, int epoch, int batch) {
      if (micro > 1) {
        session.scaleGradients(1.0 / micro);
      }
      if (config.clipNorm() > 0) {
        double norm = session.gradientNorm();
        if (!Double.isFinite(norm)) {
          throw diverged("the gradient norm is " + norm, epoch, batch);
        }
        if (norm > config.clipNorm()) {
          session.scaleGradients(config.clipNorm() / norm);
        }
      }
      lastRate = schedule.rate(steps);
      session.step(lastRate);
      steps++;
    }

    private double eta(int epoch) {
      double perBatch = (System.nanoTime() - sessionStart) / 1e9 / sessionBatches;
      long remainingBatches = (long) (config.epochs() - epoch) * batchesPerEpoch + (batchesPerEpoch - batchesDone);
      return perBatch * remainingBatches + lastValSeconds * (config.epochs() - epoch + 1);
    }

    /** Validation loss and metrics. */
    private record Validation(double loss, ClassificationMetrics metrics) {}

    private Validation validate(TrainingSession session) {
      int n = valSet.size();
      int[] order = new int[n];
      Arrays.setAll(order, i -> i);
      int classes = feed.logits().labels().size();
      int[] labels = new int[n];
      float[][] probabilities = new float[n][];
      double loss = 0;
      int row = 0;
      try (BatchLoader loader = BatchLoader.builder(valSet).batchSize(config.batchSize()).prefetch(true)
          .transform((image, index) -> preprocessor.apply(image)).build()) {
        Iterator<BatchLoader.Batch> it = loader.batches(order);
        while (it.hasNext()) {
          BatchLoader.Batch b = it.next();
          Map<String, Tensor> out = session.infer(feed.feeds(b.images(), null));
          Tensor logits = out.get(feed.logits().name());
          if (logits == null) {
            throw new MedvisionException("the engine's inference returned no '" + feed.logits().name()
                + "' output; it returned " + out.keySet());
          }
          float[] z = logits.toFloatArray();
          long[] y = b.labels().toLongArray();
          for (int i = 0; i < y.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
              max = Math.max(max, z[i * classes + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
              sum += Math.exp(z[i * classes + c] - max);
            }
            float[] p = new float[classes];
            for (int c = 0; c < classes; c++) {
              p[c] = (float) (Math.exp(z[i * classes + c] - max) / sum);
            }
            labels[row] = (int) y[i];
            probabilities[row] = p;
            loss += max + Math.log(sum) - z[i * classes + (int) y[i]];
            row++;
          }
        }
      }
      return new Validation(loss / n, ClassificationMetrics.compute(labels, probabilities, feed.logits().labels()));
    }

    private void saveBest(Weights weights, EpochMetrics m) {
      Weights w = annotate(weights, epochsDone);
      String sha = Checkpoints.writeWeights(dir.file(RunFiles.BEST_WEIGHTS), w);
      Checkpoints.writeInfo(dir.file(RunFiles.BEST_SIDECAR), info("best", m, RunFiles.BEST_WEIGHTS, sha, null, null));
    }

    private void saveLast(TrainingSession session, EpochMetrics m) {
      saveLast(session, m, session.weights());
    }

    private void saveLast(TrainingSession session, EpochMetrics m, Weights weights) {
      Weights w = annotate(weights, epochsDone);
      String sha = Checkpoints.writeWeights(dir.file(RunFiles.LAST_WEIGHTS), w);
      String optSha = Checkpoints.writeWeights(dir.file(RunFiles.LAST_OPTIMIZER),
          Weights.of(session.optimizerState(), "optimizer state"));
      EpochMetrics latest = m != null ? m : history.isEmpty() ? null : history.get(history.size() - 1);
      Checkpoints.writeInfo(dir.file(RunFiles.LAST_SIDECAR), info("last", latest, RunFiles.LAST_WEIGHTS, sha,
          RunFiles.LAST_OPTIMIZER, optSha));
      checkpointed = true;
    }

    private Weights annotate(Weights weights, int epoch) {
      Map<String, String> meta = new LinkedHashMap<>(task.graph().metadata());
      meta.put("epoch", Integer.toString(epoch));
      meta.put("seed", Long.toString(config.seed()));
      return new Weights(weights.tensors(), meta, dir.path() + " epoch " + epoch);
    }

    private CheckpointInfo info(String kind, EpochMetrics m, String weightsFile, String weightsSha,
        String optimizerFile, String optimizerSha) {
      return new CheckpointInfo(CheckpointInfo.FORMAT, kind, task.name(), task.config(), feed.logits().labels(),
          config, epochsDone, batchesDone, steps, lossSum, trainSeconds, m, bestEpoch, bestValue, stale, history,
          config.seed(), engine.name(), engine.version(), config.device(), request.data().source().toString(),
          request.data().sha256(), weightsFile, weightsSha, optimizerFile, optimizerSha, request.medvisionVersion(),
          System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
          System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
              + System.getProperty("os.arch"),
          Instant.now().toString());
    }

    private void restore(CheckpointInfo info) {
      epochsDone = info.epoch();
      batchesDone = info.batchesDone();
      steps = info.optimizerSteps();
      lossSum = info.partialLossSum();
      trainSeconds = info.partialSeconds();
      bestEpoch = info.bestEpoch();
      bestValue = info.bestValue();
      stale = info.epochsWithoutImprovement();
      history.addAll(info.history());
      lastRate = steps > 0 ? schedule.rate(steps - 1) : Double.NaN;
      if (epochsDone >= config.epochs() && batchesDone == 0) {
        throw new MedvisionException("the run in " + request.runDirectory() + " already finished its " + epochsDone
            + " epochs; give --epochs above " + epochsDone + " to train longer");
      }
    }

    private void checkCompatible(CheckpointInfo info) {
      TaskConfig wanted = task.config();
      if (!info.task().equals(task.name()) || !info.taskConfig().equals(wanted)) {
        TaskConfig had = info.taskConfig();
        throw new MedvisionException("the checkpoint in " + request.runDirectory() + " is for task " + info.task()
            + " " + had.variant() + "/" + had.subtask() + "/" + had.fusion() + " @" + had.imageSize() + " "
            + had.options() + ", but this run asks for " + task.name() + " " + wanted.variant() + "/"
            + wanted.subtask() + "/" + wanted.fusion() + " @" + wanted.imageSize() + " " + wanted.options());
      }
      TrainerConfig saved = info.trainer().toBuilder().epochs(config.epochs()).patience(config.patience()).build();
      if (!saved.equals(config)) {
        throw new MedvisionException("resuming " + request.runDirectory() + " needs the checkpoint's training "
            + "settings (only epochs and patience may change); checkpoint: " + info.trainer() + "; asked: " + config);
      }
      if (!info.dataSha256().equals(request.data().sha256())) {
        throw new MedvisionException("the data " + request.data().source() + " (SHA-256 " + request.data().sha256()
            + ") is not the data the checkpoint in " + request.runDirectory() + " was trained on (" + info.data()
            + ", SHA-256 " + info.dataSha256() + ")");
      }
    }

    private long trainableParameters() {
      return task.graph().parameters().stream().filter(p -> p.role().trainable()).mapToLong(ParameterSpec::size)
          .sum();
    }

    private TrainingResult result(TrainingResult.Status status) {
      return new TrainingResult(dir.path(), status, epochsDone, bestEpoch, config.selectMetric(), bestValue, history,
          config.seed());
    }

    private TrainingDivergedException diverged(String what, int epoch, int batch) {
      return new TrainingDivergedException(String.format(Locale.ROOT, "training diverged: %s at epoch %d, batch %d "
          + "of %d (optimizer step %d, learning rate %.3g); lower --lr, set --clip-norm, or check the data", what,
          epoch, batch, batchesPerEpoch, steps + 1, schedule.rate(steps)));
    }

    private MedvisionException outOfMemory(int epoch, int batch, Throwable cause) {
      int smaller = Math.max(1, config.batchSize() / 2);
      return new MedvisionException("out of memory at epoch " + epoch + ", batch " + batch + " with batch size "
          + config.batchSize() + " at " + feed.preprocessing().height() + "x" + feed.preprocessing().width()
          + "; try a smaller --batch such as " + smaller + " (add --accumulate "
          + Math.max(1, config.batchSize() / smaller) + " to keep the effective batch)", cause);
    }

    private boolean isOutOfMemory(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
        if (t instanceof OutOfMemoryError || m.contains("out of memory") || m.contains("can't allocate memory")) {
          return true;
        }
      }
      return false;
    }

    /** The exception to report for {@code e}, saying what happened to the run directory. */
    private RuntimeException failure(Throwable e) {
      String note;
      if (!checkpointed) {
        note = dir.discard();
      } else {
        note = "the last good checkpoint is " + dir.file(RunFiles.LAST_WEIGHTS) + " (after epoch " + epochsDone
            + "); continue with: medvision train --out " + dir.path() + " --resume";
      }
      if (e instanceof OutOfMemoryError) {
        return new MedvisionException(outOfMemory(epochsDone + 1, batchesDone + 1, e).getMessage() + "; " + note, e);
      }
      String message = (e.getMessage() == null ? e.toString() : e.getMessage()) + "; " + note;
      if (e instanceof TrainingDivergedException) {
        TrainingDivergedException d = new TrainingDivergedException(message);
        d.initCause(e);
        return d;
      }
      if (e instanceof MedvisionException) {
        return new MedvisionException(message, e);
      }
      return new MedvisionException("training failed: " + e + "; " + note, e);
    }
  }
}
