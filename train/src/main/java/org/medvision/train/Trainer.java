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
import java.util.stream.Stream;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.Batches;
import org.medvision.api.data.Example;
import org.medvision.api.data.Seeds;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.Graph;
import org.medvision.api.metrics.MetricResult;
import org.medvision.api.metrics.MetricSuite;
import org.medvision.api.pipeline.SingleGraphPipeline;
import org.medvision.api.pipeline.StageRunner;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.OptimizerSpec;
import org.medvision.api.training.ParamSettings;
import org.medvision.api.training.TrainingContext;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.training.TrainingOptions;
import org.medvision.api.training.TrainingSession;
import org.medvision.api.training.TrainingSpec;
import org.medvision.api.weights.FitReport;
import org.medvision.api.weights.PartialFit;
import org.medvision.api.weights.RandomWeights;
import org.medvision.api.weights.Weights;
import org.medvision.io.ProgressListener;
import org.medvision.io.dataset.Augmentation;
import org.medvision.io.dataset.ExampleLoader;
import org.medvision.io.dataset.ExampleReader;
import org.medvision.io.dataset.ExampleSet;
import org.medvision.io.dataset.Split;
import org.medvision.runtime.Scoring;
import org.medvision.runtime.Windows;
import org.medvision.train.schedule.LearningRateSchedule;
import org.medvision.train.schedule.WarmupCosineSchedule;

/**
 * Trains any task on one engine, as the task's {@link org.medvision.api.training.TrainingRecipe} says: epochs of
 * sampled, augmented mini-batches, validation through the task's pipeline and metric suites after each epoch,
 * checkpoints, early stopping, resume, and clean failure. Nothing here knows what a task's examples, losses or
 * metrics are.
 *
 * <p>One epoch: {@link TrainerConfig#repeatsFor} passes over the training split (one for a split of twenty-odd
 * batches; more for a small split, so an epoch holds enough updates), each ordered by the recipe's sampler with a seed
 * derived from the run seed and the pass (so a resumed run replays the same order); examples are decoded, augmented
 * (when on) and preprocessed as the task's data schema asks, on a prefetch thread; each micro-batch feeds the graph's
 * inputs from the fields the schema names and its training targets from the fields the recipe names, with the loss
 * weights the recipe's balancer gives for the step, and runs {@link TrainingSession#forwardBackward}. Every {@code
 * accumulationSteps} micro-batches (and at the end of the epoch) the summed gradients are divided by the number of
 * micro-batches, clipped to the global norm {@code clipNorm}, and applied with {@link TrainingSession#step} at the rate
 * of a {@link WarmupCosineSchedule} stepped per update. When an epoch holds one example more than a multiple of the
 * batch size, its last example is left out, because BatchNorm cannot normalise a batch of one. The validation split
 * then runs through the task's pipeline on the session's current weights, and its metric suites score it.
 *
 * <p>After each epoch the run directory gets {@code last.safetensors}, {@code last.optimizer.safetensors},
 * {@code last.json} and the CSV log, and, when the selection metric improved, {@code best.safetensors} and
 * {@code best.json}; every file is replaced atomically and {@code last.json} is written last. A run that fails before
 * its first checkpoint removes what it wrote and says so; one that fails later keeps its last good checkpoint and says
 * how to resume. A NaN or infinite loss or gradient norm stops the run with {@link TrainingDivergedException}.
 * {@link #requestStop()} (from a shutdown hook, see {@link StopOnShutdown}) ends the run after the current update
 * with a resumable checkpoint.
 *
 * <p>Not thread-safe apart from {@link #requestStop()} and {@link #awaitIdle}.
 */
public final class Trainer {
  private static final int MIN_TRAIN_EXAMPLES = 2;

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
   * @throws MedvisionException for a task without a training recipe, bad data, a run directory that may not be used,
   *     a checkpoint from another task or configuration, engine failures and running out of memory; the message says
   *     what happened to the run directory
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

  /**
   * Runs a learning-rate range test ({@link LearningRateSweep}) with the request's task, data and settings instead of
   * training; the run directory is not touched.
   *
   * @param rates the rate of each update, increasing ({@link LearningRateSweep#schedule})
   * @throws MedvisionException as {@link #train} does for bad requests
   */
  public LearningRateSweep findLearningRate(TrainingRequest request, double[] rates) {
    CountDownLatch latch = new CountDownLatch(1);
    running = latch;
    try {
      return new Run(request).sweep(rates);
    } finally {
      latch.countDown();
    }
  }

