package org.medvision.api;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
   * old file or the new one, never half of one; the sibling is removed when anything fails. The bytes are not forced
   * to disk, so a power cut may leave the file empty; see {@link #writeDurably}.
   *
   * @throws IOException if the directory cannot be written
   */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, bytes, false);
  }

  /**
   * As {@link #write}, with the bytes forced to disk before the move, so that after a power cut the file is the old
   * one or the whole new one.
   *
   * @throws IOException if the directory cannot be written
   */
  public static void writeDurably(Path target, byte[] bytes) throws IOException {
    write(target, bytes, true);
  }

  private static void write(Path target, byte[] bytes, boolean durably) throws IOException {
    Path tmp = createSibling(target, "");
    try {
      Files.write(tmp, bytes);
      if (durably) {
        sync(tmp);
      }
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
   * Forces a written file's contents to the disk, so that after a power cut a file renamed later is whole, not empty.
   *
   * @throws IOException if the file cannot be opened or synced
   */
  public static void sync(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  /**
   * Forces a folder's entries (the names renamed into it) to the disk where the platform allows it: Linux and macOS
   * do; Windows cannot open a folder this way, and there it is left to the file system.
   */
  public static void syncFolder(Path folder) {
    try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not possible on this platform; the rename itself is still atomic.
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
