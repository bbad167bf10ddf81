package org.medvision.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.Engine;
import org.medvision.api.pipeline.StageRunner;
import org.medvision.api.task.Task;
import org.medvision.api.training.OptimizerSpec;
import org.medvision.api.training.TrainingContext;
import org.medvision.api.training.TrainingOptions;
import org.medvision.api.training.TrainingSession;
import org.medvision.api.training.TrainingSpec;
import org.medvision.api.weights.Weights;
import org.medvision.train.TrainerConfig;

/**
 * Times training steps of a task, batch size by batch size, on an engine that trains, as {@code medvision train}
 * takes them: the task's recipe builds the training graph, targets, loss weights and parameter groups; the session
 * is opened with the trainer's optimiser and options; and one step is building the feeds from a batch already in
 * memory (decoding and augmentation run on the trainer's prefetch thread, so they are left out), forward and
 * backward, reading the loss terms (and the per-loss gradient norms when the task's balancer asks for them),
 * clipping when configured, and the optimiser update. Each batch size starts a fresh session from the same weights.
 */
final class TrainingBench {
  /**
   * Multiply-adds of a training step per forward multiply-add: the forward pass, and in the backward pass the
   * gradients of each layer's input and of its weights, each as costly as the forward product.
   */
  static final int PASSES_PER_STEP = 3;

  /**
   * One batch size's measurements on one engine.
   *
   * @param perStep latency of a whole step
   * @param peakRss VmHWM from opening the session to the last step, -1 where unknown
   * @param gflops {@value #PASSES_PER_STEP} × 2 × forward multiply-adds × examples/s
   * @param firstLoss the loss of the first step (a warm-up step when there is one)
   * @param lastLoss the loss of the last timed step
   */
  record Row(int batch, LatencyStats perStep, double examplesPerSecond, long peakRss, long peakHeap, double gflops,
      float firstLoss, float lastLoss) {}

  private final Task task;
  private final Weights weights;
  private final TrainerConfig config;
  private final BenchSettings settings;
  private final long macsPerExample;
  private final CommandContext ctx;

  TrainingBench(Task task, Weights weights, TrainerConfig config, BenchSettings settings, long macsPerExample,
      CommandContext ctx) {
    this.task = task;
    this.weights = weights;
    this.config = config;
    this.settings = settings;
    this.macsPerExample = macsPerExample;
    this.ctx = ctx;
  }

  /** Measures every batch size on {@code engine}. */
  List<Row> run(Engine engine, PhaseMemory memory) {
    List<Row> rows = new ArrayList<>();
    int steps = settings.warmup() + settings.iterations();
    try (ProgressBar bar = ctx.progress("bench --train " + engine.name(), (long) settings.batches().size() * steps)) {
      long done = 0;
      for (int b : settings.batches()) {
        memory.startMeasurement();
        rows.add(measure(engine, b, memory, bar, done));
        done += steps;
      }
    }
    return rows;
  }

  private Row measure(Engine engine, int batch, PhaseMemory memory, ProgressBar bar, long doneBefore) {
    TrainingSpec spec = task.training().orElseThrow().build(new TrainingContext(task.config(),
        SyntheticTrainingBatch.table(task, Math.max(batch, 64)), config.seed(), Map.of()));
    OptimizerSpec optimizer = config.optimizerSpec().withGroups(spec.groups());
    optimizer.checkGroups(spec.graph());
    TrainingOptions options = new TrainingOptions(settings.options().device(), config.seed(),
        settings.options().threads(), config.precision(), spec.balancer().gradientNormParameters());
    SyntheticTrainingBatch data = new SyntheticTrainingBatch(task, spec, batch, 42);
    long[] timed = new long[settings.iterations()];
    float first = Float.NaN;
    float last = Float.NaN;
    try (TrainingSession session = engine.train(spec.graph(), weights, optimizer, options)) {
      StageRunner stages = (stage, feeds) -> session.infer(feeds);
      for (int i = 0; i < settings.warmup() + settings.iterations(); i++) {
        long t0 = System.nanoTime();
        last = step(session, spec, data, i, stages);
        long t = System.nanoTime() - t0;
        if (i == 0) {
          first = last;
        }
        if (!Float.isFinite(last)) {
          throw new MedvisionException("the loss is " + last + " at step " + (i + 1) + " of batch " + batch
              + " on " + engine.name() + " (first step: " + first + ")");
        }
        if (i >= settings.warmup()) {
          timed[i - settings.warmup()] = t;
        }
        bar.update(doneBefore + i + 1);
      }
    }
    LatencyStats stats = LatencyStats.of(timed);
    double examplesPerSecond = batch / (stats.meanMs() / 1e3);
    double gflops = PASSES_PER_STEP * 2.0 * macsPerExample * examplesPerSecond / 1e9;
    return new Row(batch, stats, examplesPerSecond, memory.read(), ProcessMemory.peakHeapBytes(),
        gflops, first, last);
  }

  /** One optimiser step as the trainer takes it (no gradient accumulation); returns the loss. */
  private float step(TrainingSession session, TrainingSpec spec, SyntheticTrainingBatch data, long step,
      StageRunner stages) {
    float loss = session.forwardBackward(data.feeds(step, stages));
    Map<String, Float> terms = session.lossTerms();
    Map<String, Double> norms = spec.balancer().gradientNormParameters() == null ? Map.of()
        : session.lossGradientNorms();
    spec.balancer().observe(step, terms, norms);
    if (config.clipNorm() > 0) {
      double norm = session.gradientNorm();
      if (norm > config.clipNorm()) {
        session.scaleGradients(config.clipNorm() / norm);
      }
    }
    session.step(config.learningRate());
    return loss;
  }
}
