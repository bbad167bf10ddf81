package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphStats;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.task.Task;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.TrainingContext;
import org.medvision.api.training.TrainingSpec;

/** Checks bench's arithmetic and fields, never its speed. */
class BenchCommandTest {
  @Test
  void jsonReportsEveryBatchSizeWithConsistentDerivedNumbers() {
    Cli.Result r = Cli.run("bench", "--task", "strokenext", "--variant", "atto", "--image-size", "32", "--batch",
        "1,2", "--warmup", "1", "--iterations", "3", "--peak-size", "128", "--threads", "1", "--json");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
    long macs = GraphStats.of(Fixtures.atto("3class").graph(), 1).multiplyAdds();
    assertEquals(macs, json.get("multiplyAddsPerExample").getAsLong());
    assertEquals("random(seed=0)", json.get("weights").getAsString());
    JsonArray engines = json.getAsJsonArray("engines");
    assertEquals(1, engines.size());
    JsonObject engine = engines.get(0).getAsJsonObject();
    assertEquals("onnx", engine.get("engine").getAsString());
    assertEquals("onnx", json.get("reference").getAsString());
    double peak = engine.get("peakGflops").getAsDouble();
    assertTrue(peak > 0, "peak " + peak);
    JsonArray results = engine.getAsJsonArray("results");
    assertEquals(2, results.size());
    for (int i = 0; i < 2; i++) {
      JsonObject row = results.get(i).getAsJsonObject();
      int batch = row.get("batch").getAsInt();
      assertEquals(i + 1, batch);
      double mean = row.get("meanMsPerBatch").getAsDouble();
      double ips = row.get("examplesPerSecond").getAsDouble();
      assertEquals(batch / (mean / 1e3), ips, 1e-9 * ips);
      assertEquals(mean / batch, row.get("meanMsPerExample").getAsDouble(), 1e-12);
      assertEquals(2.0 * macs * ips / 1e9, row.get("achievedGflops").getAsDouble(), 1e-9);
      assertEquals(100 * row.get("achievedGflops").getAsDouble() / peak, row.get("percentOfPeak").getAsDouble(),
          1e-9);
      assertTrue(row.get("p50MsPerBatch").getAsDouble() <= row.get("p90MsPerBatch").getAsDouble());
      double pre = row.get("preprocessMs").getAsDouble();
      double run = row.get("runMs").getAsDouble();
      double post = row.get("postprocessMs").getAsDouble();
      assertEquals(100 * (pre + post) / run, row.get("overheadPercent").getAsDouble(), 1e-6);
      double medianPass = row.get("overheadPercentP50").getAsDouble();
      assertTrue(medianPass >= 0 && Double.isFinite(medianPass), "median pass overhead " + medianPass);
      assertTrue(row.get("peakHeapBytes").getAsLong() > 0);
      assertTrue(row.get("maxAbsDiffFromReference").isJsonNull(), "the first engine is the reference");
      if (System.getProperty("os.name").startsWith("Linux")) {
        assertTrue(row.get("peakRssBytes").getAsLong() > 0);
        // The phase covers every batch, so its high-water mark is at least each batch's.
        assertTrue(engine.get("phasePeakRssBytes").getAsLong() >= row.get("peakRssBytes").getAsLong());
      }
    }
  }

