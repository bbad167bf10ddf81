package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.runtime.batch.BatchFolder;
import org.medvision.runtime.batch.OutputFormat;
import org.medvision.runtime.batch.PredictionRow;

/**
 * {@code medvision batch} over 200 synthetic brain CT images ({@code synth --kind brain-ct}) with a seeded StrokeNeXt
 * atto checkpoint ({@code export --random-init}) on ONNX Runtime, against {@code predict --json} over the same files;
 * a child JVM killed mid-job and the same command run again.
 */
class BatchCommandTest {
  private static final int IMAGES = 200;
  /** Agreement with {@code predict}: the same code path and engine, so in practice bit for bit. */
  private static final float TOLERANCE = 1e-6f;
  private static final List<String> CLASSES = List.of("normal", "ischemic", "hemorrhagic");
  @TempDir static Path shared;
  static Path images;
  static Path model;
  /** predict's probabilities by input path. */
  static Map<String, float[]> predicted = new HashMap<>();

  @TempDir Path dir;

  @BeforeAll
  static void prepare() {
    images = shared.resolve("synth");
    Cli.Result synth = Cli.run("synth", "--kind", "brain-ct", "--count", String.valueOf(IMAGES), "--size", "64",
        "--seed", "3", "--out", images.toString());
    assertEquals(ExitCodes.OK, synth.code(), synth.toString());
    model = shared.resolve("atto.safetensors");
    Cli.Result export = Cli.run("export", "--task", "strokenext", "--variant", "atto", "--image-size", "64",
        "--random-init", "--seed", "7", "--format", "safetensors", "--out", model.toString());
    assertEquals(ExitCodes.OK, export.code(), export.toString());
    Cli.Result predict = Cli.run("predict", "--model", model.toString(), "--input", images.toString(), "--json");
    assertEquals(ExitCodes.OK, predict.code(), predict.err());
    for (JsonElement e : JsonParser.parseString(predict.out()).getAsJsonObject().getAsJsonArray("predictions")) {
      JsonObject p = e.getAsJsonObject().getAsJsonObject("logits").getAsJsonObject("probabilities");
      float[] v = new float[CLASSES.size()];
      for (int c = 0; c < v.length; c++) {
        v[c] = p.get(CLASSES.get(c)).getAsFloat();
      }
      predicted.put(e.getAsJsonObject().get("input").getAsString(), v);
    }
    assertEquals(IMAGES, predicted.size());
  }

  private static String[] batch(Path input, Path out, String... more) {
    List<String> a = new ArrayList<>(List.of("batch", "--model", model.toString(), "--input", input.toString(),
        "--out", out.toString()));
    a.addAll(List.of(more));
    return a.toArray(new String[0]);
  }

  private static void assertAsPredicted(List<PredictionRow> rows) {
    assertEquals(IMAGES, rows.size());
    assertEquals(IMAGES, rows.stream().map(PredictionRow::inputId).distinct().count(), "no id twice");
    for (PredictionRow r : rows) {
      float[] want = predicted.get(r.path());
      assertNotNull(want, r.path());
      for (int c = 0; c < want.length; c++) {
        assertEquals(want[c], r.probability("p_" + CLASSES.get(c)), TOLERANCE, r.inputId());
      }
    }
  }

  @Test
  void aFolderAndItsManifestGiveWhatPredictGivesAndTheRunEndsWithASummary() {
    Path out = dir.resolve("out");
    Cli.Result r = Cli.run(batch(images, out, "--workers", "2", "--rows-per-part", "64"));
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    assertTrue(r.err().contains("batch: 200 predicted, 0 failed, 0 skipped"), r.err());
    assertAsPredicted(BatchFolder.readRows(out, OutputFormat.PARQUET));
    assertEquals(BatchFolder.readRows(out, OutputFormat.PARQUET), BatchFolder.readRows(out, OutputFormat.JSONL));

    Path fromManifest = dir.resolve("manifest-out");
    Cli.Result m = Cli.run(batch(images.resolve("manifest.csv"), fromManifest, "--format", "jsonl", "--json"));
    assertEquals(ExitCodes.OK, m.code(), m.toString());
    JsonObject summary = JsonParser.parseString(m.out()).getAsJsonObject();
    assertEquals(IMAGES, summary.get("predicted").getAsInt());
    assertEquals("shared", summary.get("modelSharing").getAsString());
    List<PredictionRow> rows = BatchFolder.readRows(fromManifest, OutputFormat.JSONL);
    assertAsPredicted(rows);
    assertTrue(rows.get(0).inputId().matches("(normal|ischemic|hemorrhagic)/\\w+_\\d{4}\\.png"), rows.get(0).inputId());
    assertTrue(!Files.exists(fromManifest.resolve("parquet")), "only the formats asked for");
  }

