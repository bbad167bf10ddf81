package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.task.Task;
import org.medvision.api.weights.WeightsDigest;
import org.medvision.io.ProgressListener;
import org.medvision.io.dataset.ExampleSet;
import org.medvision.io.dataset.TaskData;
import org.medvision.io.dataset.Split;
import org.medvision.io.synth.BrainCtDataset;
import org.medvision.io.synth.Difficulty;
import org.medvision.train.CheckpointInfo;
import org.medvision.train.Checkpoints;
import org.medvision.train.TrainerConfig;
import org.medvision.train.eval.ImagePrediction;
import org.medvision.train.eval.PredictionSet;
import org.medvision.train.eval.PredictionsFile;
import org.medvision.train.report.EvaluationReport;

class EvaluateCommandTest {
  /** The training seed the sidecar records; evaluation must split with it. */
  private static final long RUN_SEED = 11;

  @TempDir
  static Path shared;
  static Path manifest;

  @TempDir
  Path dir;

  @BeforeAll
  static void data() throws Exception {
    Path written = BrainCtDataset.generate(shared.resolve("data"), 60, 40, 3, Difficulty.MEDIUM, "brain").manifest();
    // Without the split column the trainer splits with its seed, which evaluation has to reproduce.
    StringBuilder sb = new StringBuilder();
    for (String line : Files.readAllLines(written)) {
      sb.append(line, 0, line.lastIndexOf(',')).append('\n');
    }
    manifest = written.resolveSibling("unsplit.csv");
    Files.writeString(manifest, sb.toString());
  }

  /** Random atto weights at 32 px with a trainer-style sidecar {@code name.json} beside them. */
  private Path checkpoint(String name, long weightSeed) {
    Task task = Fixtures.atto("3class");
    Path weights = Fixtures.weights(dir, name + ".safetensors", task, weightSeed);
    CheckpointInfo info = new CheckpointInfo(CheckpointInfo.FORMAT, "best", "strokenext", task.config(),
        task.outputs().get(0).labels(), TrainerConfig.builder().seed(RUN_SEED).build(), 1, 0, 3, 0, 0, null, 1, 0.5,
        0, List.of(), RUN_SEED, "djl", "test", "cpu", manifest.toString(), "00", weights.getFileName().toString(),
        WeightsDigest.sha256(weights), null, null, "test", "java", "os", "2026-11-24T00:00:00Z", "acc", null,
        List.of());
    write(dir.resolve(name + ".json"), Checkpoints.toJson(info));
    return weights;
  }

