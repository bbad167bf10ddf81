package org.medvision.io.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One scratch folder per fuzzing JVM, for readers that take a path: each input overwrites a file there. */
public final class ScratchFile {
  private static Path folder;

  private ScratchFile() {}

  /** Writes {@code bytes} to the scratch file {@code name} and returns its path. */
  public static synchronized Path write(String name, byte[] bytes) {
    try {
      if (folder == null) {
        folder = Files.createTempDirectory("medvision-fuzz");
        folder.toFile().deleteOnExit();
      }
      Path file = folder.resolve(name);
      file.toFile().deleteOnExit();
      return Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