  @Test
  void aJobKilledMidwayAndRunAgainEndsWithEveryRowOnce() throws IOException, InterruptedException {
    Path out = dir.resolve("out");
    // Two workers writing parts side by side when the kill comes; the resumed run has one.
    Process child = batchInChildJvm(out, 3, "--workers", "2");
    child.destroyForcibly();
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    long before = parts(out);
    assertTrue(before >= 3 && before < IMAGES / 4, before + " parts when killed");

    Cli.Result again = Cli.run(batch(images, out, "--batch", "1", "--rows-per-part", "4", "--json"));
    assertEquals(ExitCodes.OK, again.code(), again.toString());
    JsonObject summary = JsonParser.parseString(again.out()).getAsJsonObject();
    assertTrue(summary.get("skipped").getAsInt() >= 4 * 3, again.out());
    assertEquals(IMAGES, summary.get("skipped").getAsInt() + summary.get("predicted").getAsInt(), again.out());
    assertAsPredicted(BatchFolder.readRows(out, OutputFormat.JSONL));
    assertAsPredicted(BatchFolder.readRows(out, OutputFormat.PARQUET));
  }

  @Test
  void aJobStoppedAsCtrlCStopsItSaysHowToResume() throws IOException, InterruptedException {
    Process child = batchInChildJvm(dir.resolve("out"), 1);
    child.destroy();
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    String log = Files.readString(dir.resolve("child.log"));
    assertTrue(log.contains("batch stopped; the complete parts in " + dir.resolve("out")
        + " are kept: run the same command again to resume"), log);
  }

  /**
   * Starts {@code medvision batch} over the images, one per batch and four per part, in a child JVM, and returns once
   * it has written {@code parts} parts (its output goes to {@code child.log}).
   */
  private Process batchInChildJvm(Path out, int parts, String... more) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(batch(images, out, "--batch", "1", "--rows-per-part", "4")));
    command.addAll(List.of(more));
    Process child = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("child.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (parts(out) < parts && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(child.isAlive(), "the child finished before it could be stopped:\n" + Files.readString(
        dir.resolve("child.log")));
    return child;
  }

  @Test
  void aDamagedFileIsOneErrorRowAndExitCodeThree() throws IOException {
    Path in = dir.resolve("in");
    Files.createDirectories(in);
    try (Stream<Path> pngs = Files.list(images.resolve("normal"))) {
      for (Path p : pngs.sorted().limit(5).toList()) {
        Files.copy(p, in.resolve(p.getFileName()));
      }
    }
    Files.write(in.resolve("zz_damaged.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0});
    Path out = dir.resolve("out");
    Cli.Result r = Cli.run(batch(in, out));
    assertEquals(ExitCodes.PARTIAL, r.code(), r.toString());
    assertTrue(r.err().contains("5 predicted, 1 failed") && r.err().contains("exit code 3"), r.err());
    List<PredictionRow> rows = BatchFolder.readRows(out, OutputFormat.JSONL);
    assertEquals(6, rows.size());
    PredictionRow bad = rows.stream().filter(PredictionRow::failed).findFirst().orElseThrow();
    assertEquals("zz_damaged.png", bad.inputId());

    // Run again (as after a kill): nothing to do, but the folder still holds the error row, so the exit code says so.
    Cli.Result again = Cli.run(batch(in, out));
    assertEquals(ExitCodes.PARTIAL, again.code(), again.toString());
    assertTrue(again.err().contains("0 predicted, 0 failed, 6 skipped (done before; 1 error row from then)"),
        again.err());
  }

  @Test
  void anotherModelsOutputFolderIsRefusedUnlessForcedAndUsageErrorsSayWhatIsMissing() throws IOException {
    Path in = dir.resolve("in");
    Files.createDirectories(in);
    Files.copy(images.resolve("normal").resolve("normal_0000.png"), in.resolve("a.png"));
    Path out = dir.resolve("out");
    assertEquals(ExitCodes.OK, Cli.run(batch(in, out)).code());
    Path other = dir.resolve("other.safetensors");
    assertEquals(ExitCodes.OK, Cli.run("export", "--task", "strokenext", "--variant", "atto", "--image-size", "64",
        "--random-init", "--seed", "8", "--format", "safetensors", "--out", other.toString()).code());
    Cli.Result refused = Cli.run("batch", "--model", other.toString(), "--input", in.toString(), "--out",
        out.toString());
    assertEquals(ExitCodes.RUNTIME_ERROR, refused.code(), refused.toString());
    assertTrue(refused.err().contains("model SHA-256") && refused.err().contains("--force"), refused.err());
    Cli.Result forced = Cli.run("batch", "--model", other.toString(), "--input", in.toString(), "--out",
        out.toString(), "--force");
    assertEquals(ExitCodes.OK, forced.code(), forced.toString());

    Cli.Result noOut = Cli.run("batch", "--model", model.toString(), "--input", in.toString());
    assertEquals(ExitCodes.USAGE_ERROR, noOut.code());
    assertTrue(noOut.err().contains("--out"), noOut.err());
    Cli.Result badFormat = Cli.run(batch(in, dir.resolve("o2"), "--format", "csv"));
    assertEquals(ExitCodes.USAGE_ERROR, badFormat.code());
    assertTrue(badFormat.err().contains("parquet, jsonl"), badFormat.err());
  }

  private static long parts(Path out) throws IOException {
    Path folder = out.resolve("jsonl");
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(p -> p.getFileName().toString().matches("part-\\d+\\.jsonl")).count();
    }
  }
}
