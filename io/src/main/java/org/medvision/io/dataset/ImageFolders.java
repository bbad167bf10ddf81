package org.medvision.io.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a data set's images by file name, listing each folder once (a full ChestX-ray14 is 112,120 files, too many to
 * look up one by one).
 *
 * <p>Searched: the data folder itself, its {@code images/}, and the folders its published archives unpack to,
 * {@code images_001/images/} to {@code images_012/images/} (any {@code images_<digits>}, and the files directly
 * inside such a folder too). Hidden files are ignored; a name found in two of these folders is an error, since either
 * file could be the one the data set means.
 */
final class ImageFolders {
  private static final Pattern ARCHIVE = Pattern.compile("images_[0-9]+");

  /**
   * The images found.
   *
   * @param files file name to absolute path
   * @param folders the folders that were searched and exist, in search order
   */
  record Index(Map<String, Path> files, List<Path> folders) {
    /** The folders as {@code root}-relative text, for messages. */
    String describe(Path root) {
      List<String> names = new ArrayList<>();
      for (Path f : folders) {
        String rel = root.relativize(f).toString().replace('\\', '/');
        names.add(rel.isEmpty() ? "." : rel + "/");
      }
      return String.join(", ", names);
    }
  }

  private ImageFolders() {}

  /**
   * Lists the image folders under {@code root}.
   *
   * @throws DatasetException if a folder cannot be listed or one name is in two folders
   */
  static Index index(Path root) {
    List<Path> folders = new ArrayList<>();
    folders.add(root);
    if (Files.isDirectory(root.resolve("images"))) {
      folders.add(root.resolve("images"));
    }
    for (Path child : list(root)) {
      if (Files.isDirectory(child) && ARCHIVE.matcher(child.getFileName().toString()).matches()) {
        folders.add(child);
        if (Files.isDirectory(child.resolve("images"))) {
          folders.add(child.resolve("images"));
        }
      }
    }
    Map<String, Path> files = new HashMap<>();
    for (Path folder : folders) {
      for (Path p : list(folder)) {
        String name = p.getFileName().toString();
        if (name.startsWith(".") || !Files.isRegularFile(p)) {
          continue;
        }
        Path previous = files.putIfAbsent(name, p.toAbsolutePath().normalize());
        if (previous != null) {
          throw new DatasetException("image " + name + " is in two folders of " + root + ": " + previous + " and " + p
              + "; keep one");
        }
      }
    }
    return new Index(files, List.copyOf(folders));
  }

  private static List<Path> list(Path folder) {
    try (Stream<Path> s = Files.list(folder)) {
      return s.sorted().toList();
    } catch (IOException e) {
      throw new DatasetException("cannot list image folder " + folder + ": " + e.getMessage(), e);
    }
  }
}
