package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.weights.RandomWeights;
import org.medvision.api.weights.Safetensors;
import org.medvision.api.weights.Weights;

class ExportCommandTest {
  @TempDir Path dir;

  private Set<String> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  @Test
  void randomInitExportOpensInOnnxRuntime() throws OrtException {
    Path out = dir.resolve("atto.onnx");
    Cli.Result r = Cli.run("export", "--task", "strokenext", "--variant", "atto", "--random-init", "--seed", "7",
        "--format", "onnx", "--out", out.toString());
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    assertTrue(r.err().contains("seed 7"), r.err());
    assertTrue(r.out().startsWith("wrote " + out), r.out());
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(out.toString(), options)) {
      assertEquals(Set.of("image1", "image2"), session.getInputNames());
      assertEquals(Set.of("logits"), session.getOutputNames());
    }
  }

  @Test
  void weightsFromFileAreExported() {
    Path weights = Fixtures.weights(dir, "w.safetensors", Fixtures.atto("presence"), 3);
    Path out = dir.resolve("presence.onnx");
    Cli.Result r = Cli.run("export", "--task", "strokenext", "--variant", "atto", "--subtask", "presence",
        "--weights", weights.toString(), "--out", out.toString());
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    assertTrue(Files.isRegularFile(out));
  }

  @Test
  void unsupportedFormatListsTheSupportedOnesAndWritesNothing() throws IOException {
    Cli.Result r = Cli.run("export", "--task", "strokenext", "--variant", "atto", "--random-init", "--format",
        "tflite", "--out", dir.resolve("m.tflite").toString());
    assertEquals(ExitCodes.USAGE_ERROR, r.code(), r.toString());
    assertEquals("medvision: error: unsupported format 'tflite'; supported: onnx, safetensors", r.err().strip());
    assertEquals(Set.of(), files());
  }

  @Test
  void corruptWeightsFileIsNamedAndNoOutputIsLeft() throws IOException {
    Path bad = dir.resolve("bad.safetensors");
    Files.write(bad, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0, '{', '}'});
    Cli.Result r = Cli.run("export", "--task", "strokenext", "--variant", "atto", "--weights", bad.toString(),
        "--out", dir.resolve("m.onnx").toString());
    assertEquals(ExitCodes.RUNTIME_ERROR, r.code(), r.toString());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains(bad.toString()), r.err());
    assertEquals(Set.of("bad.safetensors"), files());
  }

  @Test
  void truncatedWeightsFileIsNamed() throws IOException {
    Path whole = Fixtures.weights(dir, "whole.safetensors", Fixtures.atto("3class"), 1);
    byte[] bytes = Files.readAllBytes(whole);
    Path cut = dir.resolve("cut.safetensors");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 1000));
    Cli.Result r = Cli.run("export", "--task", "strokenext", "--variant", "atto", "--weights", cut.toString(),
        "--out", dir.resolve("m.onnx").toString());
    assertEquals(ExitCodes.RUNTIME_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains(cut.toString()), r.err());
    assertEquals(Set.of("whole.safetensors", "cut.safetensors"), files());
  }

  @Test
  void weightsOfAnotherVariantNameTheTensorsAndLeaveNoOutput() throws IOException {
    Path femto = Fixtures.weights(dir, "femto.safetensors", Cli.MEDVISION.task("strokenext",
        Cli.MEDVISION.tasks().get("strokenext").configure("femto", java.util.Map.of("image_size", "32"))), 2);
    Cli.Result r = Cli.run("export", "--task", "strokenext", "--variant", "atto", "--weights", femto.toString(),
        "--out", dir.resolve("m.onnx").toString());
    assertEquals(ExitCodes.RUNTIME_ERROR, r.code(), r.toString());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains(femto.toString()) && r.err().contains("encoder1.stem.0.weight: expected"),
        r.err());
    assertEquals(Set.of("femto.safetensors"), files());
  }

  @Test
  void missingWeightsFileAndConflictingSources() throws IOException {
    Cli.Result missing = Cli.run("export", "--task", "strokenext", "--variant", "atto", "--weights",
        dir.resolve("none.safetensors").toString(), "--out", dir.resolve("m.onnx").toString());
    assertEquals(ExitCodes.RUNTIME_ERROR, missing.code());
    assertTrue(missing.err().contains("weights file not found: " + dir.resolve("none.safetensors")),
        missing.err());
    Cli.Result both = Cli.run("export", "--task", "strokenext", "--variant", "atto", "--weights", "x",
        "--random-init", "--out", dir.resolve("m.onnx").toString());
    assertEquals(ExitCodes.USAGE_ERROR, both.code());
    Cli.Result neither = Cli.run("export", "--task", "strokenext", "--variant", "atto", "--out",
        dir.resolve("m.onnx").toString());
    assertEquals(ExitCodes.USAGE_ERROR, neither.code());
    assertTrue(neither.err().contains("--random-init"), neither.err());
    assertEquals(Set.of(), files());
  }

  @Test
  void safetensorsExportRecordsTheModelAndFeedsPredict() throws IOException {
    Path out = dir.resolve("atto.safetensors");
    Cli.Result r = Cli.run("export", "--task", "strokenext", "--variant", "atto", "--subtask", "presence",
        "--image-size", Integer.toString(Fixtures.SIZE), "--random-init", "--seed", "5", "--format", "safetensors",
        "--out", out.toString());
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    Weights written = Safetensors.read(out);
    Weights expected = RandomWeights.initialize(Fixtures.atto("presence").graph(), 5);
    assertEquals(expected.tensors().keySet(), written.tensors().keySet());
    expected.tensors().forEach((name, t) -> assertTrue(t.contentEquals(written.tensors().get(name)), name));
    assertEquals("strokenext", written.metadata().get("task"));
    assertEquals("atto", written.metadata().get("variant"));
    assertEquals("random(seed=5)", written.metadata().get("source"));

    Path image = Fixtures.png(dir, "slice.png", 1);
    Cli.Result predicted = Cli.run("predict", "--task", "strokenext", "--variant", "atto", "--subtask", "presence",
        "--image-size", Integer.toString(Fixtures.SIZE), "--weights", out.toString(), image.toString());
    assertEquals(ExitCodes.OK, predicted.code(), predicted.toString());

    Cli.Result wrongVariant = Cli.run("predict", "--task", "strokenext", "--variant", "tiny", "--subtask",
        "presence", "--weights", out.toString(), image.toString());
    assertEquals(ExitCodes.RUNTIME_ERROR, wrongVariant.code(), wrongVariant.toString());
    assertEquals("medvision: error: model " + out + " was trained for variant 'atto' but variant 'tiny' was asked "
        + "for; drop the variant setting (the model file supplies it) or use a model trained for variant 'tiny'",
        wrongVariant.err().strip());
  }

  @Test
  void exportedFilesGetTheUsualPermissionsNotTempFilePermissions() throws IOException {
    Path out = dir.resolve("atto.onnx");
    assertEquals(ExitCodes.OK, Cli.run("export", "--task", "strokenext", "--variant", "atto", "--random-init",
        "--out", out.toString()).code());
    Path plain = Files.createFile(dir.resolve("plain"));
    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(out));
  }

  @Test
  void keyMapNeedsWeightsAndMustBeOneTheTaskKnows() throws IOException {
    Cli.Result alone = Cli.run("export", "--task", "strokenext", "--variant", "atto", "--random-init", "--key-map",
        "torchvision", "--out", dir.resolve("m.onnx").toString());
    assertEquals(ExitCodes.USAGE_ERROR, alone.code(), alone.toString());
    assertTrue(alone.err().contains("--key-map needs --weights"), alone.err());

    Path weights = Fixtures.weights(dir, "w.safetensors", Fixtures.atto("3class"), 3);
    Cli.Result unknown = Cli.run("export", "--task", "strokenext", "--variant", "atto", "--weights",
        weights.toString(), "--key-map", "keras", "--out", dir.resolve("m.onnx").toString());
    assertEquals(ExitCodes.USAGE_ERROR, unknown.code(), unknown.toString());
    assertEquals("medvision: error: unknown key map 'keras'; available: torchvision", unknown.err().strip());
    assertEquals(Set.of("w.safetensors"), files());
  }
}
