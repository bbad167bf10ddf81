package org.medvision.spark;

import java.io.Serializable;
import java.net.URI;

/**
 * The stable ids of inputs a Spark job reads: a file's path relative to the input folder, with {@code /} between
 * folders, exactly as the local batch runner names the files of a folder, so both runs' rows join on
 * {@code input_id}. A file outside the folder, or a job given no folder, keeps its path as given.
 */
final class InputIds implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String rootScheme;
  private final String rootPath;

  private InputIds(String rootScheme, String rootPath) {
    this.rootScheme = rootScheme;
    this.rootPath = rootPath;
  }

  /** Ids relative to {@code root} (a local path or a Hadoop URI such as {@code s3a://bucket/images}). */
  static InputIds relativeTo(String root) {
    URI uri = uri(root);
    if (uri == null) {
      return new InputIds(null, null);
    }
    String path = uri.getPath();
    while (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return new InputIds(uri.getScheme(), path);
  }

  /** Ids that are the locations as given. */
  static InputIds asGiven() {
    return new InputIds(null, null);
  }

  /** The id of the file at {@code location}. */
  String idOf(String location) {
    if (rootPath == null) {
      return location;
    }
    URI uri = uri(location);
    if (uri == null || (rootScheme != null && uri.getScheme() != null && !rootScheme.equals(uri.getScheme()))) {
      return location;
    }
    String path = uri.getPath();
    String prefix = rootPath.endsWith("/") ? rootPath : rootPath + "/";
    return path.startsWith(prefix) && path.length() > prefix.length() ? path.substring(prefix.length()) : location;
  }

  /** The id of the folder at {@code location}: {@code .} for the input folder itself, as the local runner names it. */
  String folderIdOf(String location) {
    if (rootPath != null) {
      URI uri = uri(location);
      if (uri != null && uri.getPath().replaceAll("/+$", "").equals(rootPath)) {
        return ".";
      }
    }
    return idOf(location);
  }

  /** Hadoop's reading of a path or URI (it accepts the unescaped spaces Spark writes), or null if it refuses it. */
  private static URI uri(String location) {
    try {
      return new org.apache.hadoop.fs.Path(location).toUri();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
