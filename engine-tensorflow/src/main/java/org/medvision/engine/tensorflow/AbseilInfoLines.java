package org.medvision.engine.tensorflow;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Keeps Abseil's informational lines off stderr while an action runs. TensorFlow 2.18 logs some messages through
 * Abseil ("I0000 00:00:1700000000.123456 12345 mlir_graph_optimization_pass.cc:401] MLIR V1 optimization pass is not
 * enabled" on the first session run in the process), which ignores {@code TF_CPP_MIN_LOG_LEVEL}, writes to stderr until
 * the application calls {@code absl::InitializeLog}, and whose level setter the shipped library does not export. So
 * the process's file descriptor 2 is pointed at a temporary file for the action, then restored, and everything the
 * file caught is written back except those lines: Java's own stderr output and native warnings are delayed, never
 * lost. The message is logged once per process, so one quiet first run is enough.
 */
final class AbseilInfoLines {
  /**
   * An Abseil line of severity INFO: {@code I}, month and day, time (before {@code InitializeLog}, "00:00:" and the
   * Unix time), thread id, {@code file:line]}.
   */
  private static final Pattern INFO = Pattern.compile("I\\d{4} [\\d:.]+ +\\d+ \\S+:\\d+\\] .*");
  private static final String BEFORE_INIT = "WARNING: All log messages before absl::InitializeLog() is called are "
      + "written to STDERR";
  private static final int STDERR = 2;
  private static final int O_WRONLY_CREAT_TRUNC = 01 | 0100 | 01000;

  /** The C library calls used; Linux x86-64 flag values. */
  private interface CLibrary extends Library {
    int open(String path, int flags, int mode);

    int dup(int fd);

    int dup2(int from, int to);

    int close(int fd);

    int fflush(com.sun.jna.Pointer stream);
  }

  private AbseilInfoLines() {}

  /** Runs {@code action}; Abseil INFO lines it writes to stderr are dropped. Runs it plainly where that fails. */
  static void drop(Runnable action) {
    CLibrary c;
    Path capture;
    int saved;
    try {
      c = Native.load("c", CLibrary.class);
      capture = Files.createTempFile("medvision-tf-stderr", ".txt");
    } catch (IOException | RuntimeException | LinkageError e) {
      action.run();
      return;
    }
    try {
      int fd = c.open(capture.toString(), O_WRONLY_CREAT_TRUNC, 0600);
      saved = fd < 0 ? -1 : c.dup(STDERR);
      if (saved < 0 || c.dup2(fd, STDERR) < 0) {
        if (fd >= 0) {
          c.close(fd);
        }
        if (saved >= 0) {
          c.close(saved);
        }
        action.run();
        return;
      }
      c.close(fd);
      try {
        System.err.flush();
        action.run();
      } finally {
        System.err.flush();
        // Abseil writes through C's stderr stream, which may hold the line in its buffer until flushed.
        c.fflush(null);
        c.dup2(saved, STDERR);
        c.close(saved);
        replay(capture, System.err);
      }
    } finally {
      try {
        Files.deleteIfExists(capture);
      } catch (IOException e) {
        // A leftover temporary file is harmless.
      }
    }
  }

  private static void replay(Path capture, PrintStream err) {
    try {
      for (String line : Files.readAllLines(capture, StandardCharsets.UTF_8)) {
        if (!INFO.matcher(line).matches() && !line.equals(BEFORE_INIT)) {
          err.println(line);
        }
      }
    } catch (IOException e) {
      err.println("(native stderr output captured during TensorFlow's first run could not be read back: "
          + e.getMessage() + ")");
    }
  }
}
