package org.medvision.testkit.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.medvision.testkit.fixtures.NativeMemory;

/**
 * The base of every engine's native-memory leak test: each mode of the engine's worker class runs in a child JVM set
 * up by {@link NativeMemory}, and its growth after warm-up is held to one bound, {@value #MAX_GROWTH_KIB} KiB. A
 * leaky mode, which leaves open what the engine would close, must exceed that bound, which shows the measurement
 * can see a leak. An engine module subclasses it with its worker and one test per mode:
 *
 * <pre>{@code
 * class OnnxLeakTest extends NativeLeakSuite {
 *   OnnxLeakTest() { super(LeakWorker.class); }
 *   @Test void runsReleaseTheirTensors() throws Exception { assertStaysFlat("run", "500 runs"); }
 *   @Test void leaksAreSeen() throws Exception { assertLeakDetected("compile-leaky", "500 sessions"); }
 * }
 * }</pre>
 *
 * <p>The worker's {@code main(String[])} takes the mode as its only argument, measures with
 * {@link NativeMemory#loopGrowthKib} and prints {@link NativeMemory#reportGrowth}. Tests skip where the resident set
 * cannot be read (not Linux).
 */
public abstract class NativeLeakSuite {
  /** Growth allowed after warm-up, in KiB: 16 MiB, far above allocator noise and far below what a leak adds. */
  public static final long MAX_GROWTH_KIB = 16 * 1024;

  private final Class<?> worker;

  /** A suite whose modes run {@code worker}'s {@code main} in a child JVM. */
  protected NativeLeakSuite(Class<?> worker) {
    this.worker = worker;
  }

  /** Skips every test of the class where the resident set cannot be read. */
  @BeforeAll
  protected static void linuxOnly() {
    Assumptions.assumeTrue(NativeMemory.measurable(), "needs Linux /proc");
  }

  /**
   * Runs {@code mode} and fails if the resident set grew by {@value #MAX_GROWTH_KIB} KiB or more.
   *
   * @param measured what the measured loop did, for the message, e.g. {@code "2000 runs"}
   */
  protected final void assertStaysFlat(String mode, String measured) throws IOException, InterruptedException {
    long growth = NativeMemory.growthKib(worker, mode);
    assertTrue(growth < MAX_GROWTH_KIB, "RSS grew by " + growth + " KiB over " + measured + "; bound "
        + MAX_GROWTH_KIB + " KiB");
  }

  /**
   * Runs leaky {@code mode} and fails unless the resident set grew past the bound.
   *
   * @param leftOpen what the leaky loop left open, for the message, e.g. {@code "500 sessions"}
   */
  protected final void assertLeakDetected(String mode, String leftOpen) throws IOException, InterruptedException {
    long growth = NativeMemory.growthKib(worker, mode);
    assertTrue(growth > MAX_GROWTH_KIB, "leaving " + leftOpen + " open grew RSS by only " + growth
        + " KiB, so the bound could not detect a leak");
  }
}
