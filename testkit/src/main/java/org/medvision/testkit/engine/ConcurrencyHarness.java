package org.medvision.testkit.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Engine;
import org.medvision.api.engine.EngineProvider;
import org.medvision.api.graph.Graph;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.testkit.fixtures.NativeMemory;

/**
 * Many threads on one compiled model, as a server embedding one model calls it: N caller threads × M predictions each
 * must give, bit for bit, the outputs one thread gives for the same inputs, throw nothing, and leave the resident set
 * flat. Written once here and run per engine from each engine module's tests through {@link #inChildJvm}.
 *
 * <p>The model ({@link #model()}) is a small conv classifier with batch norm and two outputs, one of them the 64 KiB
 * feature map, so that an output buffer shared between callers or left unreleased shows up. There are
 * {@value #DISTINCT_INPUTS} distinct seeded inputs; caller {@code t} feeds input {@code (t + i) % K} on its {@code i}th
 * call, so at any moment neighbouring callers run different inputs and a mixed-up result cannot match.
 *
 * <p>Memory is measured in a child JVM set up as {@link NativeMemory} says. The same caller threads first run warm-up
 * rounds (half the measured size) until one leaves the resident set within 2 MiB of where it started, at most 8:
 * thread pools, caches and the allocator's working set for this many callers settle there (ONNX Runtime's takes
 * about 24,000 calls at 16 threads and then stays flat over 40,000 more), while a leak of more than about 500 bytes
 * a call never settles. Then the resident set is read, the measured round runs, and it is read again; that growth is
 * reported, with the number of warm-up rounds. Every round's outputs are checked. Sizes come from the system properties
 * {@value #THREADS_PROPERTY} and {@value #PREDICTIONS_PROPERTY} of the test JVM, default 16 × 500.
 */
public final class ConcurrencyHarness {
  /** System property: caller threads. */
  public static final String THREADS_PROPERTY = "medvision.concurrency.threads";
  /** System property: predictions per caller thread. */
  public static final String PREDICTIONS_PROPERTY = "medvision.concurrency.predictions";
  /** Distinct inputs the callers cycle through. */
  public static final int DISTINCT_INPUTS = 8;
  /** Batch size of each input. */
  public static final int BATCH = 2;
  private static final int WARM_UP_PER_THREAD = 50;
  private static final int MAX_WARM_UP_ROUNDS = 8;
  private static final long SETTLED_KIB = 2048;
  private static final int SINGLE_THREAD_TIMED = 1000;
  private static final Pattern REPORT = Pattern.compile("concurrency threads=(\\d+) predictions=(\\d+) "
      + "mismatches=(\\d+) failures=(\\d+) warmUpRounds=(\\d+) growthKiB=(-?\\d+) seconds=([0-9.]+) "
      + "singleThreadPerSecond=([0-9.]+)");
  private static final Pattern PROBLEM = Pattern.compile("first problem: (.*)");

  private ConcurrencyHarness() {}

  /**
   * What one concurrent run found.
   *
   * @param mismatches predictions whose outputs differed from the single-thread outputs in any bit
   * @param failures predictions that threw
   * @param firstProblem the first mismatch or exception, for the failure message; empty when none
   * @param warmUpRounds warm-up rounds run before the measured one (each half its size, at least 50 calls per caller)
   * @param growthKib resident-set growth over the measured round, in KiB (0 when not measured)
   * @param seconds wall time of the measured round
   * @param singleThreadPerSecond predictions per second of one thread calling alone, for comparison
   */
  public record Report(int threads, int predictionsPerThread, int mismatches, int failures, String firstProblem,
      int warmUpRounds, long growthKib, double seconds, double singleThreadPerSecond) {
    /** Predictions per second over the measured round. */
    public double predictionsPerSecond() {
      return threads * (double) predictionsPerThread / seconds;
    }

    /** One line for the test log. */
    public String summary() {
      return String.format(java.util.Locale.ROOT, "%d threads x %d predictions: %d mismatches, %d failures, RSS "
          + "growth %d KiB after %d warm-up rounds, %.1f predictions/s (one thread alone: %.1f/s)", threads,
          predictionsPerThread, mismatches, failures, growthKib, warmUpRounds, predictionsPerSecond(),
          singleThreadPerSecond);
    }
  }

  /** Caller threads for engine tests: {@value #THREADS_PROPERTY}, default 16. */
  public static int threads() {
    return Integer.getInteger(THREADS_PROPERTY, 16);
  }

