package org.medvision.train.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;

class PredictionsFileTest {
  private static final List<String> CLASSES = List.of("normal", "ischemic", "hemorrhagic");

  @TempDir
  Path dir;

  @Test
  void roundTripsEveryField() throws Exception {
    List<ImagePrediction> preds = EvaluationTest.noisy(12, 3).stream()
        .map(p -> new ImagePrediction(p.path(), p.label(), p.probabilities(), p.predicted())).toList();
    PredictionSet set = new PredictionSet("run", CLASSES, preds, Map.of("task", "strokenext"));
    Path file = dir.resolve("predictions.json");
    Files.writeString(file, PredictionsFile.toJson(set));
    PredictionSet back = PredictionsFile.read(file);
    assertEquals(file.toString(), back.name());
    assertEquals(CLASSES, back.classes());
    assertEquals("strokenext", back.model().get("task"));
    assertEquals(12, back.predictions().size());
    for (int i = 0; i < 12; i++) {
      ImagePrediction a = preds.get(i);
      ImagePrediction b = back.predictions().get(i);
      assertEquals(a.path(), b.path());
      assertEquals(a.label(), b.label());
      assertEquals(a.predicted(), b.predicted());
      assertArrayEquals(a.probabilities(), b.probabilities(), 0f, "float values survive JSON exactly");
    }
  }

  @Test
  void namesTheEntryThatIsWrong() throws Exception {
    Path file = dir.resolve("p.json");
    Files.writeString(file, "{\"format\":\"medvision-predictions\",\"version\":1,\"classes\":[\"a\",\"b\"],"
        + "\"predictions\":[{\"path\":\"/x.png\",\"label\":\"a\",\"predicted\":\"a\",\"probabilities\":"
        + "{\"a\":0.6,\"b\":0.4}},{\"path\":\"/y.png\",\"label\":\"z\",\"predicted\":\"a\",\"probabilities\":"
        + "{\"a\":0.6,\"b\":0.4}}]}");
    MedvisionException e = assertThrows(MedvisionException.class, () -> PredictionsFile.read(file));
    assertTrue(e.getMessage().contains("predictions[1].label") && e.getMessage().contains("'z'"), e.getMessage());

    Files.writeString(file, "{\"format\":\"something-else\"}");
    e = assertThrows(MedvisionException.class, () -> PredictionsFile.read(file));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("medvision-predictions"),
        e.getMessage());

    Files.writeString(file, "{not json");
    e = assertThrows(MedvisionException.class, () -> PredictionsFile.read(file));
    assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());

    e = assertThrows(MedvisionException.class, () -> PredictionsFile.read(dir.resolve("missing.json")));
    assertTrue(e.getMessage().contains("not found"), e.getMessage());
  }

  @Test
  void rejectsAnImageListedTwice() throws Exception {
    Path file = dir.resolve("p.json");
    String row = "{\"path\":\"/x.png\",\"label\":\"a\",\"predicted\":\"b\",\"probabilities\":{\"a\":0.4,\"b\":0.6}}";
    Files.writeString(file, "{\"format\":\"medvision-predictions\",\"version\":1,\"classes\":[\"a\",\"b\"],"
        + "\"predictions\":[" + row + "," + row + "]}");
    MedvisionException e = assertThrows(MedvisionException.class, () -> PredictionsFile.read(file));
    assertTrue(e.getMessage().contains("/x.png appears twice"), e.getMessage());
  }
}