  /** The state of one {@link #train} call. */
  private final class Run {
    private final TrainingRequest request;
    private final TrainerConfig config;
    private final Task task;
    private final ExampleSet trainSet;
    private final ExampleSet valSet;
    private final TrainingSpec spec;
    private final MetricSelection selection;
    private final int passLength;
    private final int repeats;
    private final int epochLength;
    private final int trainCount;
    private final int batchesPerEpoch;
    private final int updatesPerEpoch;
    private final LearningRateSchedule schedule;
    private final ExampleReader trainReader;
    private final ExampleReader valReader;
    private final BatchNormRecalibration recalibration;
    private final LossStallWatch stallWatch = new LossStallWatch(LossStallWatch.DEFAULT_WINDOW);
    private RunDirectory dir;
    private boolean checkpointed;
    private FitReport initialization;

    // Position and running statistics; restored from last.json on resume.
    private int epochsDone;
    private int batchesDone;
    private long steps;
    private double lossSum;
    private final Map<String, Double> termSums = new LinkedHashMap<>();
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
      this.trainSet = request.data().split(Split.TRAIN);
      this.valSet = request.data().split(Split.VAL);
      if (trainSet.size() < MIN_TRAIN_EXAMPLES) {
        throw new MedvisionException("the training split of " + request.data().source() + " holds "
            + trainSet.size() + " example; training needs at least " + MIN_TRAIN_EXAMPLES);
      }
      this.spec = task.training().orElseThrow(() -> new MedvisionException("task " + task.name()
          + " declares no training recipe; it can only be used for inference")).build(new TrainingContext(
          task.config(), trainSet, config.seed(), request.settings()));
      this.selection = MetricSelection.resolve(task, config.selectMetric());
      this.passLength = spec.sampler().epoch(trainSet, config.seed(), 1).length;
      int batchesPerPass = (passLength + config.batchSize() - 1) / config.batchSize();
      this.repeats = config.repeatsFor((batchesPerPass + config.accumulationSteps() - 1)
          / config.accumulationSteps());
      this.epochLength = passLength * repeats;
      this.trainCount = epochLength % config.batchSize() == 1 ? epochLength - 1 : epochLength;
      if (trainCount < 1) {
        throw new MedvisionException("sampler " + spec.sampler().name() + " draws " + passLength
            + " examples per pass; training needs at least " + MIN_TRAIN_EXAMPLES);
      }
      this.batchesPerEpoch = (trainCount + config.batchSize() - 1) / config.batchSize();
      this.updatesPerEpoch = (batchesPerEpoch + config.accumulationSteps() - 1) / config.accumulationSteps();
      long total = (long) updatesPerEpoch * config.epochs();
      long warmup = Math.round(config.warmupEpochs() * updatesPerEpoch);
      this.schedule = new WarmupCosineSchedule(config.learningRate(), config.finalLearningRate(),
          Math.min(warmup, total - 1), total);
      ExampleReader reader = ExampleReader.all(task.data(), Windows.parse(config.window()))
          .withWarnings(message -> listener.notice("warning: " + message));
      this.valReader = reader;
      this.trainReader = config.augment()
          ? reader.withAugmentation(new Augmentation(config.seed(), config.maxShift())) : reader;
      Graph model = TrainingGraph.inferenceGraph(spec.graph());
      this.recalibration = config.bnRecalibration() > 0 && BatchStatisticsGraph.applies(model)
          ? new BatchNormRecalibration(model) : null;
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
      Graph graph = spec.graph();
      OptimizerSpec optimizer = config.optimizerSpec().withGroups(spec.groups());
      optimizer.checkGroups(graph);
      Weights initial;
      long engineSeed = config.seed();
      List<String> notes = new ArrayList<>(spec.notes());
      if (repeats > 1) {
        notes.add("each epoch makes " + repeats + " passes over the " + passLength + " training examples drawn per "
            + "pass, so that it holds " + updatesPerEpoch + " updates" + (config.epochRepeats()
            == TrainerConfig.AUTO_REPEATS ? " (a small training split; --epoch-repeats 1 for single passes)" : ""));
      }
      if (recalibration != null) {
        notes.add("BatchNorm statistics of " + recalibration.layers() + " layers are recomputed on "
            + Math.min(trainSet.size(), config.bnRecalibration()) + " unaugmented training examples before each "
            + "validation (precise BN; --bn-recalibration 0 turns it off)");
      }
      if (resumeFrom != null) {
        restore(resumeFrom);
        initialization = resumeFrom.initialization();
        initial = Checkpoints.readVerified(dir.file(RunFiles.LAST_WEIGHTS), resumeFrom.weightsSha256()).fitTo(graph);
        // The engine's dropout stream restarts here; derive it from the position so a resume is reproducible too.
        engineSeed = Seeds.mix(Seeds.mix(config.seed(), epochsDone), batchesDone);
      } else {
        initial = freshWeights(graph, notes);
      }
      TrainingOptions options = new TrainingOptions(config.parsedDevice(), engineSeed, config.threads(),
          config.precision(), spec.balancer().gradientNormParameters());
      try (TrainingSession session = engine.train(graph, initial, optimizer, options)) {
        if (resumeFrom != null) {
          session.loadOptimizerState(Checkpoints.readVerified(dir.file(RunFiles.LAST_OPTIMIZER),
              resumeFrom.optimizerSha256()).tensors());
        }
        listener.started(new TrainingPlan(dir.path(), epochsDone + 1, config.epochs(), batchesPerEpoch,
            updatesPerEpoch, trainCount, valSet.size(), trainableParameters(optimizer), config.seed(),
            spec.sampler().name(), selection.key(), notes));
        return loop(session, notes);
      }
    }

