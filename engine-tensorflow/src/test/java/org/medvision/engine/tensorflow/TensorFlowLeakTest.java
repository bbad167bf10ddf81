package org.medvision.engine.tensorflow;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medvision.testkit.fixtures.NativeMemory;

/**
 * Running must not grow native memory: every TensorFlow tensor a run creates is closed before it returns.
 *
 * <p>Measured in a child JVM ({@link LeakWorker}) set up by {@link NativeMemory} (fixed pre-touched heap, glibc
 * returning freed memory promptly), so the resident set tracks live native memory. The bound is 16 MiB of growth
 * over {@value LeakWorker#RUNS} runs after warm-up; the leaky mode, which forgets to close 128 KiB of tensors per
 * run, must exceed it, which shows the measurement can see a leak.
 */
class TensorFlowLeakTest {
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
  void theMeasurementDetectsTensorsThatAreNotClosed() throws Exception {
    long growth = growthKib("run-leaky");
    assertTrue(growth > MAX_GROWTH_KIB, "leaving " + LeakWorker.LEAKY_RUNS + " runs' tensors open grew RSS by only "
        + growth + " KiB, so the bound could not detect a leak");
  }
}
