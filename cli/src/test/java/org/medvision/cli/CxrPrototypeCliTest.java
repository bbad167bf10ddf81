package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.tasks.common.text.BertFolder;

/**
 * cxr-prototype end to end through the CLI on a set in ChestX-ray14's published layout (the images spread over
 * {@code images_0NN/images/}, named and listed as the real set names them), with a tiny random BERT: train two epochs,
 * evaluate on the official-style test list with a report, and predict one image to JSON.
 */
class CxrPrototypeCliTest {
  @TempDir
  Path dir;

  @Test
  void trainsEvaluatesAndPredictsOnTheRealLayout() throws IOException {
    Path data = dir.resolve("cxr");
    Cli.Result synth = Cli.run("synth", "--kind", "chest-xray", "--count", "80", "--size", "32", "--seed", "5",
        "--layout", "archives", "--out", data.toString());
    assertEquals(ExitCodes.OK, synth.code(), synth.toString());
    Path bert = dir.resolve("bert");
    Cli.Result text = Cli.run("synth", "--kind", "text-encoder", "--out", bert.toString());
    assertEquals(ExitCodes.OK, text.code(), text.toString());
    assertEquals(32, BertFolder.read(bert).config().hiddenSize());

    Path run = dir.resolve("run");
    Cli.Result train = Cli.run("train", "--task", "cxr-prototype", "--variant", "atto", "--set", "image_size=32",
        "--text-encoder", bert.toString(), "--data", data.toString(), "--epochs", "2", "--batch", "16", "--out",
        run.toString());
    assertEquals(ExitCodes.OK, train.code(), train.toString());
    String log = train.out() + train.err();
    assertTrue(log.contains("computed label_embeddings [14, 32]") && log.contains("metric")
        && log.contains("mean_auroc"), log);

    Cli.Result eval = Cli.run("evaluate", "--model", run.resolve("best.safetensors").toString(), "--data",
        data.toString(), "--split", "test", "--report", dir.resolve("report").toString());
    assertEquals(ExitCodes.OK, eval.code(), eval.toString());
    assertTrue(eval.out().contains("AUROC (mean over labels)") && eval.out().contains("AUROC Pleural_Thickening"),
        eval.out());
    assertTrue(Files.exists(dir.resolve("report/report.html")));

    Path image;
    try (Stream<Path> files = Files.walk(data.resolve("images_001"))) {
      image = files.filter(p -> p.toString().endsWith(".png")).findFirst().orElseThrow();
    }
    Cli.Result predict = Cli.run("predict", "--model", run.resolve("best.safetensors").toString(), "--json",
        image.toString());
    assertEquals(ExitCodes.OK, predict.code(), predict.toString());
    assertTrue(predict.out().contains("Pleural_Thickening") && predict.out().contains("threshold"), predict.out());
  }

  @Test
  void trainingWithoutATextEncoderSaysHowToGetOne() {
    Path data = dir.resolve("cxr");
    assertEquals(ExitCodes.OK, Cli.run("synth", "--kind", "chest-xray", "--count", "40", "--size", "32", "--out",
        data.toString()).code());
    Cli.Result r = Cli.run("train", "--task", "cxr-prototype", "--variant", "atto", "--set", "image_size=32",
        "--data", data.toString(), "--epochs", "1", "--out", dir.resolve("run").toString());
    assertEquals(ExitCodes.RUNTIME_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("--text-encoder") && r.err().contains("synth --kind text-encoder"), r.err());
    assertTrue(!Files.exists(dir.resolve("run")) || isEmpty(dir.resolve("run")), "no run directory is left");
  }

  @Test
  void textEncoderSynthRefusesOptionsThatDoNotApplyAndANonEmptyFolder() throws IOException {
    Cli.Result r = Cli.run("synth", "--kind", "text-encoder", "--count", "5", "--out", dir.resolve("b").toString());
    assertEquals(ExitCodes.USAGE_ERROR, r.code(), r.toString());
    Path out = Files.createDirectories(dir.resolve("busy"));
    Files.writeString(out.resolve("keep.txt"), "x");
    Cli.Result busy = Cli.run("synth", "--kind", "text-encoder", "--out", out.toString());
    assertEquals(ExitCodes.RUNTIME_ERROR, busy.code(), busy.toString());
    assertTrue(busy.err().contains("--force"), busy.err());
  }

  private static boolean isEmpty(Path p) {
    try (Stream<Path> s = Files.list(p)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }
}
