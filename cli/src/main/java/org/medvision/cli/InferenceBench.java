package org.medvision.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.Example;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Engine;
import org.medvision.api.task.Task;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;

/**
 * Times the whole inference path of a task model, batch size by batch size, on one engine after another: building
 * the input tensors from examples already in memory (images are preprocessed here, as predict does), the engine run,
 * and the task's pipeline reading the outputs. The first engine's outputs are the reference the later engines'
 * are compared with.
 */
final class InferenceBench {
  /**
   * One batch size's measurements on one engine.
   *
   * @param perBatch latency of a whole pass
   * @param peakRss VmHWM of this batch size's passes (reset before them), -1 where unknown
   * @param gflops 2 × multiply-adds × examples/s
   * @param overheadPercent time outside the engine run as a percentage of the time inside it
   * @param maxDiff largest |difference| of the first output from the reference engine's; NaN for the reference
   */
  record Row(int batch, LatencyStats perBatch, double examplesPerSecond, long peakRss, long peakHeap, double gflops,
      double overheadPercent, double runMs, double preMs, double postMs, double maxDiff) {}

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
    SyntheticInputs inputs = new SyntheticInputs(task, batch, 42);
    String output = model.graph().outputs().get(0).name();
    int warmup = settings.warmup();
    int iterations = settings.iterations();
    long[] total = new long[iterations];
    long pre = 0;
    long run = 0;
    long post = 0;
    float[] values = null;
    for (int i = 0; i < warmup + iterations; i++) {
      long t0 = System.nanoTime();
      List<Example> examples = inputs.examples();
      Map<String, Tensor> feeds = inputs.feeds(examples);
      long t1 = System.nanoTime();
      Map<String, Tensor> out = model.run(feeds);
      long t2 = System.nanoTime();
      // The task's pipeline turns the outputs into results, as predict does (the stage already ran).
      task.pipeline().predict(examples, (stage, f) -> out);
      values = out.get(output).toFloatArray();
      long t3 = System.nanoTime();
      if (i >= warmup) {
        total[i - warmup] = t3 - t0;
        pre += t1 - t0;
        run += t2 - t1;
        post += t3 - t2;
      }
      bar.update(doneBefore + i + 1);
    }
    for (float v : values) {
      if (Float.isNaN(v)) {
        throw new MedvisionException("the model produced NaN in output '" + output + "' at batch " + batch);
      }
    }
    LatencyStats stats = LatencyStats.of(total);
    double examplesPerSecond = batch / (stats.meanMs() / 1e3);
    double gflops = 2.0 * macsPerExample * examplesPerSecond / 1e9;
    double overhead = run == 0 ? 0 : 100.0 * (pre + post) / run;
    Row row = new Row(batch, stats, examplesPerSecond, memory.read(), ProcessMemory.peakHeapBytes(),
        gflops, overhead, run / 1e6 / iterations, pre / 1e6 / iterations, post / 1e6 / iterations,
        ref == null ? Double.NaN : maxAbsDiff(ref, values));
    return new Measured(row, values);
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
