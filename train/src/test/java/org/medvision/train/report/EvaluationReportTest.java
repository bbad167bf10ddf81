package org.medvision.train.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;
import org.medvision.train.eval.Comparison;
import org.medvision.train.eval.Evaluation;
import org.medvision.train.eval.ImagePrediction;
import org.medvision.train.eval.PredictionSet;
import org.medvision.train.eval.PredictionsFile;
import org.medvision.train.eval.SummaryMetric;

class EvaluationReportTest {
  /** A class name a user could put in a manifest, with markup that must not reach the page unescaped. */
  private static final String HOSTILE = "<script>alert('x')</script>&co";
  private static final List<String> CLASSES = List.of("normal", "ischemic", HOSTILE);

  @TempDir
  Path dir;

  private static List<ImagePrediction> predictions(int n, long seed, double skill) {
    SplittableRandom r = new SplittableRandom(seed);
    List<ImagePrediction> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int label = i % 3;
      float[] p = new float[3];
      float sum = 0;
      for (int k = 0; k < 3; k++) {
        p[k] = (float) r.nextDouble(0.02, 1) + (k == label && r.nextDouble() < skill ? 2f : 0);
        sum += p[k];
      }
      for (int k = 0; k < 3; k++) {
        p[k] /= sum;
      }
      out.add(ImagePrediction.of(Path.of("/data/brain/img" + i + ".png"), label, p));
    }
    return out;
  }

  private static Provenance provenance() {
    return new Provenance("strokenext", Map.of("variant", "atto", "subtask", "3class", "imageSize", 96),
        "runs/a&b/best.safetensors", "ab12", "onnx", "onnxruntime 1.29.0", "cpu", "/data/brain/manifest.csv",
        "test", 7, "0.1.0-SNAPSHOT", "Debian 17.0.15", "Linux 6.1 amd64", "2026-11-24T22:00:00Z");
  }

  @Test
  void writesEveryFileWithTheMetricsNumbers() throws Exception {
    Evaluation e = Evaluation.of(predictions(150, 1, 0.8), CLASSES, 7);
    Evaluation other = Evaluation.of(predictions(150, 2, 0.6), CLASSES, 7);
    Comparison cmp = Comparison.of(new PredictionSet("this run", CLASSES, e.predictions(), Map.of()),
        new PredictionSet("other <run>", CLASSES, other.predictions(), Map.of()));
    Path out = dir.resolve("report");
    List<Path> files = new EvaluationReport(e, provenance(), cmp).write(out, false);

    assertEquals(7, files.size());
    for (Path f : files) {
      assertTrue(Files.size(f) > 0, f + " is empty");
    }
    // No staging or backup directory is left beside the report.
    try (Stream<Path> siblings = Files.list(dir)) {
      assertEquals(List.of(out), siblings.toList());
    }

    JsonObject json = JsonParser.parseString(Files.readString(out.resolve(EvaluationReport.METRICS)))
        .getAsJsonObject();
    JsonObject metrics = json.getAsJsonObject("metrics");
    assertEquals(e.metrics().accuracy(), metrics.get("accuracy").getAsDouble(), 0);
    assertEquals(e.metrics().macroAuroc(), metrics.get("auroc").getAsDouble(), 0);
    assertEquals(e.metrics().expectedCalibrationError(), metrics.get("ece").getAsDouble(), 0);
    assertEquals(e.metrics().classes().get(1).specificity(),
        metrics.getAsJsonObject("perClass").getAsJsonObject("ischemic").get("specificity").getAsDouble(), 0);
    JsonObject f1 = json.getAsJsonObject("summary").getAsJsonObject("macroF1");
    assertEquals(e.metrics().macro().f1(), f1.get("value").getAsDouble(), 0);
    JsonArray ci = f1.getAsJsonArray("ci95");
    assertEquals(e.interval(SummaryMetric.F1).lower(), ci.get(0).getAsDouble(), 0);
    assertEquals(e.interval(SummaryMetric.F1).upper(), ci.get(1).getAsDouble(), 0);
    assertEquals(1000, json.getAsJsonObject("confidenceIntervals").getAsJsonObject("auroc").get("resamples")
        .getAsInt());
    assertEquals(cmp.test().b(), json.getAsJsonObject("comparison").getAsJsonObject("mcnemar").get("b").getAsLong());
    JsonObject prov = json.getAsJsonObject("provenance");
    assertEquals("ab12", prov.get("weightsSha256").getAsString());
    assertEquals(7, prov.get("seed").getAsLong());

    for (String png : List.of(EvaluationReport.ROC, EvaluationReport.PR, EvaluationReport.RELIABILITY,
        EvaluationReport.CONFUSION)) {
      BufferedImage img = ImageIO.read(out.resolve(png).toFile());
      assertNotNull(img, png + " does not decode");
      assertEquals(Charts.WIDTH, img.getWidth(), png);
      assertEquals(Charts.HEIGHT, img.getHeight(), png);
      assertTrue(distinctColours(img) > 8, png + " looks blank");
    }

    String html = Files.readString(out.resolve(EvaluationReport.HTML), StandardCharsets.UTF_8);
    assertTrue(html.contains(String.format(Locale.ROOT, "%.4f", e.metrics().accuracy())), "accuracy");
    assertTrue(html.contains(String.format(Locale.ROOT, "%.4f", e.metrics().macro().f1())), "macro F1");
    assertTrue(html.contains(String.format(Locale.ROOT, "%.4f", e.interval(SummaryMetric.AUROC).lower())), "CI");
    assertTrue(html.contains("McNemar"), "comparison section");
    assertTrue(html.contains("data:image/png;base64,"), "embedded plots");
    assertFalse(html.contains(HOSTILE) || html.contains("<script") || html.contains("other <run>"),
        "user text reached the page unescaped");
    assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;co"), "escaped class name");
    assertTrue(html.contains("runs/a&amp;b/best.safetensors"), "escaped weights path");
    assertFalse(html.contains("src=\"http") || html.contains("href=\"http"), "the page fetches nothing");

    PredictionSet back = PredictionsFile.read(out.resolve(EvaluationReport.PREDICTIONS));
    assertEquals(150, back.predictions().size());
    assertEquals("ab12", back.model().get("weightsSha256"));
  }

  @Test
  void refusesANonEmptyDirectoryUnlessForced() throws Exception {
    Evaluation e = Evaluation.of(predictions(30, 3, 0.9), CLASSES, 1);
    Path out = dir.resolve("r");
    Files.createDirectories(out);
    Files.writeString(out.resolve("notes.txt"), "keep me");
    MedvisionException ex = assertThrows(MedvisionException.class,
        () -> new EvaluationReport(e, provenance(), null).write(out, false));
    assertTrue(ex.getMessage().contains("not empty") && ex.getMessage().contains("--force"), ex.getMessage());
    assertEquals("keep me", Files.readString(out.resolve("notes.txt")));

    new EvaluationReport(e, provenance(), null).write(out, true);
    assertFalse(Files.exists(out.resolve("notes.txt")), "forced write replaces the directory");
    assertTrue(Files.exists(out.resolve(EvaluationReport.HTML)));
    assertFalse(Files.readString(out.resolve(EvaluationReport.HTML)).contains("McNemar"));
    try (Stream<Path> siblings = Files.list(dir)) {
      assertEquals(List.of(out), siblings.toList());
    }
  }

  @Test
  void writesIntoAnExistingEmptyDirectory() throws Exception {
    Evaluation e = Evaluation.of(predictions(30, 4, 0.9), CLASSES, 1);
    Path out = Files.createDirectories(dir.resolve("empty"));
    new EvaluationReport(e, provenance(), null).write(out, false);
    assertTrue(Files.exists(out.resolve(EvaluationReport.METRICS)));
  }

  private static int distinctColours(BufferedImage img) {
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 3) {
      for (int x = 0; x < img.getWidth(); x += 3) {
        seen.add(img.getRGB(x, y));
      }
    }
    return seen.size();
  }
}
