package org.medvision.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;
import org.medvision.api.MedvisionException;

/**
 * The folder of one training run, and who is responsible for removing it if the run fails before its first
 * checkpoint.
 *
 * <p>A new run needs a missing or empty folder; {@code force} reuses a non-empty one after deleting only the files a
 * run writes ({@link RunFiles#ALL}), never anything else the user keeps there. Resuming needs
 * {@link RunFiles#LAST_SIDECAR}.
 */
final class RunDirectory {
  private final Path path;
  private final boolean created;

  private RunDirectory(Path path, boolean created) {
    this.path = path;
    this.created = created;
  }

  /**
   * Prepares {@code dir} for a run.
   *
   * @throws MedvisionException if a new run would overwrite a non-empty folder without {@code force}, a resume finds
   *     no checkpoint, or the folder cannot be created
   */
  static RunDirectory prepare(Path dir, boolean force, boolean resume) {
    Path p = dir.toAbsolutePath().normalize();
    if (Files.exists(p) && !Files.isDirectory(p)) {
      throw new MedvisionException("run directory " + p + " is a file; give a folder");
    }
    if (resume) {
      if (!Files.isRegularFile(p.resolve(RunFiles.LAST_SIDECAR))) {
        throw new MedvisionException("cannot resume from " + p + ": it holds no " + RunFiles.LAST_SIDECAR
            + " checkpoint (a run writes one after its first epoch)");
      }
      return new RunDirectory(p, false);
    }
    if (Files.isDirectory(p) && !isEmpty(p)) {
      if (!force) {
        throw new MedvisionException("run directory " + p + " exists and is not empty; use --force to start a new "
            + "run there (its checkpoints and log are replaced) or --resume to continue the run it holds");
      }
      RunDirectory d = new RunDirectory(p, false);
      d.deleteRunFiles();
      return d;
    }
    boolean created = !Files.exists(p);
    try {
      Files.createDirectories(p);
    } catch (IOException e) {
      throw new MedvisionException("cannot create run directory " + p + ": " + e.getMessage(), e);
    }
    return new RunDirectory(p, created);
  }

  /** The folder. */
  Path path() {
    return path;
  }

  /** {@code name} inside the folder. */
  Path file(String name) {
    return path.resolve(name);
  }

  /**
   * Removes what the run wrote: the whole folder if the run created it, otherwise only the run's files.
   *
   * @return a sentence for the user saying what was removed
   */
  String discard() {
    try {
      if (created) {
        deleteTree(path);
        return "removed the run directory " + path + " because no checkpoint had been written";
      }
      deleteRunFiles();
      return "removed this run's files from " + path + " because no checkpoint had been written";
    } catch (UncheckedIOException e) {
      return "could not clean up " + path + " (" + e.getCause().getMessage() + "); delete it by hand";
    }
  }

  private void deleteRunFiles() {
    for (String name : RunFiles.ALL) {
      try {
        Files.deleteIfExists(path.resolve(name));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete " + path.resolve(name), e);
      }
    }
  }

  private static boolean isEmpty(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      throw new MedvisionException("cannot list run directory " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void deleteTree(Path root) {
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          if (e != null) {
            throw e;
          }
          Files.delete(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