  /** Predictions per caller for engine tests: {@value #PREDICTIONS_PROPERTY}, default 500. */
  public static int predictions() {
    return Integer.getInteger(PREDICTIONS_PROPERTY, 500);
  }

  /**
   * x[N,4,32,32] → Conv 3x3 (8 out, pads 1) → BatchNorm → Relu = "features" → GlobalAveragePool → Flatten →
   * Gemm(transB, 3 out) → Softmax = "probs"; weights from {@link EngineTestModels#randomWeights}.
   */
  public static Graph model() {
    return EngineTestModels.convClassifierWithFeatures("concurrency-classifier");
  }

  /** {@value #DISTINCT_INPUTS} seeded inputs of batch {@value #BATCH} for {@link #model()}. */
  public static List<Map<String, Tensor>> inputs(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Map<String, Tensor>> out = new ArrayList<>();
    Shape shape = Shape.of(BATCH, 4, 32, 32);
    for (int i = 0; i < DISTINCT_INPUTS; i++) {
      out.add(Map.of("x", EngineTestModels.uniform(shape, r)));
    }
    return out;
  }

  /**
   * Runs the harness on {@code model} in this JVM: one thread computes the reference outputs of every input and times
   * {@code threads × perThread} predictions alone; then {@code threads} callers run a warm-up round and the measured
   * round, each output compared bit for bit with the reference.
   *
   * @param measureMemory read the resident set around the measured round (meaningful in a child JVM only)
   */
  public static Report run(CompiledModel model, List<Map<String, Tensor>> inputs, int threads, int perThread,
      boolean measureMemory) throws IOException, InterruptedException {
    return run(List.of(model), inputs, threads, perThread, measureMemory);
  }

