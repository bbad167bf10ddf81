package org.medvision.engine.djl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medvision.testkit.fixtures.NativeMemory;

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
class DjlLeakTest {
  private static final long MAX_GROWTH_KIB = 16 * 1024;
  @BeforeAll
  static void linuxOnly() {
    Assumptions.assumeTrue(NativeMemory.measurable(), "needs Linux /proc");
  }

  private static long growthKib(String mode) throws IOException, InterruptedException {
    return NativeMemory.growthKib(LeakWorker.class, mode);
  }

  @Test
  void twoThousandInferencesKeepNativeMemoryFlat() throws Exception {
    long growth = growthKib("run");
    assertTrue(growth < MAX_GROWTH_KIB, "RSS grew by " + growth + " KiB over " + LeakWorker.RUNS
        + " runs; bound " + MAX_GROWTH_KIB + " KiB");
  }

  @Test
  void trainingStepsKeepNativeMemoryFlat() throws Exception {
    long growth = growthKib("train");
    assertTrue(growth < MAX_GROWTH_KIB, "RSS grew by " + growth + " KiB over " + LeakWorker.STEPS
        + " training steps; bound " + MAX_GROWTH_KIB + " KiB");
  }

  @Test
  void theMeasurementDetectsRunsWhoseScopeIsNotClosed() throws Exception {
    long growth = growthKib("run-leaky");
    assertTrue(growth > MAX_GROWTH_KIB, "leaving " + LeakWorker.RUNS + " run scopes open grew RSS by only "
        + growth + " KiB, so the bound could not detect a leak");
  }
}
