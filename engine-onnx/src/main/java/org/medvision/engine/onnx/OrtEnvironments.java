package org.medvision.engine.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The process-wide ONNX Runtime environment, obtained with ONNX Runtime's telemetry off.
 *
 * <p>Since 1.29 the Linux and macOS builds from Maven Central carry Microsoft's 1DS telemetry client. When the
 * environment is created it writes a device id and an SQLite event queue under {@code
 * ~/.cache/Microsoft/DeveloperTools/.onnxruntime/} ({@code $XDG_CACHE_HOME} when set), opens an empty {@code
 * mat-debug-<pid>.log} in the temp folder, queues a {@code ProcessInfo} event and one event per session, and uploads
 * them to {@code mobile.events.data.microsoft.com}. The Java API's {@code OrtEnvironment.setTelemetry(false)} (the
 * C API's {@code DisableTelemetryEvents}) only stops the per-session events: the client, its files and the {@code
 * ProcessInfo} event stay. The one full opt-out is the
 * environment variable {@code ORT_DISABLE_TELEMETRY=1}, read once, when the native environment is created; then no
 * client, file or event exists. A JVM cannot change its own environment from Java, so we call the C library's
 * {@code setenv} through JNA before ONNX Runtime loads, and disable the events through the API as well, in case
 * something else in the process created the environment first.
 *
 * <p>ONNX Runtime's Java loader also leaves an empty {@code onnxruntime-java<digits>} folder in {@code java.io.tmpdir}
 * per process: it extracts its libraries there and asks for the folder and the files to be deleted on exit, but the
 * JVM deletes in reverse order of the requests, so the folder is tried while still full. A shutdown hook removes it.
 */
public final class OrtEnvironments {
  /** The variable ONNX Runtime reads (1/true/yes/on: telemetry fully off). */
  public static final String DISABLE_TELEMETRY = "ORT_DISABLE_TELEMETRY";

  private static boolean extractionCleanupRegistered;

  private OrtEnvironments() {}

  /** The C library's {@code setenv}. */
  private interface CLibrary extends Library {
    int setenv(String name, String value, int overwrite);
  }

  /**
   * The shared environment, telemetry off (see the class comment). Every use of ONNX Runtime in medvision goes through
   * here, so the variable is set before the native library first creates its environment.
   *
   * @throws IllegalStateException if ONNX Runtime refuses to turn its telemetry events off
   */
  public static synchronized OrtEnvironment shared() {
    disableTelemetryBeforeLoad();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    if (!extractionCleanupRegistered) {
      extractionCleanupRegistered = true;
      extractionFolder().ifPresent(OrtEnvironments::deleteAtExit);
    }
    try {
      env.setTelemetry(false);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime refused to disable its telemetry events: " + e.getMessage(), e);
    }
    return env;
  }

  /**
   * Sets {@code ORT_DISABLE_TELEMETRY=1} in the process environment unless it is already set; harmless after ONNX
   * Runtime has loaded (it is then simply not read again).
   */
  static void disableTelemetryBeforeLoad() {
    if (System.getenv(DISABLE_TELEMETRY) != null) {
      return;
    }
    try {
      Native.load("c", CLibrary.class).setenv(DISABLE_TELEMETRY, "1", 0);
    } catch (RuntimeException | LinkageError e) {
      // No C library through JNA (not Linux or macOS): then the ONNX Runtime build has no POSIX telemetry client
      // either; Windows builds use ETW, which setTelemetry(false) in shared() switches off.
    }
  }

  /** The folder the loader extracted the natives to (a private field of its), if it extracted any. */
  private static Optional<Path> extractionFolder() {
    try {
      Field field = Class.forName("ai.onnxruntime.OnnxRuntime").getDeclaredField("tempDirectory");
      field.setAccessible(true);
      return Optional.ofNullable((Path) field.get(null));
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Another loader version: then it cleans up as it does; nothing of ours depends on this.
      return Optional.empty();
    }
  }

  /** Deletes {@code folder}'s files and then the folder when the JVM exits. */
  private static void deleteAtExit(Path folder) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try (Stream<Path> files = Files.list(folder)) {
        for (Path file : files.toList()) {
          Files.deleteIfExists(file);
        }
        Files.deleteIfExists(folder);
      } catch (IOException e) {
        // Best effort at exit: what remains is the loader's own temp folder, as without this hook.
      }
    }, "medvision-ort-temp-cleanup"));
  }
}
