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
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.LabelField;

/**
 * Reads a folder-per-class data set (e.g. the public stroke CT data's {@code Non-Stroke/}, {@code Ischemic/},
 * {@code Hemorrhagic/}) for a schema of one image field and a single-label field: each subfolder's name is read as a
 * label of that field (case, separators and the field's synonyms are accepted), and every {@code .png}, {@code .jpg},
 * {@code .jpeg} and {@code .dcm} file directly inside it is one example, in name order.
 *
 * <p>The layout has no patient ids and no splits. Only the given root is searched: when the class folders sit one
 * level down (e.g. {@code Training/}), pass that folder. Hidden entries are ignored; a folder whose name is no label of
 * the field is an error, so a misspelt class folder is not silently skipped. Folders of labels the field leaves out
 * (e.g. normal slices for a subtype task) are skipped.
 */
public final class FolderDataset {
  private FolderDataset() {}

  /** Whether {@code schema} can be read from a folder: one image field and a stratification label field. */
  public static boolean fits(DataSchema schema) {
    return schema.fields(ImageField.class).size() == 1 && schema.labels().isPresent()
        && schema.fields().size() == 2;
  }

  /**
   * The images under {@code root}, folder by folder in the field's class order, labelled with class names.
   *
   * @throws DatasetException if the schema does not fit this layout, the root is not a folder, holds no class folder
   *     or an unknown folder, two folders map to one class, or a class folder holds no images
   */
  public static List<Sample> read(Path root, DataSchema schema) {
    if (!fits(schema)) {
      throw new DatasetException("a dataset folder works for tasks whose examples are one image and one class; this "
          + "task's examples have fields " + schema.fields().stream().map(f -> f.name()).toList()
          + ", so give a manifest CSV instead");
    }
    ImageField image = schema.fields(ImageField.class).get(0);
    LabelField labels = schema.labels().orElseThrow();
    if (!Files.isDirectory(root)) {
      throw new DatasetException("dataset folder not found: " + root);
    }
    Map<String, Path> byLabel = new LinkedHashMap<>();
    List<Path> folders = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (Path child : list(root)) {
      String name = child.getFileName().toString();
      if (name.startsWith(".") || !Files.isDirectory(child)) {
        continue;
      }
      int c = labels.classIndex(name);
      if (c == -1) {
        continue;
      }
      if (c < 0) {
        unknown.add(name);
        continue;
      }
      // Folders differing only in case would mix silently on case-insensitive file systems; several labels of one
      // class (Ischemic/ and Hemorrhagic/ for a stroke class) are how a coarser task reads the same folders.
      Path previous = byLabel.putIfAbsent(LabelField.canonical(name), child);
      if (previous != null) {
        throw new DatasetException("dataset " + root + ": folders '" + previous.getFileName() + "' and '" + name
            + "' are the same label");
      }
      folders.add(child);
    }
    // Class order, then the field's synonym order (ischemic before hemorrhagic), so rows keep a stable order.
    List<String> synonymOrder = new ArrayList<>(labels.synonyms().keySet());
    folders.sort(java.util.Comparator.<Path>comparingInt(f -> labels.classIndex(f.getFileName().toString()))
        .thenComparingInt(f -> {
          int i = synonymOrder.indexOf(LabelField.canonical(f.getFileName().toString()));
          return i < 0 ? Integer.MAX_VALUE : i;
        }));
    if (!unknown.isEmpty() || folders.isEmpty()) {
      throw new DatasetException("dataset " + root + (unknown.isEmpty() ? " has no class folders"
          : " has folders that name no class: " + String.join(", ", unknown)) + "; expected one folder per class of "
          + labels.classes() + " (accepted names: " + labels.accepted() + "); when they sit in a subfolder such as "
          + "Training/, give that folder");
    }
    List<Sample> rows = new ArrayList<>();
    for (Path folder : folders) {
      int c = labels.classIndex(folder.getFileName().toString());
      List<Path> images = new ArrayList<>();
      for (Path p : list(folder)) {
        if (Files.isRegularFile(p) && isImage(p)) {
          images.add(p.toAbsolutePath().normalize());
        }
      }
      if (images.isEmpty()) {
        throw new DatasetException("class folder " + folder + " holds no .png, .jpg, .jpeg or .dcm images");
      }
      for (Path p : images) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(image.column(), p.toString());
        values.put(labels.column(), labels.classes().get(c));
        rows.add(new Sample(p.toString(), values, labels.classes().get(c), null, null, root, 0));
      }
    }
    return rows;
  }

  private static boolean isImage(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return !n.startsWith(".") && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg")
        || n.endsWith(".dcm"));
  }

  private static List<Path> list(Path folder) {
    try (Stream<Path> s = Files.list(folder)) {
      return s.sorted().toList();
    } catch (IOException e) {
      throw new DatasetException("cannot list dataset folder " + folder + ": " + e.getMessage(), e);
    }
  }
}