    /** The weights a new run starts from: given, partially loaded or random, plus the recipe's computed ones. */
    private Weights freshWeights(Graph graph, List<String> notes) {
      Weights initial;
      if (request.initialWeights() != null) {
        initial = request.initialWeights().fitTo(graph);
      } else if (request.backbone() != null) {
        PartialFit fit = request.backbone().fitPartially(task.graph(), config.seed(), task.backbone().orElse(null));
        initialization = fit.report();
        notes.add("initialisation " + fit.report().summary());
        initial = fit.weights().fitTo(graph);
      } else {
        initial = RandomWeights.initialize(task.graph(), config.seed());
      }
      return ComputedParameters.apply(spec.computations(), initial, graph, engine,
          new CompileOptions(config.parsedDevice(), config.threads(), true), notes);
    }

    /**
     * The learning-rate range test: fresh weights, one update per (augmented, sampled) training batch at each of
     * {@code rates} in turn, until the smoothed loss explodes or a stop is requested. Nothing is written.
     */
    LearningRateSweep sweep(double[] rates) {
      Graph graph = spec.graph();
      OptimizerSpec optimizer = config.optimizerSpec().withGroups(spec.groups());
      optimizer.checkGroups(graph);
      Weights initial = freshWeights(graph, new ArrayList<>());
      TrainingOptions options = new TrainingOptions(config.parsedDevice(), config.seed(), config.threads(),
          config.precision(), spec.balancer().gradientNormParameters());
      List<Double> losses = new ArrayList<>();
      String stop = "";
      long start = System.nanoTime();
      try (TrainingSession session = engine.train(graph, initial, optimizer, options)) {
        int epoch = 1;
        while (stop.isEmpty() && losses.size() < rates.length) {
          int[] order = epochOrder(epoch);
          try (ExampleLoader loader = new ExampleLoader(trainSet, trainReader, config.batchSize(), epoch, true)) {
            Iterator<List<Example>> it = loader.batches(order);
            for (int b = 0; b < batchesPerEpoch && losses.size() < rates.length; b++) {
              if (stopRequested) {
                stop = "stopped on request";
                break;
              }
              int k = losses.size();
              float loss = session.forwardBackward(feeds(it.next(), session));
              observe(session);
              losses.add((double) loss);
              if (LearningRateSweep.exploded(losses)) {
                stop = String.format(Locale.ROOT, "the loss exploded at rate %.2e", rates[k]);
                break;
              }
              clip(session, 1, k + 1);
              session.step(rates[k]);
              steps++;
              double seconds = (System.nanoTime() - start) / 1e9;
              listener.batchFinished(new TrainingListener.BatchProgress(1, 1, k + 1, rates.length, loss, rates[k],
                  (k + 1.0) * config.batchSize() / seconds, seconds / (k + 1) * (rates.length - k - 1)));
            }
          }
          epoch++;
        }
      }
      return new LearningRateSweep(Arrays.copyOf(rates, losses.size()),
          losses.stream().mapToDouble(Double::doubleValue).toArray(), stop);
    }

