package org.medvision.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removal of the temporary folders the executors copy inputs and models into. */
final class TempFiles {
  private TempFiles() {}

  /** Deletes {@code folder} and everything in it, as far as possible: a leftover temporary file fails no job. */
  static void deleteTree(Path folder) {
    if (folder == null || !Files.exists(folder)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(folder)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // left for the OS to clean with the rest of its temporary folder
        }
      });
    } catch (IOException e) {
      // as above
    }
  }
}
