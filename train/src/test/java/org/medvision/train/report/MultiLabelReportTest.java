package org.medvision.train.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.data.Example;
import org.medvision.api.metrics.ConfidenceInterval;
import org.medvision.api.metrics.MetricResult;
import org.medvision.api.metrics.MultiLabelSuite;
import org.medvision.api.metrics.ReportFigure;
import org.medvision.api.metrics.ReportTable;
import org.medvision.api.pipeline.ExampleResult;
import org.medvision.api.pipeline.LabelProbabilities;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/**
 * A multi-label evaluation (no classification view) is written with every part its suite makes: the scalars with
 * intervals, the per-label and co-occurrence tables with their notes, and the ROC figures, in report.html and
 * metrics.json.
 */
class MultiLabelReportTest {
  /** ChestX-ray14's findings, one renamed so that markup in a label must be escaped. */
  private static final List<String> LABELS = List.of("Atelectasis", "Cardiomegaly", "Effusion", "Infiltration",
      "Mass", "Nodule", "Pneumonia", "Pneumothorax", "Consolidation", "Edema", "Emphysema", "Fibrosis",
      "Pleural <b>Thickening</b>", "Hernia");

  @TempDir Path dir;

  /** 200 examples; Hernia is never present, so it must be left out of the mean and named. */
  private static MetricResult multiLabelResult() {
    MultiLabelSuite suite = new MultiLabelSuite("findings", "labels", LABELS);
    SplittableRandom r = new SplittableRandom(9);
    int k = LABELS.size();
    for (int i = 0; i < 200; i++) {
      float[] y = new float[k];
      float[] p = new float[k];
      for (int j = 0; j < k; j++) {
        y[j] = j < k - 1 && r.nextDouble() < 0.1 + 0.02 * j ? 1 : 0;
        p[j] = (float) (0.7 * r.nextDouble() + 0.3 * y[j]);
      }
      suite.add(new Example("img" + i, null, "manifest.csv line " + (i + 2),
          Map.of("labels", Tensor.of(Shape.of(k), y)), Map.of()),
          new ExampleResult("img" + i, Map.of("findings", new LabelProbabilities(LABELS, p, 0.5f))));
    }
    return suite.result(7, 300);
  }

  private static Provenance provenance() {
    return new Provenance("cxr-prototype", Map.of("variant", "tiny"), "runs/cxr/best.safetensors", "cd34", "onnx",
        "onnxruntime 1.29.0", "cpu", "/data/cxr/manifest.csv", "test", 7, "0.1.0-SNAPSHOT", "Debian 17.0.15",
        "Linux 6.1 amd64", "2026-11-24T22:00:00Z");
  }

  @Test
  void reportShowsTheTablesFiguresAndIntervalsOfTheSuite() throws Exception {
    MetricResult result = multiLabelResult();
    EvaluationReport report = new EvaluationReport(List.of(new EvaluationReport.Entry("best", null,
        List.of(result))), provenance(), null);
    Path out = dir.resolve("report");
    List<Path> files = report.write(out, false);

    List<String> figures = new ArrayList<>();
    result.figures().forEach(f -> figures.add(f.file()));
    assertEquals(List.of("multilabel-roc-1.png", "multilabel-roc-2.png", "multilabel-roc-3.png"), figures);
    List<String> names = new ArrayList<>();
    files.forEach(f -> names.add(f.getFileName().toString()));
    List<String> expected = new ArrayList<>(List.of(EvaluationReport.HTML, EvaluationReport.METRICS));
    expected.addAll(figures);
    assertEquals(expected, names, "no predictions.json without class predictions");
    for (String png : figures) {
      BufferedImage img = ImageIO.read(out.resolve(png).toFile());
      assertNotNull(img, png + " does not decode");
      assertEquals(Charts.WIDTH, img.getWidth(), png);
      assertTrue(distinctColours(img) > 8, png + " looks blank");
    }

    String html = Files.readString(out.resolve(EvaluationReport.HTML), StandardCharsets.UTF_8);
    ConfidenceInterval mean = result.intervals().get("mean_auroc");
    assertTrue(html.contains("<h2>Multilabel</h2>"), "the suite's section");
    assertTrue(html.contains(String.format(Locale.ROOT, "%.4f", result.scalar("mean_auroc"))), "mean AUROC");
    assertTrue(html.contains(String.format(Locale.ROOT, "%.4f", mean.lower())), "its interval");
    assertTrue(html.contains("<h3>Per label</h3>") && html.contains("<h3>Label co-occurrence (truth)</h3>"), "tables");
    ReportTable perLabel = result.tables().get(0);
    assertEquals(LABELS.size() + 1, perLabel.rows().size());
    assertTrue(html.contains("<td>mean (13 of 14 labels)</td>"), "the mean row");
    assertTrue(html.contains("Left out of the mean AUROC, their truth having one class: Hernia (present in no "
        + "example)."), "the excluded label is named");
    for (ReportFigure f : result.figures()) {
      assertTrue(html.contains("<figcaption class=\"muted\">" + f.title() + ": " + f.file()), f.file());
    }
    assertFalse(html.contains("<b>Thickening"), "a label reached the page unescaped");
    assertTrue(html.contains("Pleural &lt;b&gt;Thickening&lt;/b&gt;"), "the escaped label");

    JsonObject json = JsonParser.parseString(Files.readString(out.resolve(EvaluationReport.METRICS)))
        .getAsJsonObject();
    assertFalse(json.has("summary"), "no classification summary");
    JsonObject suite = json.getAsJsonObject("suites").getAsJsonObject("multilabel");
    JsonObject meanJson = suite.getAsJsonObject("mean_auroc");
    assertEquals(result.scalar("mean_auroc"), meanJson.get("value").getAsDouble(), 0);
    assertEquals(mean.lower(), meanJson.getAsJsonArray("ci95").get(0).getAsDouble(), 0);
    assertEquals(300, meanJson.getAsJsonObject("interval").get("resamples").getAsInt());
    assertTrue(suite.getAsJsonObject("auroc_hernia").get("value").isJsonNull(), "an undefined AUROC is null");
    JsonObject table = suite.getAsJsonObject("table Per label");
    assertEquals(LABELS.size() + 1, table.getAsJsonArray("rows").size());
    assertEquals(perLabel.note(), table.get("note").getAsString());
    JsonObject pairs = suite.getAsJsonObject("table Label co-occurrence (truth)");
    assertEquals(LABELS.size(), pairs.getAsJsonArray("header").size(), "label column and the 13 present labels");
    Set<String> jsonFigures = new HashSet<>();
    for (var f : suite.getAsJsonArray("figures")) {
      jsonFigures.add(f.getAsJsonObject().get("file").getAsString());
    }
    assertEquals(Set.copyOf(figures), jsonFigures);
    JsonObject details = suite.getAsJsonObject("details");
    assertEquals(0.5, details.get("threshold").getAsDouble(), 0);
    JsonArray excluded = details.getAsJsonObject("macro").getAsJsonArray("aurocExcluded");
    assertEquals(1, excluded.size());
    assertEquals("Hernia", excluded.get(0).getAsString());
    assertTrue(details.getAsJsonObject("operatingPoints").getAsJsonObject("Hernia").get("bestF1").isJsonNull());
    assertEquals(result.scalar("macro_f1"), suite.getAsJsonObject("macro_f1").get("value").getAsDouble(), 0);
  }

  private static int distinctColours(BufferedImage img) {
    Set<Integer> seen = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 3) {
      for (int x = 0; x < img.getWidth(); x += 3) {
        seen.add(img.getRGB(x, y));
      }
    }
    return seen.size();
  }
}
