package org.medvision.engine.tensorflow;

import org.junit.jupiter.api.Test;
import org.medvision.testkit.engine.NativeLeakSuite;

/**
 * Running must not grow native memory: every TensorFlow tensor a run creates is closed before it returns.
 *
 * <p>Measured in a child JVM ({@link LeakWorker}) set up by {@link org.medvision.testkit.fixtures.NativeMemory}
 * (fixed pre-touched heap, glibc returning freed memory promptly), so the resident set tracks live native memory. The
 * bound is 16 MiB of growth over {@value LeakWorker#RUNS} runs after warm-up; the leaky mode, which forgets to close
 * 128 KiB of tensors per run, must exceed it, which shows the measurement can see a leak.
 */
class TensorFlowLeakTest extends NativeLeakSuite {
  TensorFlowLeakTest() {
    super(LeakWorker.class);
  }

  @Test
  void twoThousandInferencesKeepNativeMemoryFlat() throws Exception {
    assertStaysFlat("run", LeakWorker.RUNS + " runs");
  }

  @Test
  void theMeasurementDetectsTensorsThatAreNotClosed() throws Exception {
    assertLeakDetected("run-leaky", LeakWorker.LEAKY_RUNS + " runs' tensors");
  }
}
