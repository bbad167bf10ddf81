package org.medvision.cli;

/**
 * The resident-set high-water mark of one engine's whole phase, kept across the resets each measurement inside the
 * phase makes for its own peak.
 *
 * <p>Every reading is kept, because Linux's {@code VmHWM} is not quite monotonic: it is the larger of the recorded
 * mark and the current resident set, and memory released without unmapping it (the allocator's or the JVM's
 * {@code madvise}) leaves the recorded mark behind. A later reading can then be lower than an earlier one.
 */
final class PhaseMemory {
  private final boolean reset;
  private long peak = -1;

  /** Starts a phase: resets the process's peaks, where permitted. */
  PhaseMemory() {
    reset = ProcessMemory.resetPeaks();
  }

  /** Starts a measurement inside the phase: keeps the phase's peak so far, then resets the process's peaks. */
  void startMeasurement() {
    read();
    ProcessMemory.resetPeaks();
  }

  /** The process's peak resident set since the last reset in bytes (-1 where unknown), kept for the phase. */
  long read() {
    long now = ProcessMemory.peakRssBytes();
    peak = Math.max(peak, now);
    return now;
  }

  /** The phase's peak resident set so far in bytes, or -1 where unknown. */
  long peak() {
    read();
    return peak;
  }

  /** Whether the peak could be reset when the phase began (else it counts from process start). */
  boolean wasReset() {
    return reset;
  }
}
