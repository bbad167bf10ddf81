package org.medvision.engine.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
  private static final Pattern GROWTH = Pattern.compile("growthKiB=(-?\\d+)");

  @BeforeAll
  static void linuxOnly() {
    Assumptions.assumeTrue(Files.isReadable(Paths.get("/proc/self/status")), "needs Linux /proc");
  }

  /** Runs {@code mainClass} in a child JVM on this classpath and returns its output; fails on a non-zero exit. */
  static String runChild(String mainClass, List<String> extraJvmArgs, String... args)
      throws IOException, InterruptedException {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java, "-Xms256m", "-Xmx256m",
        "-XX:+AlwaysPreTouch", "-XX:MaxDirectMemorySize=4g"));
    command.addAll(extraJvmArgs);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("DJL_OFFLINE");
    pb.environment().remove("OPT_OUT_TRACKING");
    pb.environment().put("MALLOC_ARENA_MAX", "1");
    pb.environment().put("MALLOC_MMAP_THRESHOLD_", "65536");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child JVM timed out: " + out);
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  private static long growthKib(String mode) throws IOException, InterruptedException {
    String out = runChild(LeakWorker.class.getName(), List.of(), mode);
    Matcher m = GROWTH.matcher(out);
    assertTrue(m.find(), out);
    System.out.println("leak worker " + mode + ": " + m.group());
    return Long.parseLong(m.group(1));
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
