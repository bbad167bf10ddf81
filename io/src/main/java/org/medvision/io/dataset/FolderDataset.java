package org.medvision.io.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the folder-per-class layout of the public stroke CT dataset: a root folder holding {@code Non-Stroke/},
 * {@code Ischemic/} and {@code Hemorrhagic/}, each full of image slices.
 *
 * <p>Folder names are matched as {@link LabelMapping#canonical} labels, so case and the usual synonyms ({@code
 * Normal}, {@code Ischemia}, {@code Hemorrhage}, the dataset's Turkish names) are accepted; the rows carry the
 * canonical labels {@code normal}, {@code ischemic}, {@code hemorrhagic}. Images are the {@code .png}, {@code .jpg}
 * and {@code .jpeg} files directly inside a class folder (not in its subfolders), in name order. The layout has no
 * patient ids and no splits, so neither is set. Only the given root is searched: when the class folders sit one level
 * down (e.g. {@code Training/}), pass that folder. Hidden entries (starting with a dot) are ignored; any other
 * folder in the root is an error, so a misspelt class folder is not silently skipped.
 */
public final class FolderDataset {
  /** The labels a class folder may map to. */
  public static final List<String> CLASSES = List.of("normal", "ischemic", "hemorrhagic");

  private FolderDataset() {}

  /**
   * The images under {@code root}, class by class in the order of {@link #CLASSES}.
   *
   * @throws DatasetException if the root is not a folder, holds no class folder or an unknown folder, two folders
   *     map to one class, or a class folder holds no images
   */
  public static List<Sample> read(Path root) {
    if (!Files.isDirectory(root)) {
      throw new DatasetException("dataset folder not found: " + root);
    }
    Map<String, Path> classFolders = new LinkedHashMap<>();
    List<String> unknown = new ArrayList<>();
    for (Path child : list(root)) {
      String name = child.getFileName().toString();
      if (name.startsWith(".") || !Files.isDirectory(child)) {
        continue;
      }
      String label = LabelMapping.canonical(name);
      if (!CLASSES.contains(label)) {
        unknown.add(name);
        continue;
      }
      Path previous = classFolders.putIfAbsent(label, child);
      if (previous != null) {
        throw new DatasetException("dataset " + root + ": folders '" + previous.getFileName() + "' and '" + name
            + "' both hold class " + label);
      }
    }
    if (!unknown.isEmpty() || classFolders.isEmpty()) {
      throw new DatasetException("dataset " + root + (unknown.isEmpty() ? " has no class folders"
          : " has folders that name no class: " + String.join(", ", unknown))
          + "; expected Non-Stroke/, Ischemic/ and Hemorrhagic/ (case-insensitive); when they sit in a subfolder "
          + "such as Training/, give that folder");
    }
    List<Sample> rows = new ArrayList<>();
    for (String label : CLASSES) {
      Path folder = classFolders.get(label);
      if (folder == null) {
        continue;
      }
      List<Path> images = new ArrayList<>();
      for (Path p : list(folder)) {
        if (Files.isRegularFile(p) && isImage(p)) {
          images.add(p.toAbsolutePath().normalize());
        }
      }
      if (images.isEmpty()) {
        throw new DatasetException("class folder " + folder + " holds no .png, .jpg or .jpeg images");
      }
      for (Path p : images) {
        rows.add(new Sample(p, label, null, null, root, 0));
      }
    }
    return rows;
  }

  private static boolean isImage(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return !n.startsWith(".") && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
  }

  private static List<Path> list(Path folder) {
    try (Stream<Path> s = Files.list(folder)) {
      return s.sorted().toList();
    } catch (IOException e) {
      throw new DatasetException("cannot list dataset folder " + folder + ": " + e.getMessage(), e);
    }
  }
}
