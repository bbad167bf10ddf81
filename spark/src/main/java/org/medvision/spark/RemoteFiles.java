package org.medvision.spark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.medvision.api.MedvisionException;

/**
 * Files named by path or URI on any Hadoop file system ({@code file:}, {@code hdfs://}, {@code s3a://}, ...), made
 * available as local files, since the image, DICOM and NIfTI readers and the weights reader work on local paths: a
 * local path is used where it is, anything else is copied into a local folder under its own file name (the readers
 * tell formats by the extension).
 */
final class RemoteFiles {
  private RemoteFiles() {}

  private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]+):");

  /** Whether {@code location} names a local file: a plain path or a {@code file:} URI. */
  static boolean isLocal(String location) {
    String scheme = scheme(location);
    return scheme == null || "file".equalsIgnoreCase(scheme);
  }

  /** The local path of a plain path or {@code file:} URI (as Spark writes them: {@code file:/a/b c.png}). */
  static Path localPath(String location) {
    return scheme(location) == null ? Path.of(location)
        : Path.of(new org.apache.hadoop.fs.Path(location).toUri().getPath());
  }

  /** The URI scheme of {@code location}, or null for a plain path (a one-letter prefix is a drive, not a scheme). */
  private static String scheme(String location) {
    Matcher m = SCHEME.matcher(location);
    return m.find() ? m.group(1) : null;
  }

  /**
   * {@code location} as a local file: itself when local, otherwise a copy in {@code folder} named after it.
   *
   * @throws MedvisionException naming the location when it cannot be read
   */
  static Path local(String location, Path folder, Configuration conf) {
    if (isLocal(location)) {
      return localPath(location);
    }
    org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(location);
    Path target = folder.resolve(remote.getName());
    try {
      Files.createDirectories(folder);
      FileSystem fs = remote.getFileSystem(conf);
      Path partial = Files.createTempFile(folder, ".part-", "");
      try (InputStream in = fs.open(remote)) {
        Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(partial);
      }
      return target;
    } catch (IOException e) {
      throw new MedvisionException("cannot read " + location + ": " + e, e);
    }
  }

  /** Whether {@code location} exists as a file on its file system. */
  static boolean isFile(String location, Configuration conf) {
    if (isLocal(location)) {
      return Files.isRegularFile(localPath(location));
    }
    org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(location);
    try {
      return remote.getFileSystem(conf).getFileStatus(remote).isFile();
    } catch (java.io.FileNotFoundException e) {
      return false;
    } catch (IOException e) {
      throw new MedvisionException("cannot look up " + location + ": " + e, e);
    }
  }

  /** {@code location}'s sibling called {@code name}, on the same file system. */
  static String sibling(String location, String name) {
    if (isLocal(location)) {
      return localPath(location).resolveSibling(name).toString();
    }
    return new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(location).getParent(), name).toString();
  }

  /** {@code location}'s file name. */
  static String fileName(String location) {
    return isLocal(location) ? localPath(location).getFileName().toString()
        : new org.apache.hadoop.fs.Path(location).getName();
  }
}