  /**
   * The same kind of checkpoint with the sidecar an earlier medvision wrote (format 1: the task configuration as
   * variant, subtask, fusion and imageSize fields, the trainer's CE settings in the trainer section).
   */
  private Path checkpointOfFormat1(String name, long weightSeed) {
    Path weights = Fixtures.weights(dir, name + ".safetensors", Fixtures.atto("3class"), weightSeed);
    write(dir.resolve(name + ".json"), "{\n  \"format\": \"medvision-checkpoint/1\",\n  \"kind\": \"best\",\n"
        + "  \"task\": \"strokenext\",\n  \"taskConfig\": {\"variant\": \"atto\", \"subtask\": \"3class\", "
        + "\"fusion\": \"conv1d\", \"imageSize\": 32, \"options\": {}},\n"
        + "  \"classes\": [\"normal\", \"ischemic\", \"hemorrhagic\"],\n"
        + "  \"trainer\": {\"epochs\": 15, \"labelSmoothing\": 0.1, \"classWeighting\": \"NONE\", "
        + "\"selectMetric\": \"VAL_ACCURACY\", \"seed\": " + RUN_SEED + "},\n"
        + "  \"epoch\": 1,\n  \"seed\": " + RUN_SEED + ",\n  \"engine\": \"djl\",\n"
        + "  \"weightsFile\": \"" + weights.getFileName() + "\",\n  \"weightsSha256\": \""
        + WeightsDigest.sha256(weights) + "\"\n}\n");
    return weights;
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Set<Path> paths(ExampleSet d) {
    Set<Path> s = new HashSet<>();
    for (int i = 0; i < d.size(); i++) {
      s.add(Path.of(d.id(i)).toAbsolutePath().normalize());
    }
    return s;
  }

  private static ExampleSet testSplit(long seed) {
    return TaskData.load(manifest, Fixtures.atto("3class").data(), seed, ProgressListener.NONE).split(Split.TEST);
  }

  @Test
  void aCheckpointOfTheFirstSidecarFormatEvaluatesToTheSameMetrics() throws Exception {
    Path current = checkpoint("current", 5);
    Path old = checkpointOfFormat1("old", 5);
    Cli.Result a = Cli.run("evaluate", "--model", current.toString(), "--data", manifest.toString(), "--json");
    Cli.Result b = Cli.run("evaluate", "--model", old.toString(), "--data", manifest.toString(), "--json");
    assertEquals(ExitCodes.OK, a.code(), a.toString());
    assertEquals(ExitCodes.OK, b.code(), b.toString());
    JsonObject ma = JsonParser.parseString(a.out()).getAsJsonObject();
    JsonObject mb = JsonParser.parseString(b.out()).getAsJsonObject();
    assertEquals(ma.get("summary"), mb.get("summary"));
    assertEquals(ma.getAsJsonObject("provenance").get("seed"), mb.getAsJsonObject("provenance").get("seed"));
  }

  @Test
  void takesTheModelAndSplitSeedFromTheSidecarAndWritesTheReport() throws Exception {
    Path weights = checkpoint("best", 1);
    Path report = dir.resolve("report");
    Cli.Result r = Cli.run("evaluate", "--weights", weights.toString(), "--data", manifest.toString(), "--report",
        report.toString());
    assertEquals(ExitCodes.OK, r.code(), r.toString());

    JsonObject metrics = JsonParser.parseString(Files.readString(report.resolve(EvaluationReport.METRICS)))
        .getAsJsonObject();
    double accuracy = metrics.getAsJsonObject("metrics").get("accuracy").getAsDouble();
    assertTrue(r.out().contains(String.format(Locale.ROOT, "%.4f", accuracy)), r.out());
    assertTrue(r.out().contains("Accuracy") && r.out().contains("F1 (macro)") && r.out().contains("95% CI"), r.out());
    JsonObject provenance = metrics.getAsJsonObject("provenance");
    assertEquals(RUN_SEED, provenance.get("seed").getAsLong());
    assertEquals("test", provenance.get("split").getAsString());
    assertEquals("onnx", provenance.get("engine").getAsString());
    assertEquals(WeightsDigest.sha256(weights), provenance.get("weightsSha256").getAsString());
    assertEquals("32", provenance.getAsJsonObject("config").getAsJsonObject("options").get("image_size")
        .getAsString());
    for (String f : List.of(EvaluationReport.HTML, EvaluationReport.PREDICTIONS, EvaluationReport.ROC,
        EvaluationReport.PR, EvaluationReport.RELIABILITY, EvaluationReport.CONFUSION)) {
      assertTrue(Files.size(report.resolve(f)) > 0, f);
    }

    // The images evaluated are the test split the trainer made with the run's seed, not with another seed.
    PredictionSet predicted = PredictionsFile.read(report.resolve(EvaluationReport.PREDICTIONS));
    Set<Path> evaluated = new HashSet<>();
    for (ImagePrediction p : predicted.predictions()) {
      evaluated.add(p.path());
    }
    assertEquals(paths(testSplit(RUN_SEED)), evaluated);
    assertNotEquals(paths(testSplit(RUN_SEED + 1)), evaluated);
  }

  @Test
  void refusesACheckpointOfAnotherVariantNamingBoth() {
    Path weights = checkpoint("best", 1);
    Cli.Result r = Cli.run("evaluate", "--task", "strokenext", "--variant", "femto", "--weights", weights.toString(),
        "--data", manifest.toString());
    assertEquals(ExitCodes.RUNTIME_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("variant 'atto'") && r.err().contains("variant 'femto'"), r.err());

    r = Cli.run("evaluate", "--image-size", "64", "--weights", weights.toString(), "--data", manifest.toString());
    assertEquals(ExitCodes.RUNTIME_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("image_size '32'") && r.err().contains("image_size '64'"), r.err());
  }

  @Test
  void comparesTwoRunsWithMcNemarOnTheSameImages() throws Exception {
    Path first = dir.resolve("first");
    assertEquals(ExitCodes.OK, Cli.run("evaluate", "--weights", checkpoint("a", 1).toString(), "--data",
        manifest.toString(), "--report", first.toString()).code());
    Path other = checkpoint("b", 2);
    Cli.Result r = Cli.run("evaluate", "--weights", other.toString(), "--data", manifest.toString(), "--compare",
        first.resolve(EvaluationReport.PREDICTIONS).toString(), "--json");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
    JsonObject mcnemar = json.getAsJsonObject("comparison").getAsJsonObject("mcnemar");

    // Count the discordant images by hand from the two runs' own predictions.
    PredictionSet a = PredictionsFile.read(first.resolve(EvaluationReport.PREDICTIONS));
    Path second = dir.resolve("second");
    assertEquals(ExitCodes.OK, Cli.run("evaluate", "--weights", other.toString(), "--data", manifest.toString(),
        "--report", second.toString()).code());
    PredictionSet b = PredictionsFile.read(second.resolve(EvaluationReport.PREDICTIONS));
    long onlyB = 0;
    long onlyA = 0;
    for (ImagePrediction pb : b.predictions()) {
      ImagePrediction pa = a.byPath().get(pb.path());
      if (pb.correct() && !pa.correct()) {
        onlyB++;
      } else if (!pb.correct() && pa.correct()) {
        onlyA++;
      }
    }
    // This run (b) is A in the test, the --compare file B.
    assertEquals(onlyB, mcnemar.get("b").getAsLong());
    assertEquals(onlyA, mcnemar.get("c").getAsLong());
    assertEquals(a.predictions().size(), mcnemar.get("samples").getAsInt());
  }

  @Test
  void refusesToCompareDifferentImages() {
    Path first = dir.resolve("first");
    Path weights = checkpoint("a", 1);
    assertEquals(ExitCodes.OK, Cli.run("evaluate", "--weights", weights.toString(), "--data", manifest.toString(),
        "--report", first.toString()).code());
    Cli.Result r = Cli.run("evaluate", "--weights", weights.toString(), "--data", manifest.toString(), "--split",
        "val", "--compare", first.resolve(EvaluationReport.PREDICTIONS).toString());
    assertEquals(ExitCodes.RUNTIME_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("needs the same images") && r.err().contains("only in the first"), r.err());
  }

  @Test
  void refusesANonEmptyReportDirectoryWithoutForce() throws Exception {
    Path weights = checkpoint("best", 1);
    Path report = Files.createDirectories(dir.resolve("report"));
    Files.writeString(report.resolve("mine.txt"), "x");
    Cli.Result r = Cli.run("evaluate", "--weights", weights.toString(), "--data", manifest.toString(), "--report",
        report.toString());
    assertEquals(ExitCodes.RUNTIME_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("not empty") && r.err().contains("--force"), r.err());
    assertTrue(Files.exists(report.resolve("mine.txt")));
    assertFalse(Files.exists(report.resolve(EvaluationReport.HTML)));

    r = Cli.run("evaluate", "--weights", weights.toString(), "--data", manifest.toString(), "--report",
        report.toString(), "--force");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    assertTrue(Files.exists(report.resolve(EvaluationReport.HTML)));
  }

  @Test
  void withoutASidecarTheTaskMustBeNamed() {
    Task task = Fixtures.atto("3class");
    Path weights = Fixtures.weights(dir, "plain.safetensors", task, 4);
    Cli.Result r = Cli.run("evaluate", "--weights", weights.toString(), "--data", manifest.toString());
    assertEquals(ExitCodes.USAGE_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("--task"), r.err());

    r = Cli.run("evaluate", "--task", "strokenext", "--variant", "atto", "--image-size", "32", "--weights",
        weights.toString(), "--data", manifest.toString(), "--split", "val", "--json");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
    assertEquals(EvaluateCommand.DEFAULT_SEED, json.getAsJsonObject("provenance").get("seed").getAsLong());
    assertEquals("val", json.getAsJsonObject("provenance").get("split").getAsString());
  }
}
