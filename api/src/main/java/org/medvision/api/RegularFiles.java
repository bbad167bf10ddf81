package org.medvision.api;

import java.nio.file.Files;
import java.nio.file.Path;

/** The check every "give me a file" argument needs, with an error that says what the path actually is. */
public final class RegularFiles {
  private RegularFiles() {}

  /**
   * Returns {@code file} when it is a regular file.
   *
   * @param what what the file is for, e.g. "model file"
   * @param folderHint what to do instead when a folder was given (may be empty)
   * @throws MedvisionException "WHAT X is a folder, not a file; HINT" or "WHAT not found: X"
   */
  public static Path require(Path file, String what, String folderHint) {
    if (Files.isDirectory(file)) {
      throw new MedvisionException(what + " " + file + " is a folder, not a file"
          + (folderHint.isEmpty() ? "" : "; " + folderHint));
    }
    if (!Files.isRegularFile(file)) {
      throw new MedvisionException(what + " not found: " + file);
    }
    return file;
  }
}
