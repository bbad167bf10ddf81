package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.pipeline.ExampleResult;
import org.medvision.api.pipeline.LabelProbabilities;
import org.medvision.runtime.PredictionInput;
import org.medvision.runtime.StudyPrediction;

/**
 * {@code predict}'s table and {@code --json} for a multi-label output: every label's probability per image and the
 * labels at or above the threshold.
 */
class PredictLabelOutputTest {
  private static final List<String> CXR14 = List.of("Atelectasis", "Cardiomegaly", "Effusion", "Infiltration",
      "Mass", "Nodule", "Pneumonia", "Pneumothorax", "Consolidation", "Edema", "Emphysema", "Fibrosis",
      "Pleural_Thickening", "Hernia");
  private static final float[] WITH_FINDINGS = {0.12f, 0.81f, 0.5f, 0.49999f, 0.03f, 0.2f, 0.07f, 0.66f, 0.3f, 0.01f,
      0.02f, 0.05f, 0.93f, 0f};
  private static final float[] WITHOUT = {0.1f, 0.2f, 0.3f, 0.4f, 0.1f, 0.2f, 0.3f, 0.4f, 0.1f, 0.2f, 0.3f, 0.4f,
      0.1f, 0.2f};

  private static List<StudyPrediction.Outcome> outcomes() {
    List<StudyPrediction.Outcome> out = new ArrayList<>();
    float[][] rows = {WITH_FINDINGS, WITHOUT};
    for (int i = 0; i < rows.length; i++) {
      Path file = Path.of("cxr" + i + ".png");
      out.add(new StudyPrediction.Outcome(new PredictionInput.ImageFile(file, null), new ExampleResult(file.toString(),
          Map.of("findings", new LabelProbabilities(CXR14, rows[i], 0.5f))), List.of()));
    }
    return out;
  }

  @Test
  void theTableShowsEveryProbabilityAndTheLabelsAtOrAboveTheThreshold() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      PredictCommand.table(outcomes(), null).print(out);
    }
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(3, lines.size(), String.join("\n", lines));
    List<String> header = List.of(lines.get(0).split("\\s{2,}"));
    List<String> expected = new ArrayList<>(List.of("input", "labels p >= 0.5"));
    CXR14.forEach(l -> expected.add("p(" + l + ")"));
    assertEquals(expected, header);

    String[] first = lines.get(1).trim().split("\\s+");
    assertEquals(2 + CXR14.size(), first.length, lines.get(1));
    assertEquals("cxr0.png", first[0]);
    assertEquals("Cardiomegaly|Effusion|Pneumothorax|Pleural_Thickening", first[1]);
    for (int k = 0; k < CXR14.size(); k++) {
      assertEquals(String.format(Locale.ROOT, "%.4f", WITH_FINDINGS[k]), first[2 + k], CXR14.get(k));
    }
    String[] second = lines.get(2).trim().split("\\s+");
    assertEquals("(none)", second[1]);
    assertEquals(2 + CXR14.size(), second.length, lines.get(2));
  }

  @Test
  void jsonGivesTheThresholdTheLabelsPresentAndEveryProbability() {
    JsonObject json = JsonParser.parseString(Json.write(PredictCommand.json(Map.of("task", "cxr"), outcomes(), null)))
        .getAsJsonObject();
    JsonArray predictions = json.getAsJsonArray("predictions");
    assertEquals(2, predictions.size());
    JsonObject first = predictions.get(0).getAsJsonObject().getAsJsonObject("findings");
    assertEquals(0.5, first.get("threshold").getAsDouble(), 0);
    List<String> present = new ArrayList<>();
    first.getAsJsonArray("present").forEach(e -> present.add(e.getAsString()));
    assertEquals(List.of("Cardiomegaly", "Effusion", "Pneumothorax", "Pleural_Thickening"), present);
    JsonObject probabilities = first.getAsJsonObject("probabilities");
    assertEquals(CXR14, List.copyOf(probabilities.keySet()));
    for (int k = 0; k < CXR14.size(); k++) {
      assertEquals(WITH_FINDINGS[k], probabilities.get(CXR14.get(k)).getAsFloat(), CXR14.get(k));
    }
    JsonObject second = predictions.get(1).getAsJsonObject().getAsJsonObject("findings");
    assertEquals(0, second.getAsJsonArray("present").size());
    assertEquals("cxr1.png", predictions.get(1).getAsJsonObject().get("input").getAsString());
  }
}
