package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.weights.Safetensors;
import org.medvision.io.synth.BrainCtDataset;
import org.medvision.io.synth.Difficulty;
import org.medvision.train.CheckpointInfo;
import org.medvision.train.Checkpoints;
import org.medvision.train.RunFiles;
import org.medvision.train.TrainerConfig;

class TrainCommandTest {
  @TempDir
  static Path shared;

  private static Path manifest;

  @TempDir
  Path dir;

  @BeforeAll
  static void data() {
    manifest = BrainCtDataset.generate(shared.resolve("brain"), 18, 32, 5, Difficulty.EASY, "brain").manifest();
  }

  private static String[] train(Path out, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("train", "--task", "strokenext", "--variant", "atto",
        "--subtask", "3class", "--image-size", "32", "--engine", "djl", "--data", manifest.toString(), "--batch", "4",
        "--seed", "3", "--out", out.toString()));
    args.addAll(List.of(extra));
    return args.toArray(new String[0]);
  }

  @Test
  void trainsWritesCheckpointsAndResumes() throws IOException {
    Path out = dir.resolve("run");
    Cli.Result r = Cli.run(train(out, "--epochs", "1"));
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    assertTrue(r.err().contains("seed 3"), r.err());
    assertTrue(r.err().contains("normal  ischemic  hemorrhagic  total"), r.err()); // the class balance table
    assertTrue(r.err().contains("epoch 1: lr"), r.err());
    assertTrue(r.err().contains("BatchNorm statistics of 3 layers are recomputed on"), r.err());
    // About a dozen training images at batch 4 are 3 or 4 updates a pass: the automatic repeats reach their cap.
    assertTrue(r.err().contains("note: each epoch makes " + TrainerConfig.MAX_AUTO_REPEATS + " passes over the"),
        r.err());
    assertTrue(r.out().contains("completed after 1 epoch; best epoch 1"), r.out());
    assertTrue(r.out().contains(out.toAbsolutePath().resolve(RunFiles.BEST_WEIGHTS).toString()), r.out());
    CheckpointInfo best = Checkpoints.readInfo(out.resolve(RunFiles.BEST_SIDECAR));
    assertEquals("strokenext", best.task());
    assertEquals("atto", best.taskConfig().variant());
    assertEquals(32, best.taskConfig().intOption("image_size"));
    assertEquals("djl", best.engine());
    assertEquals(3, best.seed());
    assertEquals(Main.version(), best.medvisionVersion());
    assertEquals("atto", Safetensors.read(out.resolve(RunFiles.BEST_WEIGHTS)).metadata().get("variant"));
    assertEquals(2, Files.readAllLines(out.resolve(RunFiles.LOG)).size());

    r = Cli.run("train", "--out", out.toString(), "--resume", "--epochs", "2");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    assertTrue(r.err().contains("epochs 2-2"), r.err());
    assertEquals(2, Checkpoints.readInfo(out.resolve(RunFiles.LAST_SIDECAR)).epoch());
    assertEquals(3, Files.readAllLines(out.resolve(RunFiles.LOG)).size());

    // The finished run is not overwritten by accident.
    r = Cli.run(train(out, "--epochs", "1"));
    assertEquals(ExitCodes.RUNTIME_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("exists and is not empty") && r.err().contains("--force"), r.err());
  }

  @Test
  void theRangeTestPrintsASuggestionAndWritesItsCurveButNoRun() throws IOException {
    Path out = dir.resolve("lr");
    Cli.Result r = Cli.run(train(out, "--find-lr"));
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    assertTrue(r.out().contains("learning-rate range test: "), r.out());
    assertTrue(r.out().matches("(?s).*suggested: --lr \\d\\.\\de-\\d\\d.*"), r.out());
    List<String> csv = Files.readAllLines(out.resolve("lr-finder.csv"));
    assertEquals("step,learning_rate,loss,smoothed_loss", csv.get(0));
    assertTrue(csv.size() > 10, "one row per update: " + csv.size());
    assertTrue(csv.get(1).startsWith("1,1.000000e-06,"), csv.get(1));
    assertTrue(Files.size(out.resolve("lr-finder.png")) > 1000);
    assertFalse(Files.exists(out.resolve(RunFiles.BEST_WEIGHTS)), "a range test trains no model");
  }

  @Test
  void usageErrorsNameTheOption() {
    Path out = dir.resolve("run");
    Cli.Result r = Cli.run("train", "--task", "strokenext", "--data", manifest.toString());
    assertEquals(ExitCodes.USAGE_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("--out"), r.err());
    r = Cli.run("train", "--task", "strokenext", "--out", out.toString());
    assertEquals(ExitCodes.USAGE_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("--data"), r.err());
    r = Cli.run(train(out, "--lr", "fast"));
    assertEquals(ExitCodes.USAGE_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("--lr needs a number, got 'fast'"), r.err());
    r = Cli.run(train(out, "--precision", "half"));
    assertEquals(ExitCodes.USAGE_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("unknown --precision 'half'; use float32, bf16 or fp16"), r.err());
    r = Cli.run(train(out, "--epoch-repeats", "0"));
    assertEquals(ExitCodes.USAGE_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("--epoch-repeats must be at least 1, got 0"), r.err());
    r = Cli.run(train(out, "--epoch-repeats", "many"));
    assertEquals(ExitCodes.USAGE_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("--epoch-repeats needs a number of passes (1 or more) or auto, got 'many'"), r.err());
    r = Cli.run(train(out, "--shift", "0.7"));
    assertEquals(ExitCodes.USAGE_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("the largest augmentation shift must be a fraction in [0, 0.5], got 0.7"), r.err());
    r = Cli.run(train(out, "--select-metric", "speed"));
    assertEquals(ExitCodes.USAGE_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("unknown selection metric 'speed'"), r.err());
    r = Cli.run("train", "--out", out.toString(), "--resume", "--lr", "1e-3");
    assertEquals(ExitCodes.USAGE_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("--lr cannot be combined with --resume"), r.err());
    r = Cli.run("train", "--out", out.toString(), "--resume");
    assertEquals(ExitCodes.RUNTIME_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("checkpoint sidecar not found"), r.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void badDataNamesTheRowAndLeavesNoRunDirectory() throws IOException {
    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "path,label\n" + manifest.getParent().resolve("normal").toAbsolutePath()
        + "/missing.png,normal\n");
    Path out = dir.resolve("run");
    Cli.Result r = Cli.run("train", "--task", "strokenext", "--variant", "atto", "--image-size", "32", "--data",
        csv.toString(), "--out", out.toString());
    assertEquals(ExitCodes.RUNTIME_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("line 2") && r.err().contains("missing.png"), r.err());
    assertFalse(Files.exists(out));
    Path image;
    try (Stream<Path> s = Files.list(manifest.getParent().resolve("normal"))) {
      image = s.findFirst().orElseThrow();
    }
    Files.writeString(csv, "path,label\n" + image.toAbsolutePath() + ",tumour\n");
    r = Cli.run("train", "--task", "strokenext", "--variant", "atto", "--image-size", "32", "--data",
        csv.toString(), "--out", out.toString());
    assertEquals(ExitCodes.RUNTIME_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("unknown label 'tumour'"), r.err());
  }
}
