package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medvision.api.graph.GraphStats;

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
    assertEquals(ExitCodes.RUNTIME_ERROR, unknown.code());
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
    assertEquals(7.0, LatencyStats.of(new long[] {7_000_000L}).p90Ms(), 1e-12);
  }

  @Test
  void peakGraphIsAChainOfSquareGemms() {
    GraphStats s = GraphStats.of(PeakFlops.graph(16), 1);
    assertEquals((long) PeakFlops.CHAIN * 16 * 16 * 16, s.multiplyAdds());
    assertEquals((long) PeakFlops.CHAIN * 16 * 16, s.parameters());
  }
}
