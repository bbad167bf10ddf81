package org.medvision.api.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class ImagePreprocessingTest {
  @Test
  void equalityComparesMeansAndDeviationsByContent() {
    ImagePreprocessing a = ImagePreprocessing.imagenet(224);
    ImagePreprocessing b = new ImagePreprocessing(3, 224, 224, new float[] {0.485f, 0.456f, 0.406f},
        new float[] {0.229f, 0.224f, 0.225f});
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, ImagePreprocessing.imagenet(96));
    assertNotEquals(a, new ImagePreprocessing(3, 224, 224, new float[] {0.5f, 0.5f, 0.5f}, b.std()));
  }

  @Test
  void arraysAreCopiedInAndOut() {
    float[] mean = {0.5f};
    ImagePreprocessing p = new ImagePreprocessing(1, 8, 8, mean, new float[] {0.25f});
    mean[0] = 9f;
    p.mean()[0] = 7f;
    assertEquals(0.5f, p.mean()[0]);
  }
}