    private TrainingResult loop(TrainingSession session, List<String> notes) {
      while (epochsDone < config.epochs()) {
        int epoch = epochsDone + 1;
        long epochStart = System.nanoTime();
        boolean finished = trainEpoch(session, epoch);
        if (!finished) {
          saveLast(session, null, session.weights(), notes);
          String where = batchesDone == 0 ? "before epoch " + epoch
              : "in epoch " + epoch + " after batch " + batchesDone + " of " + batchesPerEpoch;
          listener.notice("stopped " + where + "; saved a resumable checkpoint in " + dir.path()
              + "; continue with: medvision train --out " + dir.path() + " --resume");
          return result(TrainingResult.Status.INTERRUPTED);
        }
        long valStart = System.nanoTime();
        recalibrate(session, epoch);
        Map<String, Double> val = validate(session);
        lastValSeconds = (System.nanoTime() - valStart) / 1e9;
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        Map<String, Double> terms = new LinkedHashMap<>();
        termSums.forEach((k, v) -> terms.put(k, v / batchesPerEpoch));
        EpochMetrics m = new EpochMetrics(epoch, lastRate, lossSum / batchesPerEpoch, terms, val,
            trainCount / trainSeconds, seconds);
        history.add(m);
        epochsDone = epoch;
        batchesDone = 0;
        lossSum = 0;
        termSums.clear();
        trainSeconds = 0;
        double value = m.val(selection.key());
        boolean improved = selection.direction().improves(value, bestValue);
        if (improved) {
          bestEpoch = epoch;
          bestValue = value;
          stale = 0;
        } else {
          stale++;
        }
        Weights weights = session.weights();
        if (improved) {
          saveBest(weights, m, notes);
        }
        saveLast(session, m, weights, notes);
        TrainingLog.write(dir.file(RunFiles.LOG), history);
        listener.epochFinished(m, improved);
        if (config.patience() > 0 && stale >= config.patience() && epochsDone < config.epochs()) {
          listener.notice(String.format(Locale.ROOT, "early stop after epoch %d: %s has not improved for %d epochs "
              + "(best %.4f at epoch %d)", epoch, selection.key(), stale, bestValue, bestEpoch));
          return result(TrainingResult.Status.EARLY_STOPPED);
        }
      }
      return result(TrainingResult.Status.COMPLETED);
    }

    /**
     * The training order of {@code epoch}: the sampler's draws for the epoch's passes one after another (pass p of
     * epoch e is the sampler's epoch (e − 1)·repeats + p, so one pass per epoch orders exactly as the sampler's
     * epochs do), cut to {@link #trainCount}.
     */
    private int[] epochOrder(int epoch) {
      int[] order = new int[epochLength];
      for (int p = 1; p <= repeats; p++) {
        int pass = (epoch - 1) * repeats + p;
        int[] drawn = spec.sampler().epoch(trainSet, config.seed(), pass);
        if (drawn.length != passLength) {
          throw new MedvisionException("sampler " + spec.sampler().name() + " drew " + drawn.length + " examples in "
              + "pass " + pass + " but " + passLength + " in the first; passes must have one length");
        }
        System.arraycopy(drawn, 0, order, (p - 1) * passLength, passLength);
      }
      return Arrays.copyOf(order, trainCount);
    }

