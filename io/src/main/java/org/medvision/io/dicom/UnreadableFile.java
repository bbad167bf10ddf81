package org.medvision.io.dicom;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file a scan could not use, with the reason; a scan lists these instead of failing.
 *
 * @param file the file
 * @param error the reader's message (it names the file, the tag and the byte offset where it can)
 */
public record UnreadableFile(Path file, String error) {
  /** Requires both values. */
  public UnreadableFile {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(error, "error");
  }
}
