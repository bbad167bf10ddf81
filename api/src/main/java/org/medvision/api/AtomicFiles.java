package org.medvision.api;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Temporary files for writes that must appear atomically: write the temporary file, then move it over the target.
 *
 * <p>Unlike {@link Files#createTempFile}, which creates owner-only files, these get the process's default
 * permissions (the umask), so the file that finally replaces the target is readable as any other output would be.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Writes {@code bytes} into {@code target} through a hidden sibling and a move, so a reader (or a crash) sees the
   * old file or the new one, never half of one; the sibling is removed when anything fails.
   *
   * @throws IOException if the directory cannot be written
   */
  public static void write(Path target, byte[] bytes) throws IOException {
    Path tmp = createSibling(target, "");
    try {
      Files.write(tmp, bytes);
      replace(tmp, target);
      tmp = null;
    } catch (IOException e) {
      throw aboutTarget(target, e);
    } finally {
      if (tmp != null) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /**
   * Moves a finished sibling (from {@link #createSibling}) over {@code target}, atomically where the file system
   * allows.
   *
   * @throws IOException if the move fails
   */
  public static void replace(Path sibling, Path target) throws IOException {
    try {
      try {
        Files.move(sibling, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(sibling, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw aboutTarget(target, e);
    }
  }

  /**
   * The error {@code e} restated about {@code target}: the hidden sibling's name means nothing to a user, and
   * {@code java.nio} messages are often just that name.
   */
  private static IOException aboutTarget(Path target, IOException e) {
    if (e.getMessage() != null && e.getMessage().startsWith("cannot write " + target + ": ")) {
      return e;
    }
    Path folder = target.toAbsolutePath().getParent();
    String reason = e instanceof NoSuchFileException && folder != null && !Files.isDirectory(folder)
        ? "folder " + folder + " does not exist" : IoErrors.reason(e);
    return new IOException("cannot write " + target + ": " + reason, e);
  }

  /**
   * Creates an empty hidden file beside {@code target} (same directory, so a move onto the target can be atomic),
   * named {@code .<target name><suffix>.<random>.tmp}.
   *
   * @throws IOException if the directory cannot be written
   */
  public static Path createSibling(Path target, String suffix) throws IOException {
    Path absolute = target.toAbsolutePath();
    String base = "." + absolute.getFileName() + suffix + ".";
    while (true) {
      String nonce = Long.toHexString(ThreadLocalRandom.current().nextLong());
      Path candidate = absolute.resolveSibling(base + nonce + ".tmp");
      try {
        return Files.createFile(candidate);
      } catch (FileAlreadyExistsException collision) {
        // Another writer drew the same name; draw again.
      } catch (IOException e) {
        throw aboutTarget(target, e);
      }
    }
  }
}
