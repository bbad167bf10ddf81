package org.medvision.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Engine;
import org.medvision.api.pipeline.StageRunner;
import org.medvision.api.task.Task;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;

/**
 * Times the whole inference path of a task model, batch size by batch size, on one engine after another: building
 * the input tensors from examples already in memory (images are preprocessed here, as predict does), the engine run,
 * and the task's pipeline reading the outputs. The first engine's outputs are the reference the later engines'
 * are compared with. With {@link BenchSettings#concurrency()} callers, each runs the passes on its own thread, all
 * on the one compiled model.
 */
final class InferenceBench {
  /**
   * One batch size's measurements on one engine.
   *
   * @param callers caller threads that ran passes at once on the one compiled model
   * @param perBatch latency of a whole pass (of every caller's timed passes)
   * @param peakRss VmHWM of this batch size's passes (reset before them), -1 where unknown
   * @param examplesPerSecond one caller: batch / mean pass time; several: all timed examples / timed wall time
   * @param gflops 2 × multiply-adds × examples/s
   * @param overheadPercent time outside the engine run as a percentage of the time inside it, over all timed passes
   * @param overheadP50Percent the median pass's overhead: robust to the few passes a loaded machine or a collection
   *     stalls, which the summed figure charges to whichever phase they hit
   * @param maxDiff largest |difference| of the first output from the reference engine's; NaN for the reference
   */
  record Row(int batch, int callers, LatencyStats perBatch, double examplesPerSecond, long peakRss, long peakHeap,
      double gflops, double overheadPercent, double overheadP50Percent, double runMs, double preMs, double postMs, double maxDiff) {}

  /** A row plus the outputs of its last pass, for comparing engines. */
  private record Measured(Row row, float[] output) {}

  private final Task task;
  private final Weights weights;
  private final BenchSettings settings;
  private final long macsPerExample;
  private final CommandContext ctx;
  private final Map<Integer, float[]> reference = new HashMap<>();

  InferenceBench(Task task, Weights weights, BenchSettings settings, long macsPerExample, CommandContext ctx) {
    this.task = task;
    this.weights = weights;
    this.settings = settings;
    this.macsPerExample = macsPerExample;
    this.ctx = ctx;
  }

  /** Compiles the model on {@code engine} and measures every batch size; the first engine run sets the reference. */
  List<Row> run(Engine engine, PhaseMemory memory) {
    List<Row> rows = new ArrayList<>();
    int passes = settings.warmup() + settings.iterations();
    try (CompiledModel model = engine.compile(task.graph(), weights, settings.options());
        ProgressBar bar = ctx.progress("bench " + engine.name(), (long) settings.batches().size() * passes)) {
      long done = 0;
      for (int b : settings.batches()) {
        memory.startMeasurement();
        Measured m = measure(model, b, memory, bar, done, reference.get(b));
        reference.putIfAbsent(b, m.output());
        rows.add(m.row());
        done += passes;
      }
    }
    return rows;
  }

