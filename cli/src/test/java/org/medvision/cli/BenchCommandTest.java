package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
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
    assertEquals(macs, json.get("multiplyAddsPerImage").getAsLong());
    assertEquals("random(seed=0)", json.get("weights").getAsString());
    double peak = json.get("peakGflops").getAsDouble();
    assertTrue(peak > 0, "peak " + peak);
    JsonArray results = json.getAsJsonArray("results");
    assertEquals(2, results.size());
    for (int i = 0; i < 2; i++) {
      JsonObject row = results.get(i).getAsJsonObject();
      int batch = row.get("batch").getAsInt();
      assertEquals(i + 1, batch);
      double mean = row.get("meanMsPerBatch").getAsDouble();
      double ips = row.get("imagesPerSecond").getAsDouble();
      assertEquals(batch / (mean / 1e3), ips, 1e-9 * ips);
      assertEquals(mean / batch, row.get("meanMsPerImage").getAsDouble(), 1e-12);
      assertEquals(2.0 * macs * ips / 1e9, row.get("achievedGflops").getAsDouble(), 1e-9);
      assertEquals(100 * row.get("achievedGflops").getAsDouble() / peak, row.get("percentOfPeak").getAsDouble(),
          1e-9);
      assertTrue(row.get("p50MsPerBatch").getAsDouble() <= row.get("p90MsPerBatch").getAsDouble());
      double pre = row.get("preprocessMs").getAsDouble();
      double run = row.get("runMs").getAsDouble();
      double post = row.get("postprocessMs").getAsDouble();
      assertEquals(100 * (pre + post) / run, row.get("overheadPercent").getAsDouble(), 1e-6);
      assertTrue(row.get("peakHeapBytes").getAsLong() > 0);
      if (System.getProperty("os.name").startsWith("Linux")) {
        assertTrue(row.get("peakRssBytes").getAsLong() > 0);
      }
    }
  }

  @Test
  void textPrintsTheEfficiencyTable() {
    Cli.Result r = Cli.run("bench", "--task", "strokenext", "--variant", "atto", "--image-size", "32", "--batch",
        "2", "--warmup", "0", "--iterations", "1", "--peak-size", "0");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    assertTrue(r.out().contains("peak       not measured"), r.out());
    String header = r.out().lines().filter(l -> l.startsWith("batch")).findFirst().orElseThrow();
    for (String column : new String[] {"ms/batch", "p50", "p90", "ms/image", "images/s", "peak RSS MiB",
        "heap MiB", "GMACs/img", "params M", "GFLOP/s", "% peak", "overhead %"}) {
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
