package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.task.Task;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Safetensors;
import org.medvision.api.weights.Weights;
import org.medvision.io.image.ImagePreprocessor;
import org.medvision.io.image.Images;
import org.medvision.testkit.ReferenceInterpreter;

class PredictCommandTest {
  @TempDir Path dir;

  private String[] args(Path weights, String... rest) {
    List<String> a = new java.util.ArrayList<>(List.of("predict", "--task", "strokenext", "--variant", "atto",
        "--subtask", "3class", "--weights", weights.toString(), "--image-size", String.valueOf(Fixtures.SIZE),
        "--engine", "onnx", "--device", "cpu"));
    a.addAll(List.of(rest));
    return a.toArray(new String[0]);
  }

  /** The probabilities the reference interpreter gives for one image, by a separate softmax. */
  static double[] reference(Task task, Weights weights, Path image) {
    Tensor x = ImagePreprocessor.batch(List.of(
        new ImagePreprocessor(imagePreprocessing(task)).apply(Images.read(image))));
    float[] logits = ReferenceInterpreter.run(task.graph(), weights.fitTo(task.graph()),
        Map.of("image1", x, "image2", x)).get("logits").toFloatArray();
    double[] e = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      e[i] = Math.exp(logits[i]);
      sum += e[i];
    }
    for (int i = 0; i < e.length; i++) {
      e[i] /= sum;
    }
    return e;
  }

  @Test
  void jsonMatchesTheReferenceInterpreterAndCarriesProvenance() throws IOException, NoSuchAlgorithmException {
    Task task = Fixtures.atto("3class");
    Path weights = Fixtures.weights(dir, "w.safetensors", task, 11);
    Path a = Fixtures.png(dir, "a.png", 1);
    Path b = Fixtures.png(dir, "b.png", 4);
    Path c = Fixtures.png(dir, "c.png", 9);
    Cli.Result r = Cli.run(args(weights, "--json", "--batch", "2", a.toString(), b.toString(), c.toString()));
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();

    JsonObject prov = json.getAsJsonObject("provenance");
    assertEquals("strokenext", prov.get("task").getAsString());
    assertEquals("atto", prov.get("variant").getAsString());
    assertEquals("onnx", prov.get("engine").getAsString());
    assertTrue(prov.get("engineVersion").getAsString().startsWith("onnxruntime"));
    assertEquals("cpu", prov.get("device").getAsString());
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(weights)));
    assertEquals(sha, prov.get("weightsSha256").getAsString());

    Weights w = Safetensors.read(weights);
    JsonArray predictions = json.getAsJsonArray("predictions");
    assertEquals(3, predictions.size());
    List<Path> images = List.of(a, b, c);
    List<String> labels = List.of("normal", "ischemic", "hemorrhagic");
    for (int i = 0; i < 3; i++) {
      JsonObject p = predictions.get(i).getAsJsonObject();
      assertEquals(images.get(i).toString(), p.get("input").getAsString());
      double[] expected = reference(task, w, images.get(i));
      JsonObject logits = p.getAsJsonObject("logits");
      JsonObject probs = logits.getAsJsonObject("probabilities");
      int best = 0;
      for (int j = 0; j < 3; j++) {
        // float32 engine vs float32 interpreter through a whole network, then softmax: 1e-4 absolute.
        assertEquals(expected[j], probs.get(labels.get(j)).getAsDouble(), 1e-4, "image " + i + " " + labels.get(j));
        best = expected[j] > expected[best] ? j : best;
      }
      assertEquals(labels.get(best), logits.get("label").getAsString());
    }
  }

  @Test
  void tablePrintsOneRowPerImage() throws IOException {
    Task task = Fixtures.atto("presence");
    Path weights = Fixtures.weights(dir, "w.safetensors", task, 5);
    Path a = Fixtures.png(dir, "a.png", 2);
    Path b = Fixtures.png(dir, "b.png", 3);
    String[] argv = args(weights, a.toString(), b.toString());
    argv[6] = "presence";
    Cli.Result r = Cli.run(argv);
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    List<String> lines = r.out().lines().toList();
    assertEquals(3, lines.size(), r.out());
    assertTrue(lines.get(0).startsWith("input") && lines.get(0).contains("label"), lines.get(0));
    assertTrue(lines.get(1).startsWith(a.toString()) && lines.get(2).startsWith(b.toString()), r.out());
    for (String line : lines.subList(1, 3)) {
      String[] cells = line.trim().split("\\s+");
      double p0 = Double.parseDouble(cells[cells.length - 2]);
      double p1 = Double.parseDouble(cells[cells.length - 1]);
      assertEquals(1.0, p0 + p1, 2e-4, line);
    }
  }

  @Test
  void missingImageFailsBeforeAnyWork() throws IOException {
    Path weights = Fixtures.weights(dir, "w.safetensors", Fixtures.atto("3class"), 1);
    Path missing = dir.resolve("nope.png");
    Cli.Result r = Cli.run(args(weights, Fixtures.png(dir, "a.png", 1).toString(), missing.toString()));
    assertEquals(ExitCodes.RUNTIME_ERROR, r.code(), r.toString());
    assertEquals("medvision: error: input not found: " + missing, r.err().strip());
    assertEquals("", r.out());
  }

  @Test
  void fileThatIsNoImageIsNamed() throws IOException {
    Path weights = Fixtures.weights(dir, "w.safetensors", Fixtures.atto("3class"), 1);
    Path text = dir.resolve("report.png");
    Files.writeString(text, "this is a radiology report, not a picture");
    Cli.Result r = Cli.run(args(weights, text.toString()));
    assertEquals(ExitCodes.RUNTIME_ERROR, r.code(), r.toString());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains(text.toString()) && r.err().contains("not an image"), r.err());
  }

  @Test
  void noImagesOrNoWeightsAreUsageErrors() throws IOException {
    Path weights = Fixtures.weights(dir, "w.safetensors", Fixtures.atto("3class"), 1);
    assertEquals(ExitCodes.USAGE_ERROR, Cli.run(args(weights)).code());
    Cli.Result r = Cli.run("predict", "--task", "strokenext", Fixtures.png(dir, "a.png", 1).toString());
    assertEquals(ExitCodes.USAGE_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("--weights"), r.err());
  }

  /** The preprocessing of the task's image field. */
  static org.medvision.api.task.ImagePreprocessing imagePreprocessing(Task task) {
    return ((org.medvision.api.data.ImageField) task.data().primaryInput()).preprocessing();
  }
}
