package org.medvision.train.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

class ComparisonTest {
  private static final List<String> CLASSES = List.of("a", "b");

  private static ImagePrediction hard(String path, int label, int predicted) {
    float[] p = predicted == 0 ? new float[] {0.9f, 0.1f} : new float[] {0.2f, 0.8f};
    return ImagePrediction.of(Path.of(path), label, p);
  }

  @Test
  void countsDiscordantImagesMatchedByPathWhateverTheOrder() {
    // 10 images, all label 0. A right on 0..7; B right on 0..4 and 8..9.
    // b (A right, B wrong) = images 5, 6, 7 -> 3; c (A wrong, B right) = images 8, 9 -> 2.
    List<ImagePrediction> a = new ArrayList<>();
    List<ImagePrediction> b = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      a.add(hard("/d/" + i + ".png", 0, i < 8 ? 0 : 1));
      b.add(hard("/d/" + i + ".png", 0, i < 5 || i >= 8 ? 0 : 1));
    }
    Collections.reverse(b);
    Comparison c = Comparison.of(new PredictionSet("A", CLASSES, a, Map.of()),
        new PredictionSet("B", CLASSES, b, Map.of()));
    assertEquals(3, c.test().b());
    assertEquals(2, c.test().c());
    assertEquals(0.8, c.accuracyA(), 1e-12);
    assertEquals(0.7, c.accuracyB(), 1e-12);
    // Exact two-sided binomial p for min(b, c) = 2 of 5: 2 * (1 + 5 + 10) / 32 = 1.
    assertEquals(1.0, c.test().exactPValue(), 1e-12);
  }

  @Test
  void listsImagesInOnlyOneSet() {
    List<ImagePrediction> a = List.of(hard("/d/1.png", 0, 0), hard("/d/2.png", 1, 1));
    List<ImagePrediction> b = List.of(hard("/d/1.png", 0, 0), hard("/d/3.png", 1, 1));
    MedvisionException e = assertThrows(MedvisionException.class, () -> Comparison.of(
        new PredictionSet("A", CLASSES, a, Map.of()), new PredictionSet("B", CLASSES, b, Map.of())));
    assertTrue(e.getMessage().contains("only in the first: 1 (/d/2.png)")
        && e.getMessage().contains("only in the second: 1 (/d/3.png)"), e.getMessage());
  }

  @Test
  void refusesDifferentTruth() {
    List<ImagePrediction> a = List.of(hard("/d/1.png", 0, 0));
    List<ImagePrediction> b = List.of(hard("/d/1.png", 1, 0));
    MedvisionException e = assertThrows(MedvisionException.class, () -> Comparison.of(
        new PredictionSet("A", CLASSES, a, Map.of()), new PredictionSet("B", CLASSES, b, Map.of())));
    assertTrue(e.getMessage().contains("different true labels") && e.getMessage().contains("/d/1.png (a vs b)"),
        e.getMessage());
  }
}