  @Test
  void allEnginesRunInOneTableWithTheirDifferenceFromTheFirst() {
    Cli.Result r = Cli.run("bench", "--task", "strokenext", "--variant", "atto", "--image-size", "32", "--batch",
        "1,2", "--warmup", "0", "--iterations", "2", "--peak-size", "64", "--threads", "1", "--engine", "all",
        "--json");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    JsonArray engines = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonArray("engines");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < engines.size(); i++) {
      JsonObject e = engines.get(i).getAsJsonObject();
      names.add(e.get("engine").getAsString());
      JsonArray results = e.getAsJsonArray("results");
      assertEquals(2, results.size());
      for (int j = 0; j < results.size(); j++) {
        JsonObject row = results.get(j).getAsJsonObject();
        if (i == 0) {
          assertTrue(row.get("maxAbsDiffFromReference").isJsonNull());
        } else {
          double diff = row.get("maxAbsDiffFromReference").getAsDouble();
          assertTrue(diff <= 1e-4, names.get(i) + " batch " + row.get("batch") + " differs by " + diff);
        }
      }
    }
    assertEquals(Cli.MEDVISION.engines().names().size(), names.size());
    assertEquals("onnx", names.get(0), "the default engine is the reference");
    assertTrue(names.containsAll(List.of("onnx", "djl", "tensorflow")), names.toString());
  }

  @Test
  void aCommaListKeepsItsOrderAndTheTextTableHasOneRowPerEngineAndBatch() {
    Cli.Result r = Cli.run("bench", "--task", "strokenext", "--variant", "atto", "--image-size", "32", "--batch",
        "2", "--warmup", "0", "--iterations", "1", "--peak-size", "0", "--engine", "tensorflow,onnx");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    List<String> rows = r.out().lines().filter(l -> l.startsWith("tensorflow ") || l.startsWith("onnx "))
        .toList();
    assertEquals(2, rows.size(), r.out());
    assertTrue(rows.get(0).startsWith("tensorflow ") && rows.get(0).endsWith("reference"), rows.get(0));
    assertTrue(rows.get(1).matches("onnx .* [0-9.]+e[-+][0-9]+"), rows.get(1));
    assertTrue(r.out().contains("from tensorflow's at the same batch"), r.out());
  }

  @Test
  void badEngineListsAreRejected() {
    Cli.Result twice = Cli.run("bench", "--task", "strokenext", "--engine", "onnx,onnx");
    assertEquals(ExitCodes.USAGE_ERROR, twice.code());
    assertTrue(twice.err().contains("names onnx twice"), twice.err());
    Cli.Result empty = Cli.run("bench", "--task", "strokenext", "--engine", "onnx,");
    assertEquals(ExitCodes.USAGE_ERROR, empty.code());
    assertTrue(empty.err().contains("has an empty entry"), empty.err());
    Cli.Result unknown = Cli.run("bench", "--task", "strokenext", "--engine", "onnx,caffe");
    assertEquals(ExitCodes.USAGE_ERROR, unknown.code());
    assertTrue(unknown.err().contains("caffe") && unknown.err().contains("tensorflow"), unknown.err());
  }

  @Test
  void maxAbsDiffTreatsNanMismatchAsInfinite() {
    assertEquals(0.5, InferenceBench.maxAbsDiff(new float[] {1f, 2f}, new float[] {1.5f, 2f}), 0);
    assertEquals(0.0, InferenceBench.maxAbsDiff(new float[] {Float.NaN}, new float[] {Float.NaN}), 0);
    assertEquals(Double.POSITIVE_INFINITY, InferenceBench.maxAbsDiff(new float[] {Float.NaN}, new float[] {0f}), 0);
  }

  @Test
  void textPrintsTheEfficiencyTable() {
    Cli.Result r = Cli.run("bench", "--task", "strokenext", "--variant", "atto", "--image-size", "32", "--batch",
        "2", "--warmup", "0", "--iterations", "1", "--peak-size", "0");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    assertTrue(r.out().contains("peak not measured (--peak-size 0)"), r.out());
    String header = r.out().lines().filter(l -> l.startsWith("engine ") && l.contains("ms/batch")).findFirst()
        .orElseThrow();
    for (String column : new String[] {"batch", "ms/batch", "p50", "p90", "ms/example", "examples/s", "peak RSS MiB",
        "heap MiB", "GFLOP/s", "% peak", "overhead %", "max |diff|"}) {
      assertTrue(header.contains(column), column);
    }
  }

  @Test
  void concurrentCallersShareOneCompiledModelAndReportThroughputAndTailLatency() {
    Cli.Result r = Cli.run("bench", "--task", "strokenext", "--variant", "atto", "--image-size", "32", "--batch",
        "1,2", "--warmup", "1", "--iterations", "4", "--peak-size", "0", "--threads", "1", "--concurrency", "3",
        "--json");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
    assertEquals(3, json.get("concurrency").getAsInt());
    JsonArray results = json.getAsJsonArray("engines").get(0).getAsJsonObject().getAsJsonArray("results");
    assertEquals(2, results.size());
    for (int i = 0; i < 2; i++) {
      JsonObject row = results.get(i).getAsJsonObject();
      assertEquals(3, row.get("callers").getAsInt());
      double p50 = row.get("p50MsPerBatch").getAsDouble();
      double p90 = row.get("p90MsPerBatch").getAsDouble();
      double p99 = row.get("p99MsPerBatch").getAsDouble();
      assertTrue(0 < p50 && p50 <= p90 && p90 <= p99, p50 + " " + p90 + " " + p99);
      assertEquals(p99 / row.get("batch").getAsInt(), row.get("p99MsPerExample").getAsDouble(), 1e-12);
      // Throughput of all callers over the wall time: callers overlap, so it is at least one pass's worth per mean
      // pass divided by the callers, and positive.
      double ips = row.get("examplesPerSecond").getAsDouble();
      double mean = row.get("meanMsPerBatch").getAsDouble();
      assertTrue(ips > 0 && ips >= row.get("batch").getAsInt() / (mean / 1e3) / 3 * 0.5, ips + " vs mean " + mean);
      double pre = row.get("preprocessMs").getAsDouble();
      double run = row.get("runMs").getAsDouble();
      double post = row.get("postprocessMs").getAsDouble();
      assertEquals(100 * (pre + post) / run, row.get("overheadPercent").getAsDouble(), 1e-6);
    }
    Cli.Result text = Cli.run("bench", "--task", "strokenext", "--variant", "atto", "--image-size", "32", "--batch",
        "1", "--warmup", "0", "--iterations", "2", "--peak-size", "0", "--concurrency", "2");
    assertEquals(ExitCodes.OK, text.code(), text.toString());
    assertTrue(text.out().contains("callers") && text.out().contains("p99"), text.out());
    assertTrue(text.out().contains("2 callers at once on one compiled model"), text.out());
  }

  @Test
  void concurrencyIsForInferenceOnly() {
    Cli.Result r = Cli.run("bench", "--train", "--task", "strokenext", "--concurrency", "2");
    assertEquals(ExitCodes.USAGE_ERROR, r.code());
    assertTrue(r.err().contains("--concurrency measures inference"), r.err());
  }

  @Test
  void badBatchListIsAUsageError() {
    Cli.Result r = Cli.run("bench", "--task", "strokenext", "--batch", "1,0");
    assertEquals(ExitCodes.USAGE_ERROR, r.code());
    assertTrue(r.err().contains("--batch must be at least 1, got 0"), r.err());
  }

  @Test
  void percentilesAreNearestRank() {
    long[] ms = {5, 1, 4, 2, 3, 10, 9, 8, 7, 6};
    long[] nanos = new long[ms.length];
    for (int i = 0; i < ms.length; i++) {
      nanos[i] = ms[i] * 1_000_000L;
    }
    LatencyStats s = LatencyStats.of(nanos);
    assertEquals(5.5, s.meanMs(), 1e-12);
    assertEquals(5.0, s.p50Ms(), 1e-12);
    assertEquals(9.0, s.p90Ms(), 1e-12);
    assertEquals(10.0, s.p99Ms(), 1e-12);
    assertEquals(7.0, LatencyStats.of(new long[] {7_000_000L}).p90Ms(), 1e-12);
  }

  @Test
  void peakGraphIsAChainOfSquareGemms() {
    GraphStats s = GraphStats.of(PeakFlops.graph(16), 1);
    assertEquals((long) PeakFlops.CHAIN * 16 * 16 * 16, s.multiplyAdds());
    assertEquals((long) PeakFlops.CHAIN * 16 * 16, s.parameters());
  }

  /** covid-dsa's ResNet-10 on 16x32x32 volumes: the smallest 3-D model of the project. */
  private static final String[] COVID_TINY = {"--task", "covid-dsa", "--variant", "resnet10", "--set",
      "input=16x32x32"};

  private static Task covidTiny() {
    return Cli.MEDVISION.task("covid-dsa", Cli.MEDVISION.defaultConfig("covid-dsa").withVariant("resnet10")
        .with("input", "16x32x32"));
  }

  /** {@code bench} on {@link #COVID_TINY} with {@code rest}. */
  private static Cli.Result benchCovidTiny(String... rest) {
    List<String> all = new ArrayList<>(List.of("bench"));
    all.addAll(List.of(COVID_TINY));
    all.addAll(List.of(rest));
    return Cli.run(all.toArray(new String[0]));
  }

  /** The training rows of one engine, checked for the fields every row must have; returns them. */
  private static List<JsonObject> checkedTrainingRows(JsonObject engine, long macs, int batch) {
    List<JsonObject> rows = new ArrayList<>();
    for (JsonElement el : engine.getAsJsonArray("results")) {
      JsonObject row = el.getAsJsonObject();
      String where = engine.get("engine").getAsString() + " " + row;
      assertEquals(batch, row.get("batch").getAsInt(), where);
      assertTrue(Float.isFinite(row.get("firstLoss").getAsFloat()), where);
      assertTrue(Float.isFinite(row.get("lastLoss").getAsFloat()), where);
      double mean = row.get("meanMsPerStep").getAsDouble();
      double eps = row.get("examplesPerSecond").getAsDouble();
      assertEquals(batch / (mean / 1e3), eps, 1e-9 * eps, where);
      assertEquals(mean / batch, row.get("meanMsPerExample").getAsDouble(), 1e-12, where);
      assertEquals(3 * 2.0 * macs * eps / 1e9, row.get("achievedGflops").getAsDouble(), 1e-9, where);
      assertTrue(row.get("p50MsPerStep").getAsDouble() <= row.get("p90MsPerStep").getAsDouble(), where);
      assertTrue(row.get("peakHeapBytes").getAsLong() > 0, where);
      if (System.getProperty("os.name").startsWith("Linux")) {
        assertTrue(row.get("peakRssBytes").getAsLong() > 0, where);
      }
      rows.add(row);
    }
    return rows;
  }

  @Test
  void trainTimesStepsOnBothTrainingEnginesFromTheSameStartingLoss() {
    Cli.Result r = Cli.run("bench", "--train", "--task", "strokenext", "--variant", "atto", "--image-size", "32",
        "--engine", "djl,tensorflow", "--batch", "2", "--warmup", "0", "--iterations", "2", "--peak-size", "64",
        "--json");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
    assertEquals("training", json.get("mode").getAsString());
    assertTrue(json.get("flopConvention").getAsString().startsWith("GFLOP/s of a training step = 3 x 2 x"));
    long macs = GraphStats.of(Fixtures.atto("3class").graph(), 1).multiplyAdds();
    assertEquals(macs, json.get("multiplyAddsPerExample").getAsLong());
    JsonArray engines = json.getAsJsonArray("engines");
    assertEquals(2, engines.size());
    List<Float> firstLosses = new ArrayList<>();
    for (JsonElement e : engines) {
      JsonObject engine = e.getAsJsonObject();
      double peak = engine.get("peakGflops").getAsDouble();
      for (JsonObject row : checkedTrainingRows(engine, macs, 2)) {
        assertEquals(100 * row.get("achievedGflops").getAsDouble() / peak, row.get("percentOfPeak").getAsDouble(),
            1e-9);
        firstLosses.add(row.get("firstLoss").getAsFloat());
      }
    }
    assertEquals(List.of("djl", "tensorflow"), List.of(engines.get(0).getAsJsonObject().get("engine").getAsString(),
        engines.get(1).getAsJsonObject().get("engine").getAsString()));
    // Same weights, batch and dropout draws: the first step's loss is computed before any update, so it agrees.
    assertEquals(firstLosses.get(0), firstLosses.get(1), 1e-4 * Math.abs(firstLosses.get(0)), firstLosses.toString());
  }

  @Test
  void trainRunsA3dTaskWithMaskTargetsOnDjl() {
    Cli.Result r = benchCovidTiny("--train", "--engine", "djl", "--batch", "2", "--warmup", "0",
        "--iterations", "2", "--peak-size", "0");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    String row = r.out().lines().filter(l -> l.startsWith("djl ")).findFirst().orElseThrow();
    assertTrue(row.matches("djl +2( +[0-9.]+){8} +n/a +[0-9.]+ +[0-9.]+"), row);
    assertTrue(r.out().contains("example    ct 1x16x32x32"), r.out());
    for (String column : new String[] {"examples/s", "ms/step", "p50", "p90", "ms/example", "peak RSS MiB",
        "heap MiB", "GFLOP/s", "% peak", "first loss", "last loss"}) {
      assertTrue(r.out().contains(column), column);
    }
    assertTrue(r.out().contains("3 x 2 x forward multiply-adds x examples/s"), r.out());
  }

  @Test
  void trainRunsA3dTaskOnTensorFlow() {
    Cli.Result r = benchCovidTiny("--train", "--engine", "tensorflow", "--batch", "2",
        "--warmup", "0", "--iterations", "1", "--peak-size", "0");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
  }

  @Test
  void trainOnAnInferenceOnlyEngineIsAUsageErrorNamingTheEnginesThatTrain() {
    Cli.Result r = Cli.run("bench", "--train", "--task", "strokenext", "--engine", "onnx");
    assertEquals(ExitCodes.USAGE_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("engine 'onnx' runs inference only"), r.err());
    assertTrue(r.err().contains("djl") && r.err().contains("tensorflow"), r.err());
    Cli.Result both = Cli.run("bench", "--train", "--layers", "--task", "strokenext");
    assertEquals(ExitCodes.USAGE_ERROR, both.code());
    assertTrue(both.err().contains("give --train or --layers, not both"), both.err());
    Cli.Result batches = Cli.run("bench", "--layers", "--task", "strokenext", "--batch", "1,2");
    assertEquals(ExitCodes.USAGE_ERROR, batches.code());
    assertTrue(batches.err().contains("--layers profiles one batch size"), batches.err());
  }

  @Test
  void syntheticTrainingBatchFillsEveryTargetAsTheRecipeDeclaresIt() {
    Task task = covidTiny();
    TrainingSpec spec = task.training().orElseThrow().build(new TrainingContext(task.config(),
        SyntheticTrainingBatch.table(task, 8), 0, Map.of()));
    SyntheticTrainingBatch batch = new SyntheticTrainingBatch(task, spec, 3, 7);
    Map<String, Tensor> feeds = batch.feeds(0, (stage, f) -> {
      throw new AssertionError("covid-dsa has no preparation step");
    });
    Map<String, ValueInfo> inputs = new LinkedHashMap<>();
    spec.graph().inputs().forEach(i -> inputs.put(i.name(), i));
    assertEquals(inputs.keySet(), feeds.keySet(), "every training-graph input is fed");
    for (Map.Entry<String, Tensor> e : feeds.entrySet()) {
      ValueInfo in = inputs.get(e.getKey());
      assertEquals(in.dtype(), e.getValue().dtype(), e.getKey());
      assertTrue(in.shape().isCompatibleWith(e.getValue().shape()), e.getKey() + " " + e.getValue().shape());
    }
    assertEquals(DType.INT64, feeds.get("labels").dtype());
    long[] labels = feeds.get("labels").toLongArray();
    assertEquals(List.of(0L, 1L, 0L), List.of(labels[0], labels[1], labels[2]), "classes in turn");
    Set<Float> maskValues = new HashSet<>();
    for (float v : feeds.get("infection_mask").toFloatArray()) {
      maskValues.add(v);
    }
    assertEquals(Set.of(0f, 1f), maskValues, "a binary mask with both values");
    for (float v : feeds.get("infection_mask_present").toFloatArray()) {
      assertEquals(1f, v, "every scan has its mask, so the attention loss is computed");
    }
    assertEquals(Shape.of(3), feeds.get("infection_mask_present").shape());
  }

  @Test
  void layersListEveryDistinctConvolutionAndTheirMultiplyAddsAreTheGraphs() {
    Cli.Result r = benchCovidTiny("--layers", "--engine", "onnx", "--warmup", "0",
        "--iterations", "1", "--peak-size", "0", "--json");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
    assertEquals("layers", json.get("mode").getAsString());
    assertEquals(1, json.get("batch").getAsInt());
    // Independently of LayerShapes: every conv node of the graph, its shapes and attributes, and its multiply-adds.
    Graph graph = covidTiny().graph();
    Map<String, ValueInfo> infos = graph.valueInfos(Map.of("ct", Shape.of(1, 1, 16, 32, 32)));
    Set<List<Object>> distinct = new HashSet<>();
    long convMacs = 0;
    int convNodes = 0;
    for (Node n : graph.nodes()) {
      if (n.op() == Op.CONV) {
        distinct.add(List.of(infos.get(n.inputs().get(0)).shape(), infos.get(n.inputs().get(1)).shape(),
            n.attributes()));
        convMacs += GraphStats.multiplyAdds(n, infos);
        convNodes++;
      }
    }
    long listedMacs = 0;
    int listedNodes = 0;
    int listedConvs = 0;
    JsonArray layers = json.getAsJsonArray("layers");
    for (JsonElement el : layers) {
      JsonObject l = el.getAsJsonObject();
      if (l.get("op").getAsString().equals("conv")) {
        listedConvs++;
        listedNodes += l.get("count").getAsInt();
        listedMacs += l.get("count").getAsLong() * l.get("multiplyAddsPerLayer").getAsLong();
        assertEquals(l.get("count").getAsInt(), l.getAsJsonArray("nodes").size());
      }
    }
    assertEquals(distinct.size(), listedConvs, "one row per distinct conv shape");
    assertEquals(convNodes, listedNodes, "every conv node is counted once");
    assertEquals(convMacs, listedMacs);
    assertEquals(convMacs, json.get("convMultiplyAdds").getAsLong());
    assertEquals(GraphStats.of(graph, 1).multiplyAdds(), convMacs + 512 * 2, "convolutions plus the 512x2 fc");
    JsonObject onnx = json.getAsJsonArray("engines").get(0).getAsJsonObject();
    assertEquals(layers.size(), onnx.getAsJsonArray("results").size());
    assertTrue(onnx.get("modelMs").getAsDouble() > 0);
    double sum = 0;
    for (JsonElement el : onnx.getAsJsonArray("results")) {
      sum += el.getAsJsonObject().get("sharePercent").getAsDouble();
    }
    assertEquals(100, sum, 1e-6, "shares of the summed layer time");
    Set<String> kernels = new HashSet<>();
    onnx.getAsJsonArray("onnxProfile").forEach(n -> kernels.add(n.getAsJsonObject().get("opType").getAsString()));
    assertTrue(kernels.contains("Conv") || kernels.contains("FusedConv"), kernels.toString());
  }

  @Test
  void layersTextHasOneRowPerShapeAndTheWholeModelLine() {
    Cli.Result r = Cli.run("bench", "--layers", "--task", "strokenext", "--variant", "atto", "--image-size", "32",
        "--engine", "djl", "--warmup", "0", "--iterations", "1", "--peak-size", "0");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    int shapes = LayerShapes.of(Fixtures.atto("3class").graph(), 1).size();
    List<String> rows = r.out().lines().filter(l -> l.matches(" *[0-9]+  \\S+ .*")).toList();
    assertEquals(shapes, rows.size(), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("djl: whole model [0-9.]+ ms; layers alone, .*")), r.out());
    assertTrue(r.out().contains("GB/s"), r.out());
  }

  @Test
  void onnxProfileKeepsTheLastRunsAndTakesEachNodesMedian() {
    String trace = "["
        + "{\"cat\":\"Session\",\"name\":\"model_run\",\"ts\":0,\"dur\":100},"
        + "{\"cat\":\"Node\",\"name\":\"conv_1_kernel_time\",\"ts\":10,\"dur\":90,"
        + "\"args\":{\"op_name\":\"Conv\"}},"
        + "{\"cat\":\"Session\",\"name\":\"model_run\",\"ts\":200,\"dur\":100},"
        + "{\"cat\":\"Node\",\"name\":\"conv_1_kernel_time\",\"ts\":210,\"dur\":2000,"
        + "\"args\":{\"op_name\":\"Conv\"}},"
        + "{\"cat\":\"Node\",\"name\":\"conv_1_fence_before\",\"ts\":209,\"dur\":5},"
        + "{\"cat\":\"Session\",\"name\":\"model_run\",\"ts\":400,\"dur\":100},"
        + "{\"cat\":\"Node\",\"name\":\"conv_1_kernel_time\",\"ts\":410,\"dur\":30,"
        + "\"args\":{\"op_name\":\"Conv\"}},"
        + "{\"cat\":\"Node\",\"name\":\"relu_1_kernel_time\",\"ts\":450,\"dur\":4,"
        + "\"args\":{\"op_name\":\"Relu\"}},"
        + "{\"cat\":\"Session\",\"name\":\"model_run\",\"ts\":600,\"dur\":100},"
        + "{\"cat\":\"Node\",\"name\":\"conv_1_kernel_time\",\"ts\":610,\"dur\":40,"
        + "\"args\":{\"op_name\":\"Conv\"}}]";
    // The first run is the warm-up; of 2000, 30 and 40 microseconds the median is 40.
    List<OnnxNodeProfile.NodeTime> nodes = OnnxNodeProfile.summarise(trace, 3);
    assertEquals(2, nodes.size(), nodes.toString());
    assertEquals(new OnnxNodeProfile.NodeTime("conv_1", "Conv", 0.040), nodes.get(0));
    // relu_1 ran in one of the three runs: its median is 0.
    assertEquals(new OnnxNodeProfile.NodeTime("relu_1", "Relu", 0.0), nodes.get(1));
  }

  @Test
  void medianTakesTheMiddleValueOrTheMeanOfTheMiddleTwo() {
    assertEquals(3.0, InferenceBench.median(new double[] {9, 1, 3}));
    assertEquals(2.5, InferenceBench.median(new double[] {100, 1, 2, 3}));
    assertEquals(7.0, InferenceBench.median(new double[] {7}));
  }
}