  /**
   * As {@link #run(CompiledModel, List, int, int, boolean)}, with caller {@code t} on {@code models.get(t % size)}:
   * one model per caller measures what a pool of compiled models would give instead of sharing one.
   */
  public static Report run(List<CompiledModel> models, List<Map<String, Tensor>> inputs, int threads, int perThread,
      boolean measureMemory) throws IOException, InterruptedException {
    CompiledModel model = models.get(0);
    List<Map<String, Tensor>> reference = new ArrayList<>();
    for (Map<String, Tensor> in : inputs) {
      reference.add(model.run(in));
    }
    int timedAlone = Math.min(threads * perThread, SINGLE_THREAD_TIMED);
    long start = System.nanoTime();
    for (int i = 0; i < timedAlone; i++) {
      model.run(inputs.get(i % inputs.size()));
    }
    double singlePerSecond = timedAlone / ((System.nanoTime() - start) / 1e9);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      // The same threads run every round, so their stacks and per-thread native state exist before the first reading.
      ((ThreadPoolExecutor) pool).prestartAllCoreThreads();
      List<Round> rounds = new ArrayList<>();
      int warmUps = 0;
      long before = measureMemory ? NativeMemory.residentKib() : 0;
      int warmUpCalls = Math.max(WARM_UP_PER_THREAD, perThread / 2);
      // Warm up until a round leaves the resident set where it was: a native allocator serving many threads settles
      // into its working set over thousands of calls (ONNX Runtime: about 24,000 at 16 threads), a leak never does.
      while (warmUps < MAX_WARM_UP_ROUNDS) {
        rounds.add(round(pool, models, inputs, reference, threads, warmUpCalls));
        warmUps++;
        if (!measureMemory) {
          break;
        }
        long now = NativeMemory.residentKib();
        boolean settled = now - before < SETTLED_KIB;
        before = now;
        if (settled) {
          break;
        }
      }
      start = System.nanoTime();
      Round measured = round(pool, models, inputs, reference, threads, perThread);
      double seconds = (System.nanoTime() - start) / 1e9;
      long growth = measureMemory ? NativeMemory.residentKib() - before : 0;
      rounds.add(measured);
      int mismatches = 0;
      int failures = 0;
      String problem = null;
      for (Round r : rounds) {
        mismatches += r.mismatches.get();
        failures += r.failures.get();
        problem = problem != null ? problem : r.firstProblem.get();
      }
      return new Report(threads, perThread, mismatches, failures, problem == null ? "" : problem, warmUps, growth,
          seconds, singlePerSecond);
    } finally {
      pool.shutdownNow();
    }
  }

  private static final class Round {
    final AtomicInteger mismatches = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicReference<String> firstProblem = new AtomicReference<>();
  }

  private static Round round(ExecutorService pool, List<CompiledModel> models, List<Map<String, Tensor>> inputs,
      List<Map<String, Tensor>> reference, int threads, int perThread) throws InterruptedException {
    Round round = new Round();
    List<Future<?>> callers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int caller = t;
      CompiledModel model = models.get(t % models.size());
      callers.add(pool.submit(() -> {
        for (int i = 0; i < perThread; i++) {
          int k = (caller + i) % inputs.size();
          try {
            String diff = difference(reference.get(k), model.run(inputs.get(k)));
            if (diff != null) {
              round.mismatches.incrementAndGet();
              round.firstProblem.compareAndSet(null, "caller " + caller + ", call " + i + ", input " + k + ": "
                  + diff);
            }
          } catch (RuntimeException e) {
            round.failures.incrementAndGet();
            round.firstProblem.compareAndSet(null, "caller " + caller + ", call " + i + ", input " + k + ": " + e);
          }
        }
      }));
    }
    for (Future<?> f : callers) {
      try {
        f.get();
      } catch (ExecutionException e) {
        round.failures.incrementAndGet();
        round.firstProblem.compareAndSet(null, "caller died: " + e.getCause());
      }
    }
    return round;
  }

  /** Null when both maps hold the same outputs bit for bit, else what differs. */
  private static String difference(Map<String, Tensor> expected, Map<String, Tensor> actual) {
    if (!expected.keySet().equals(actual.keySet())) {
      return "outputs " + actual.keySet() + ", expected " + expected.keySet();
    }
    for (Map.Entry<String, Tensor> e : expected.entrySet()) {
      Tensor got = actual.get(e.getKey());
      if (!e.getValue().contentEquals(got)) {
        return "output '" + e.getKey() + "' " + got + " differs from the single-thread " + e.getValue();
      }
    }
    return null;
  }

  /**
   * Runs the harness for the engine of {@code provider} in a child JVM ({@link NativeMemory#runChild}) and returns its
   * report.
   */
  public static Report inChildJvm(Class<? extends EngineProvider> provider, int threads, int perThread)
      throws IOException, InterruptedException {
    String out = NativeMemory.runChild(ConcurrencyHarness.class, List.of(), Set.of(), provider.getName(),
        Integer.toString(threads), Integer.toString(perThread));
    Matcher m = REPORT.matcher(out);
    if (!m.find()) {
      throw new AssertionError("the child JVM printed no report:\n" + out);
    }
    Matcher p = PROBLEM.matcher(out);
    Report report = new Report(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
        Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), p.find() ? p.group(1) : "",
        Integer.parseInt(m.group(5)), Long.parseLong(m.group(6)), Double.parseDouble(m.group(7)),
        Double.parseDouble(m.group(8)));
    System.out.println(provider.getSimpleName() + ": " + report.summary());
    return report;
  }

  /**
   * The child JVM: {@code <EngineProvider class> <threads> <predictions per thread> [models]}, where {@code models}
   * (default 1) compiled models are shared round-robin by the callers; prints the report line.
   */
  public static void main(String[] args) throws Exception {
    EngineProvider provider = (EngineProvider) Class.forName(args[0]).getDeclaredConstructor().newInstance();
    int threads = Integer.parseInt(args[1]);
    int perThread = Integer.parseInt(args[2]);
    int copies = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    Graph graph = model();
    List<CompiledModel> models = new ArrayList<>();
    try (Engine engine = provider.create()) {
      for (int i = 0; i < copies; i++) {
        models.add(engine.compile(graph, EngineTestModels.randomWeights(graph, 1), CompileOptions.defaults()));
      }
      Report r = run(models, inputs(2), threads, perThread, true);
      System.out.printf(java.util.Locale.ROOT, "concurrency threads=%d predictions=%d mismatches=%d failures=%d "
          + "warmUpRounds=%d growthKiB=%d seconds=%.3f singleThreadPerSecond=%.1f%n", r.threads(),
          r.predictionsPerThread(), r.mismatches(), r.failures(), r.warmUpRounds(), r.growthKib(), r.seconds(),
          r.singleThreadPerSecond());
      if (!r.firstProblem().isEmpty()) {
        System.out.println("first problem: " + r.firstProblem().replace('\n', ' '));
      }
    } finally {
      models.forEach(CompiledModel::close);
    }
  }
}
