package org.medvision.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.pipeline.ClassProbabilities;
import org.medvision.api.pipeline.Detection;
import org.medvision.api.pipeline.Detections;
import org.medvision.api.pipeline.ExampleResult;
import org.medvision.api.pipeline.GeneratedImage;
import org.medvision.api.pipeline.LabelProbabilities;
import org.medvision.api.pipeline.Prediction;
import org.medvision.api.pipeline.SpatialMap;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

class EnsembleMeanTest {
  private static final List<String> CLASSES = List.of("a", "b", "c");

  private static ExampleResult result(String id, Object... namesAndPredictions) {
    Map<String, Prediction> m = new LinkedHashMap<>();
    for (int i = 0; i < namesAndPredictions.length; i += 2) {
      m.put((String) namesAndPredictions[i], (Prediction) namesAndPredictions[i + 1]);
    }
    return new ExampleResult(id, m);
  }

  private static Tensor grid(float... v) {
    return Tensor.of(Shape.of(1, 2, 2), v);
  }

  @Test
  void everyKindOfValueIsAveragedElementByElementInItsResultsOrder() {
    ExampleResult first = result("x", "logits", new ClassProbabilities(CLASSES, new float[] {0.2f, 0.3f, 0.5f}),
        "labels", new LabelProbabilities(List.of("p", "q"), new float[] {0.9f, 0.1f}, 0.4f),
        "map", new SpatialMap(Tensor.of(Shape.of(2, 2), 0f, 1f, 0.5f, 0.25f), "image"),
        "image", new GeneratedImage(grid(1f, 2f, 3f, 4f), "image"));
    ExampleResult second = result("x", "logits", new ClassProbabilities(CLASSES, new float[] {0.6f, 0.3f, 0.1f}),
        "labels", new LabelProbabilities(List.of("p", "q"), new float[] {0.5f, 0.3f}, 0.4f),
        "map", new SpatialMap(Tensor.of(Shape.of(2, 2), 1f, 1f, 0f, 0.75f), "image"),
        "image", new GeneratedImage(grid(3f, 2f, 1f, 0f), "image"));
    ExampleResult third = result("x", "logits", new ClassProbabilities(CLASSES, new float[] {0.1f, 0.0f, 0.9f}),
        "labels", new LabelProbabilities(List.of("p", "q"), new float[] {0.1f, 0.2f}, 0.4f),
        "map", new SpatialMap(Tensor.of(Shape.of(2, 2), 0.5f, 0f, 1f, 0.5f), "image"),
        "image", new GeneratedImage(grid(2f, 5f, 2f, 2f), "image"));

    ExampleResult mean = EnsembleMean.combine(List.of(List.of(first), List.of(second), List.of(third))).get(0);
    assertEquals("x", mean.id());
    assertEquals(List.of("logits", "labels", "map", "image"), List.copyOf(mean.predictions().keySet()));
    ClassProbabilities c = (ClassProbabilities) mean.predictions().get("logits");
    assertEquals(CLASSES, c.labels());
    assertArrayEquals(new float[] {0.3f, 0.2f, 0.5f}, c.probabilities(), 1e-7f);
    LabelProbabilities l = (LabelProbabilities) mean.predictions().get("labels");
    assertArrayEquals(new float[] {0.5f, 0.2f}, l.probabilities(), 1e-7f);
    assertEquals(0.4f, l.threshold());
    SpatialMap s = (SpatialMap) mean.predictions().get("map");
    assertEquals(Shape.of(2, 2), s.values().shape());
    assertArrayEquals(new float[] {0.5f, 2 / 3f, 0.5f, 0.5f}, s.values().toFloatArray(), 1e-7f);
    assertEquals("image", s.alignedTo());
    GeneratedImage g = (GeneratedImage) mean.predictions().get("image");
    assertEquals(Shape.of(1, 2, 2), g.image().shape());
    assertArrayEquals(new float[] {2f, 3f, 2f, 2f}, g.image().toFloatArray(), 1e-6f);
  }

  @Test
  void aSingleMemberIsItsOwnResult() {
    List<ExampleResult> only = List.of(result("x", "logits", new ClassProbabilities(CLASSES, new float[] {1, 0, 0})));
    assertSame(only, EnsembleMean.combine(List.of(only)));
  }

  @Test
  void membersThatDisagreeOnExamplesResultsOrSizesAreRefused() {
    ExampleResult x = result("x", "logits", new ClassProbabilities(CLASSES, new float[] {1, 0, 0}));
    ExampleResult y = result("y", "logits", new ClassProbabilities(CLASSES, new float[] {1, 0, 0}));
    ExampleResult renamed = result("x", "scores", new ClassProbabilities(CLASSES, new float[] {1, 0, 0}));
    ExampleResult twoClasses = result("x", "logits", new ClassProbabilities(List.of("a", "b"), new float[] {1, 0}));
    assertMessage("disagree on example x result 'logits'", x, y);
    assertMessage("disagree on example x result 'logits'", x, renamed);
    assertMessage("disagree on result 'logits': ClassProbabilities [a, b, c] vs ClassProbabilities [a, b]", x,
        twoClasses);
  }

  @Test
  void detectionsCannotBeAveraged() {
    Detections found = new Detections(List.of(new Detection(new float[] {0, 0, 4, 4}, 0.9f, "bleed", null)),
        "image");
    assertMessage("result 'bleeds' holds detections, which an ensemble cannot average",
        result("x", "bleeds", found), result("x", "bleeds", found));
  }

  private static void assertMessage(String expected, ExampleResult first, ExampleResult second) {
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> EnsembleMean.combine(List.of(List.of(first), List.of(second))));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