  private Measured measure(CompiledModel model, int batch, PhaseMemory memory, ProgressBar bar, long doneBefore,
      float[] ref) {
    int callers = settings.concurrency();
    List<Caller> all = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      all.add(new Caller(model, new SyntheticInputs(task, batch, 42), c == 0 ? bar : null, doneBefore));
    }
    long timedNanos;
    if (callers == 1) {
      timedNanos = all.get(0).call(null);
    } else {
      timedNanos = concurrently(all);
    }
    float[] values = all.get(0).values;
    String output = model.graph().outputs().get(0).name();
    for (float v : values) {
      if (Float.isNaN(v)) {
        throw new MedvisionException("the model produced NaN in output '" + output + "' at batch " + batch);
      }
    }
    int iterations = settings.iterations();
    long[] total = new long[callers * iterations];
    double[] passOverhead = new double[callers * iterations];
    long pre = 0;
    long run = 0;
    long post = 0;
    for (int c = 0; c < callers; c++) {
      Caller caller = all.get(c);
      System.arraycopy(caller.total, 0, total, c * iterations, iterations);
      System.arraycopy(caller.overhead, 0, passOverhead, c * iterations, iterations);
      pre += caller.pre;
      run += caller.run;
      post += caller.post;
    }
    int passes = callers * iterations;
    LatencyStats stats = LatencyStats.of(total);
    // One caller: examples per second of its mean pass. Several: all callers' examples over the timed wall time.
    double examplesPerSecond = callers == 1 ? batch / (stats.meanMs() / 1e3) : (double) batch * passes
        / (timedNanos / 1e9);
    double gflops = 2.0 * macsPerExample * examplesPerSecond / 1e9;
    double overhead = run == 0 ? 0 : 100.0 * (pre + post) / run;
    Row row = new Row(batch, callers, stats, examplesPerSecond, memory.read(), ProcessMemory.peakHeapBytes(),
        gflops, overhead, median(passOverhead), run / 1e6 / passes, pre / 1e6 / passes, post / 1e6 / passes,
        ref == null ? Double.NaN : maxAbsDiff(ref, values));
    return new Measured(row, values);
  }

  /**
   * Runs every caller on a thread of its own; they warm up, wait for each other, and run their timed passes together.
   *
   * @return the wall time from the moment all callers finished warming up to the last timed pass's end
   */
  private static long concurrently(List<Caller> callers) {
    CyclicBarrier warmedUp = new CyclicBarrier(callers.size());
    ExecutorService pool = Executors.newFixedThreadPool(callers.size());
    try {
      List<Future<Long>> ends = new ArrayList<>();
      for (Caller c : callers) {
        ends.add(pool.submit(() -> c.call(warmedUp)));
      }
      long last = 0;
      for (Future<Long> f : ends) {
        last = Math.max(last, f.get());
      }
      long start = callers.stream().mapToLong(c -> c.timedStart).min().orElseThrow();
      return last - start;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MedvisionException("bench was interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new MedvisionException("a bench caller failed: " + cause, cause);
    } finally {
      pool.shutdownNow();
    }
  }

  /** One caller's passes on the shared model: warm-up, then timed passes split into their three parts. */
  private final class Caller {
    private final CompiledModel model;
    private final SyntheticInputs inputs;
    private final ProgressBar bar;
    private final long doneBefore;
    private final long[] total = new long[settings.iterations()];
    private final double[] overhead = new double[settings.iterations()];
    private final StageRunner stages = this::runStage;
    private long pre;
    private long run;
    private long post;
    private long timedStart;
    private long passRunStart;
    private long passRunNanos;
    private Map<String, Tensor> lastOutputs;
    private float[] values;

    Caller(CompiledModel model, SyntheticInputs inputs, ProgressBar bar, long doneBefore) {
      this.model = model;
      this.inputs = inputs;
      this.bar = bar;
      this.doneBefore = doneBefore;
    }

    /**
     * Runs the passes, waiting at {@code warmedUp} (when given) between warm-up and timed passes.
     *
     * @return for one caller the summed timed pass time; with a barrier the end time of the last timed pass
     */
    long call(CyclicBarrier warmedUp) {
      try {
        return passes(warmedUp);
      } catch (RuntimeException e) {
        if (warmedUp != null) {
          warmedUp.reset(); // callers waiting for this one give up instead of waiting forever
        }
        throw e;
      } catch (InterruptedException | BrokenBarrierException e) {
        throw new MedvisionException("a bench caller stopped because another one failed", e);
      }
    }

    private long passes(CyclicBarrier warmedUp) throws InterruptedException, BrokenBarrierException {
      String output = model.graph().outputs().get(0).name();
      int warmup = settings.warmup();
      long sum = 0;
      for (int i = 0; i < warmup + settings.iterations(); i++) {
        if (i == warmup) {
          if (warmedUp != null) {
            warmedUp.await();
          }
          timedStart = System.nanoTime();
        }
        long t0 = System.nanoTime();
        passRunStart = -1;
        passRunNanos = 0;
        // The pipeline runs as predict runs it: it collates the examples into the feeds, calls the stage (the engine
        // run, timed inside) and reads the outputs into results. Before the stage is preprocessing and input tensor
        // creation, after it output reading.
        task.pipeline().predict(inputs.examples(), stages);
        long t3 = System.nanoTime();
        long t1 = passRunStart;
        long t2 = t1 + passRunNanos;
        if (i >= warmup) {
          total[i - warmup] = t3 - t0;
          sum += t3 - t0;
          pre += t1 - t0;
          run += t2 - t1;
          post += t3 - t2;
          overhead[i - warmup] = t2 == t1 ? 0 : 100.0 * ((t1 - t0) + (t3 - t2)) / (t2 - t1);
        }
        if (bar != null) {
          bar.update(doneBefore + i + 1);
        }
      }
      // Only the last pass's output is kept for comparing engines, outside the timed passes.
      values = lastOutputs.get(output).toFloatArray();
      return warmedUp == null ? sum : System.nanoTime();
    }

    /** The stage runner of a pass: the engine run, timed. */
    private Map<String, Tensor> runStage(String stage, Map<String, Tensor> feeds) {
      long start = System.nanoTime();
      Map<String, Tensor> out = model.run(feeds);
      long end = System.nanoTime();
      if (passRunStart < 0) {
        passRunStart = start;
      }
      passRunNanos += end - start;
      lastOutputs = out;
      return out;
    }
  }

  /** The median of {@code values} (the mean of the middle two for an even count); at least one value. */
  static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** The largest |a - b| over two outputs of one shape; infinite when a value is NaN in one and not the other. */
  static double maxAbsDiff(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new MedvisionException("engines returned outputs of different sizes: " + a.length + " and " + b.length
          + " values");
    }
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      if (Float.isNaN(a[i]) != Float.isNaN(b[i])) {
        return Double.POSITIVE_INFINITY;
      }
      if (!Float.isNaN(a[i])) {
        max = Math.max(max, Math.abs((double) a[i] - b[i]));
      }
    }
    return max;
  }
}
