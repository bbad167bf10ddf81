package org.medvision.engine.djl;

import org.junit.jupiter.api.Test;
import org.medvision.testkit.engine.NativeLeakSuite;

/**
 * Running and training must not grow native memory: every NDArray a run or step creates is freed with its scope.
 *
 * <p>Measured in a child JVM ({@link LeakWorker}) with a fixed, pre-touched 256 MiB heap and glibc told to return
 * freed memory promptly (one arena, mmap above 64 KiB), so the resident set tracks live native memory. The bound is
 * 16 MiB of growth after warm-up. Observed on this machine: -0.3 to 6 MiB over {@value LeakWorker#RUNS} runs (allocator
 * and JIT warm-up that levels off; a 16,000-run probe stayed flat from run 8,000 on), under 1 MiB over
 * {@value LeakWorker#STEPS} training steps, and about 1.2 MiB per run (over 200 MiB) when run scopes are left open,
 * the leaky mode that shows the measurement can see a leak.
 */
class DjlLeakTest extends NativeLeakSuite {
  DjlLeakTest() {
    super(LeakWorker.class);
  }

  @Test
  void twoThousandInferencesKeepNativeMemoryFlat() throws Exception {
    assertStaysFlat("run", LeakWorker.RUNS + " runs");
  }

  @Test
  void trainingStepsKeepNativeMemoryFlat() throws Exception {
    assertStaysFlat("train", LeakWorker.STEPS + " training steps");
  }

  @Test
  void theMeasurementDetectsRunsWhoseScopeIsNotClosed() throws Exception {
    assertLeakDetected("run-leaky", LeakWorker.LEAKY_RUNS + " run scopes");
  }
}
