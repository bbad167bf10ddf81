package org.medvision.train.report;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.medvision.api.MedvisionException;

/**
 * Writes a set of files as one directory that appears whole or not at all.
 *
 * <p>The files are written into a hidden sibling directory, which is then renamed onto the target in one step, so a
 * reader (or a crash) never sees a half-written report. An existing empty target is replaced; a non-empty one only
 * with {@code force}, in which case the old directory is first renamed aside and deleted after the new one is in
 * place (restored if the rename fails). The sibling directory gets the process's default permissions.
 */
public final class ReportDirectory {
  private ReportDirectory() {}

  /**
   * Writes {@code files} (name to content, flat) as directory {@code target}.
   *
   * @param force whether a non-empty existing {@code target} may be replaced
   * @return the written files' paths inside {@code target}, in the order given
   * @throws MedvisionException if {@code target} is a file, is a non-empty directory and {@code force} is false, a
   *     name is not a plain file name, or writing fails; the message says that nothing was written
   */
  public static List<Path> write(Path target, Map<String, byte[]> files, boolean force) {
    Path dir = target.toAbsolutePath().normalize();
    for (String name : files.keySet()) {
      if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
        throw new MedvisionException("report file name '" + name + "' must be a plain, non-hidden file name");
      }
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new MedvisionException("report directory " + target + " is an existing file; choose another --report");
    }
    boolean replacing = Files.isDirectory(dir) && !isEmpty(dir);
    if (replacing && !force) {
      throw new MedvisionException("report directory " + target + " is not empty; use --force to replace it or"
          + " choose another --report");
    }
    Path staging;
    try {
      Files.createDirectories(dir.getParent());
      staging = createSibling(dir, ".writing");
    } catch (IOException e) {
      throw new MedvisionException("cannot create the report directory " + target + ": " + e.getMessage(), e);
    }
    try {
      Map<String, Path> written = new LinkedHashMap<>();
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        Files.write(staging.resolve(f.getKey()), f.getValue());
        written.put(f.getKey(), dir.resolve(f.getKey()));
      }
      install(staging, dir, replacing);
      return List.copyOf(written.values());
    } catch (IOException e) {
      deleteQuietly(staging);
      throw new MedvisionException("could not write the report into " + target + " (" + e.getMessage()
          + "); nothing was written there", e);
    }
  }

  private static void install(Path staging, Path dir, boolean replacing) throws IOException {
    if (!replacing) {
      Files.deleteIfExists(dir);
      move(staging, dir);
      return;
    }
    Path old = createSibling(dir, ".old");
    Files.delete(old);
    move(dir, old);
    try {
      move(staging, dir);
    } catch (IOException e) {
      move(old, dir);
      throw e;
    }
    deleteQuietly(old);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      // Same parent directory, so this only happens on exotic file systems; a plain rename is the best there is.
      Files.move(from, to);
    }
  }

  private static Path createSibling(Path dir, String suffix) throws IOException {
    while (true) {
      String nonce = Long.toHexString(ThreadLocalRandom.current().nextLong());
      Path candidate = dir.resolveSibling("." + dir.getFileName() + suffix + "." + nonce);
      try {
        return Files.createDirectory(candidate);
      } catch (FileAlreadyExistsException collision) {
        // Another writer drew the same name; draw again.
      }
    }
  }

  private static boolean isEmpty(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      throw new MedvisionException("cannot list the report directory " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void deleteQuietly(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // Leftovers are hidden siblings named after the report; they do not affect the report itself.
    }
  }
}
