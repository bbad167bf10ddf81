package org.medvision.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LossStallWatchTest {
  private static List<String> feed(LossStallWatch watch, double... losses) {
    List<String> warnings = new ArrayList<>();
    for (double l : losses) {
      watch.observe(l, "try this").ifPresent(warnings::add);
    }
    return warnings;
  }

  @Test
  void aFlatLossIsReportedOnceAtTheEndOfTheFirstWindow() {
    double[] flat = new double[30];
    java.util.Arrays.fill(flat, 1.1);
    flat[9] = 1.2;
    List<String> w = feed(new LossStallWatch(10), flat);
    assertEquals(1, w.size(), w.toString());
    assertTrue(w.get(0).startsWith("the training loss has not fallen in 10 batches (mean of the first 2: 1.1000, "
        + "of the last 2: 1.1500); try this"), w.get(0));
  }

  @Test
  void aLossThatFellFivePercentIsNotReportedAndLaterPlateausAreNormal() {
    double[] falling = new double[30];
    for (int i = 0; i < falling.length; i++) {
      falling[i] = i < 10 ? 1.0 - 0.01 * i : 0.5;
    }
    assertEquals(List.of(), feed(new LossStallWatch(10), falling));
    // 4% lower is not enough.
    double[] slight = {1, 1, 1, 1, 1, 1, 1, 1, 0.96, 0.96};
    assertEquals(1, feed(new LossStallWatch(10), slight).size());
  }
}
