package org.medvision.engine.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.medvision.testkit.engine.ConcurrencyHarness;
import org.medvision.testkit.fixtures.NativeMemory;

/**
 * One compiled model shared by many caller threads ({@link ConcurrencyHarness}, 16 threads x 500 predictions by
 * default) gives bit for bit the single-thread outputs, throws nothing, and keeps the resident set flat: under
 * {@value #MAX_GROWTH_KIB} KiB growth over the measured round, the bound of the engine's leak test.
 */
class DjlConcurrencyTest {
  private static final long MAX_GROWTH_KIB = 16 * 1024;

  @Test
  void manyThreadsOnOneCompiledModelMatchOneThread() throws Exception {
    Assumptions.assumeTrue(NativeMemory.measurable(), "needs Linux /proc");
    ConcurrencyHarness.Report r = ConcurrencyHarness.inChildJvm(DjlEngineProvider.class, ConcurrencyHarness.threads(),
        ConcurrencyHarness.predictions());
    assertEquals(0, r.failures(), r.firstProblem());
    assertEquals(0, r.mismatches(), r.firstProblem());
    assertTrue(r.growthKib() < MAX_GROWTH_KIB, "RSS grew by " + r.growthKib() + " KiB: " + r.summary());
  }
}
