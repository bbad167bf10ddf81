package org.medvision.io.synth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.medvision.api.MedvisionException;

/**
 * A hidden folder beside an output folder that a set is written into and then renamed into place, so a failure leaves
 * no partial set and an existing set is replaced only by a complete new one.
 */
public final class StagedFolder {
  private final Path target;
  private final Path staging;

  private StagedFolder(Path target, Path staging) {
    this.target = target;
    this.staging = staging;
  }

  /**
   * Checks {@code out}, creates its missing parent folders (as {@code mkdir -p} would) and the staging folder.
   *
   * @param force allow replacing a non-empty {@code out}
   * @throws MedvisionException if {@code out} is the root, a file, or a non-empty folder and {@code force} is
   *     false, or a folder cannot be created
   */
  public static StagedFolder open(Path out, boolean force) {
    Path target = out.toAbsolutePath().normalize();
    Path parent = target.getParent();
    if (parent == null) {
      throw new MedvisionException("cannot write a set into the root folder " + target + "; give a folder below it");
    }
    if (Files.exists(target)) {
      if (!Files.isDirectory(target)) {
        throw new MedvisionException("output " + target + " is a file; give a folder");
      }
      if (!isEmpty(target) && !force) {
        throw new MedvisionException("output folder " + target + " is not empty; give another folder or --force "
            + "to replace it");
      }
    }
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new MedvisionException("cannot create folder " + parent + " for " + target + ": " + e.getMessage(), e);
    }
    while (true) {
      // The name only has to avoid other writers' folders; it never reaches the output, which stays deterministic.
      String nonce = Long.toHexString(ThreadLocalRandom.current().nextLong());
      Path candidate = target.resolveSibling("." + target.getFileName() + "." + nonce + ".tmp");
      try {
        return new StagedFolder(target, Files.createDirectory(candidate));
      } catch (FileAlreadyExistsException collision) {
        // Another writer's folder; draw again.
      } catch (IOException e) {
        throw new MedvisionException("cannot create a folder beside " + target + ": " + e.getMessage(), e);
      }
    }
  }

  /** The folder to write into. */
  public Path path() {
    return staging;
  }

  /** The final location. */
  public Path target() {
    return target;
  }

  /**
   * Moves the staged set to the target, setting any old content aside first and removing it last.
   *
   * @throws MedvisionException if the move fails (the old content is restored then)
   */
  public void publish() {
    Path old = null;
    try {
      if (Files.exists(target)) {
        old = target.resolveSibling(staging.getFileName() + ".old");
        Files.move(target, old);
      }
      Files.move(staging, target);
    } catch (IOException e) {
      if (old != null && !Files.exists(target)) {
        try {
          Files.move(old, target);
        } catch (IOException restore) {
          e.addSuppressed(restore);
        }
      }
      throw new MedvisionException("cannot move the new set into " + target + ": " + e.getMessage(), e);
    }
    if (old != null) {
      deleteTree(old);
    }
  }

  /** Removes the staging folder and whatever was written into it. */
  public void discard() {
    deleteTree(staging);
  }

  /** {@link #discard()} after {@code cause} ended the writing; a cleanup failure is kept as suppressed by it. */
  public void discardAfter(Throwable cause) {
    try {
      discard();
    } catch (RuntimeException cleanup) {
      cause.addSuppressed(cleanup);
    }
  }

  private static boolean isEmpty(Path dir) {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      return !s.iterator().hasNext();
    } catch (IOException e) {
      throw new MedvisionException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + root, e);
    }
  }
}
