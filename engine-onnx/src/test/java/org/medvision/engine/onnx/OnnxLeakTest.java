package org.medvision.engine.onnx;

import org.junit.jupiter.api.Test;
import org.medvision.testkit.engine.NativeLeakSuite;

/**
 * Compiling, running and closing must not grow native memory: every session, ORT tensor and result is released.
 *
 * <p>Measured in a child JVM ({@link LeakWorker}) with a fixed, pre-touched 256 MiB heap and glibc told to return
 * freed memory promptly: in the test JVM itself G1 resizes its young generation and malloc arenas keep freed blocks,
 * which moves the resident set by tens of MiB with no leak at all. Observed in the child on this machine: under
 * 1 MiB growth for 500 runs, 1-3 MiB for 500 compile/run/close cycles, and about 73 MiB when the 500 sessions are
 * left open (the leaky mode, which checks that the measurement can see a leak). The bound is 16 MiB; an unreleased
 * 128 KiB output per run would add 62 MiB.
 */
class OnnxLeakTest extends NativeLeakSuite {
  OnnxLeakTest() {
    super(LeakWorker.class);
  }

  @Test
  void compileRunCloseCyclesDoNotGrowNativeMemory() throws Exception {
    assertStaysFlat("compile", LeakWorker.CYCLES + " compile/run/close cycles");
  }

  @Test
  void repeatedRunsReleaseTheirInputAndOutputTensors() throws Exception {
    assertStaysFlat("run", LeakWorker.CYCLES + " runs");
  }

  @Test
  void theMeasurementDetectsSessionsThatAreNotClosed() throws Exception {
    assertLeakDetected("compile-leaky", LeakWorker.CYCLES + " sessions");
  }
}
