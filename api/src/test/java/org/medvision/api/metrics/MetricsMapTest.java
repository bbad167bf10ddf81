package org.medvision.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsMapTest {
  // Plain Gson refuses NaN and infinities, so serializing at all proves none are left in the view.
  private static final Gson GSON = new GsonBuilder().serializeNulls().create();

  @Test
  void threeClassViewSerializesAndRoundTripsTheNumbers() {
    ClassificationMetrics m = Examples.threeClass();
    JsonObject json = GSON.toJsonTree(m.toMap()).getAsJsonObject();
    assertEquals(m.accuracy(), json.get("accuracy").getAsDouble(), 0);
    assertEquals(m.matthewsCorrelation(), json.get("mcc").getAsDouble(), 0);
    assertEquals(m.macroAuroc(), json.getAsJsonObject("macro").get("auroc").getAsDouble(), 0);
    JsonObject c = json.getAsJsonObject("perClass").getAsJsonObject("C");
    assertEquals(2, c.get("support").getAsLong());
    assertEquals(m.classes().get(2).auprc(), c.get("auprc").getAsDouble(), 0);
    JsonArray counts = json.getAsJsonObject("confusionMatrix").getAsJsonArray("counts");
    assertEquals("[[2,1,0],[0,2,1],[1,0,1]]", counts.toString());
    JsonArray bins = json.getAsJsonObject("calibration").getAsJsonArray("reliability");
    assertEquals(15, bins.size());
    assertTrue(bins.get(0).getAsJsonObject().get("accuracy").isJsonNull());
    JsonObject roc = json.getAsJsonObject("curves").getAsJsonObject("A").getAsJsonObject("roc");
    assertTrue(roc.getAsJsonArray("thresholds").get(0).isJsonNull(), "+infinity threshold as null");
    assertFalse(json.has("binary"));
  }

  @Test
  void undefinedValuesBecomeNull() {
    int[] labels = {0, 0, 1};
    float[][] p = {{0.6f, 0.3f, 0.1f}, {0.3f, 0.6f, 0.1f}, {0.2f, 0.7f, 0.1f}};
    Map<String, Object> view = ClassificationMetrics.compute(labels, p, Examples.ABC).toMap();
    JsonObject c = GSON.toJsonTree(view).getAsJsonObject().getAsJsonObject("perClass").getAsJsonObject("C");
    assertTrue(c.get("auroc").isJsonNull());
    assertTrue(c.get("auprc").isJsonNull());
    JsonObject curves = GSON.toJsonTree(view).getAsJsonObject().getAsJsonObject("curves").getAsJsonObject("C");
    assertEquals(0, curves.getAsJsonObject("roc").getAsJsonArray("fpr").size());
  }

  @Test
  void binaryViewNamesThePositiveClass() {
    ClassificationMetrics m = Examples.binary();
    JsonObject binary = GSON.toJsonTree(m.toMap()).getAsJsonObject().getAsJsonObject("binary");
    assertEquals("positive", binary.get("positiveClass").getAsString());
    assertEquals(m.auroc(), binary.get("auroc").getAsDouble(), 0);
    assertEquals(m.binaryBrierScore(), binary.get("brierScore").getAsDouble(), 0);
  }

  @Test
  void intervalViewRendersUndefinedBoundsAsNull() {
    ConfidenceInterval ci = new ConfidenceInterval(0.5, Double.NaN, Double.NaN, 0.95, 10, 10, 7L);
    Map<String, Object> view = ci.toMap();
    assertNull(view.get("lower"));
    assertEquals(7L, view.get("seed"));
    assertEquals(List.of("estimate", "lower", "upper", "level", "resamples", "undefinedResamples", "seed", "method"),
        List.copyOf(view.keySet()));
    GSON.toJson(view);
  }
}
