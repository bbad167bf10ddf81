package org.medvision.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Peak memory of this process: resident set (Linux {@code VmHWM}, which includes native engine memory) and the Java
 * heap (sum of the heap pools' peaks).
 */
final class ProcessMemory {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

  private ProcessMemory() {}

  /** Peak resident set size in bytes, or -1 where {@code /proc} is not available. */
  static long peakRssBytes() {
    try {
      List<String> lines = Files.readAllLines(STATUS);
      for (String l : lines) {
        if (l.startsWith("VmHWM:")) {
          String[] parts = l.substring(6).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /**
   * Resets the peak resident set to the current one (Linux: writing 5 to {@code clear_refs}) and the heap pools'
   * peaks, so the next reading covers only what follows.
   *
   * @return whether the resident-set peak could be reset
   */
  static boolean resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
    try {
      Files.writeString(CLEAR_REFS, "5");
      return true;
    } catch (IOException | SecurityException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** Sum of the heap pools' peak usage in bytes since the last reset. */
  static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