    /** Trains one epoch from {@link #batchesDone}; false if a stop was requested first. */
    private boolean trainEpoch(TrainingSession session, int epoch) {
      int[] order = epochOrder(epoch);
      int micro = 0;
      try (ExampleLoader loader = new ExampleLoader(trainSet, trainReader, config.batchSize(), epoch, true)) {
        Iterator<List<Example>> it = loader.batches(order, batchesDone);
        while (batchesDone < batchesPerEpoch) {
          if (micro == 0 && stopRequested) {
            return false;
          }
          long t0 = System.nanoTime();
          int batch = batchesDone + 1;
          float loss;
          try {
            loss = session.forwardBackward(feeds(it.next(), session));
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
          observe(session);
          stallWatch.observe(loss, stallAdvice()).ifPresent(listener::notice);
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

    /**
     * Replaces the session's BatchNorm running statistics with those of the current network on a seeded sample of
     * unaugmented training examples, in training-sized batches (a last batch of one is left out: a layer cannot
     * normalise a single example by its own statistics).
     */
    private void recalibrate(TrainingSession session, int epoch) {
      if (recalibration == null) {
        return;
      }
      int n = Math.min(trainSet.size(), config.bnRecalibration());
      int[] order = Arrays.copyOf(Seeds.shuffled(trainSet.size(), Seeds.mix(config.seed(), -epoch)), n);
      int batches = n % config.batchSize() == 1 && n > 1 ? n / config.batchSize() : (n + config.batchSize() - 1)
          / config.batchSize();
      try (ExampleLoader loader = new ExampleLoader(trainSet, valReader, config.batchSize(), epoch, true)) {
        Iterator<List<Example>> it = loader.batches(order);
        Iterator<Map<String, Tensor>> inputs = Stream.generate(it::next).limit(batches)
            .map(batch -> SingleGraphPipeline.feeds(task.data(), collate(batch, session))).iterator();
        session.assignBuffers(recalibration.measure(engine, session.weights(), new CompileOptions(
            config.parsedDevice(), config.threads(), true), inputs));
      }
    }

    /** A batch collated and prepared as the task's {@link org.medvision.api.training.BatchPreparer} asks. */
    private Map<String, Tensor> collate(List<Example> batch, TrainingSession session) {
      Map<String, Tensor> collated = Batches.collate(batch);
      return spec.preparer() == null ? collated : spec.preparer().prepare(collated, stages(session));
    }

    /** The training graph's feeds for a batch: model inputs, targets and this step's loss weights. */
    private Map<String, Tensor> feeds(List<Example> batch, TrainingSession session) {
      Map<String, Tensor> collated = collate(batch, session);
      Map<String, Tensor> feeds = SingleGraphPipeline.feeds(task.data(), collated);
      for (Map.Entry<String, String> t : spec.targets().entrySet()) {
        Tensor value = collated.get(t.getValue());
        if (value == null) {
          throw new MedvisionException("training target '" + t.getKey() + "' reads '" + t.getValue()
              + "', which the batch lacks; it has " + collated.keySet());
        }
        feeds.put(t.getKey(), value);
      }
      spec.balancer().weights(steps).forEach((term, w) -> feeds.put(TrainingGraph.LOSS_WEIGHT_PREFIX + term,
          Tensor.of(Shape.scalar(), w.floatValue())));
      return feeds;
    }

    private String stallAdvice() {
      return String.format(Locale.ROOT, "the learning rate (now --lr %.2g) may not suit this model and data: run the "
          + "same command with --find-lr to measure one, or try --lr %.2g and %.2g; more --epochs help a model "
          + "trained from scratch; and check that the labels match the images", config.learningRate(),
          config.learningRate() * 3, config.learningRate() / 3);
    }

    /** Records the step's loss terms and lets the balancer see them (with gradient norms when it wants them). */
    private void observe(TrainingSession session) {
      Map<String, Float> terms = session.lossTerms();
      terms.forEach((k, v) -> termSums.merge(k, (double) v, Double::sum));
      Map<String, Double> norms = spec.balancer().gradientNormParameters() == null ? Map.of()
          : session.lossGradientNorms();
      spec.balancer().observe(steps, terms, norms);
    }

    private void update(TrainingSession session, int micro, int epoch, int batch) {
      if (micro > 1) {
        session.scaleGradients(1.0 / micro);
      }
      clip(session, epoch, batch);
      lastRate = schedule.rate(steps);
      session.step(lastRate);
      steps++;
    }

    /** Scales the gradients down to the global norm {@code clipNorm} when they exceed it (and it is set). */
    private void clip(TrainingSession session, int epoch, int batch) {
      if (config.clipNorm() > 0) {
        double norm = session.gradientNorm();
        if (!Double.isFinite(norm)) {
          throw diverged("the gradient norm is " + norm, epoch, batch);
        }
        if (norm > config.clipNorm()) {
          session.scaleGradients(config.clipNorm() / norm);
        }
      }
    }

    private double eta(int epoch) {
      double perBatch = (System.nanoTime() - sessionStart) / 1e9 / sessionBatches;
      long remainingBatches = (long) (config.epochs() - epoch) * batchesPerEpoch + (batchesPerEpoch - batchesDone);
      return perBatch * remainingBatches + lastValSeconds * (config.epochs() - epoch + 1);
    }

    /** Runs the task's stages on the session's current weights, without gradients. */
    private StageRunner stages(TrainingSession session) {
      return (stage, feeds) -> {
        if (!stage.equals(Task.MODEL)) {
          throw new MedvisionException("task " + task.name() + " asked for stage '" + stage + "' during training; "
              + "the trainer runs the model stage on the training session, and multi-stage validation is run by "
              + "'medvision evaluate'");
        }
        return session.infer(feeds);
      };
    }

    /** The validation metrics: every suite's epoch keys (and the selection key). */
    private Map<String, Double> validate(TrainingSession session) {
      Scoring.Scored scored = Scoring.score(task, valSet, valReader, stages(session), config.batchSize(),
          ProgressListener.NONE);
      Map<String, Double> val = new LinkedHashMap<>();
      for (MetricSuite suite : scored.suites()) {
        MetricResult r = suite.result(config.seed(), 0);
        for (String key : suite.epochKeys()) {
          val.put(key, r.scalar(key));
        }
        if (r.scalars().containsKey(selection.key())) {
          val.putIfAbsent(selection.key(), r.scalar(selection.key()));
        }
      }
      return val;
    }

    private void saveBest(Weights weights, EpochMetrics m, List<String> notes) {
      Weights w = annotate(weights, epochsDone);
      String sha = Checkpoints.writeWeights(dir.file(RunFiles.BEST_WEIGHTS), w);
      Checkpoints.writeInfo(dir.file(RunFiles.BEST_SIDECAR), info("best", m, RunFiles.BEST_WEIGHTS, sha, null, null,
          notes));
    }

    private void saveLast(TrainingSession session, EpochMetrics m, Weights weights, List<String> notes) {
      Weights w = annotate(weights, epochsDone);
      String sha = Checkpoints.writeWeights(dir.file(RunFiles.LAST_WEIGHTS), w);
      String optSha = Checkpoints.writeWeights(dir.file(RunFiles.LAST_OPTIMIZER),
          Weights.of(session.optimizerState(), "optimizer state"));
      EpochMetrics latest = m != null ? m : history.isEmpty() ? null : history.get(history.size() - 1);
      Checkpoints.writeInfo(dir.file(RunFiles.LAST_SIDECAR), info("last", latest, RunFiles.LAST_WEIGHTS, sha,
          RunFiles.LAST_OPTIMIZER, optSha, notes));
      checkpointed = true;
    }

    private Weights annotate(Weights weights, int epoch) {
      Map<String, String> meta = new LinkedHashMap<>(task.graph().metadata());
      meta.put("epoch", Integer.toString(epoch));
      meta.put("seed", Long.toString(config.seed()));
      // Only the model's parameters go into checkpoints: what a training graph adds (none so far) stays out.
      Map<String, Tensor> model = new LinkedHashMap<>();
      task.graph().parameters().forEach(p -> model.put(p.name(), weights.tensors().get(p.name())));
      return new Weights(model, meta, dir.path() + " epoch " + epoch);
    }

    private CheckpointInfo info(String kind, EpochMetrics m, String weightsFile, String weightsSha,
        String optimizerFile, String optimizerSha, List<String> notes) {
      return new CheckpointInfo(CheckpointInfo.FORMAT, kind, task.name(), task.config(), request.data().classes(),
          config, epochsDone, batchesDone, steps, lossSum, trainSeconds, m, bestEpoch, bestValue, stale, history,
          config.seed(), engine.name(), engine.version(), config.device(), request.data().source().toString(),
          request.data().sha256(), weightsFile, weightsSha, optimizerFile, optimizerSha, request.medvisionVersion(),
          System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
          System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
              + System.getProperty("os.arch"),
          Instant.now().toString(), selection.key(), initialization, notes);
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
        throw new MedvisionException("the checkpoint in " + request.runDirectory() + " is for task " + info.task()
            + " " + info.taskConfig() + ", but this run asks for " + task.name() + " " + wanted);
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

    private long trainableParameters(OptimizerSpec optimizer) {
      long n = 0;
      for (var p : task.graph().parameters()) {
        ParamSettings s = optimizer.settingsFor(p);
        if (p.role().trainable() && !s.frozen()) {
          n += p.size();
        }
      }
      return n;
    }

    private TrainingResult result(TrainingResult.Status status) {
      return new TrainingResult(dir.path(), status, epochsDone, bestEpoch, selection.key(), bestValue, history,
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
          + config.batchSize() + " (inputs " + inputShapes() + "); try a smaller --batch such as " + smaller
          + " (add --accumulate " + Math.max(1, config.batchSize() / smaller) + " to keep the effective batch)",
          cause);
    }

    private String inputShapes() {
      List<String> shapes = new ArrayList<>();
      task.graph().inputs().forEach(i -> shapes.add(i.name() + " " + i.shape()));
      return String.join(", ", shapes);
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
