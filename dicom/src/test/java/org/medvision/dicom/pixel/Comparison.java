package org.medvision.dicom.pixel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

/** Sample-by-sample comparison of decoded frames with a stated tolerance. */
final class Comparison {
  private Comparison() {}

  /** The largest absolute difference over all frames; fails when frame counts or lengths differ. */
  static long maxAbsDiff(List<int[]> actual, List<int[]> expected, String what) {
    assertEquals(expected.size(), actual.size(), what + ": frame count");
    long max = 0;
    for (int f = 0; f < expected.size(); f++) {
      assertEquals(expected.get(f).length, actual.get(f).length, what + ": samples in frame " + (f + 1));
      for (int i = 0; i < expected.get(f).length; i++) {
        max = Math.max(max, Math.abs((long) actual.get(f)[i] - expected.get(f)[i]));
      }
    }
    return max;
  }

  /** Asserts that every sample of every frame is within {@code tolerance}. */
  static void assertWithin(List<int[]> actual, List<int[]> expected, long tolerance, String what) {
    long diff = maxAbsDiff(actual, expected, what);
    assertTrue(diff <= tolerance, what + ": max abs difference " + diff + " exceeds " + tolerance);
  }
}
