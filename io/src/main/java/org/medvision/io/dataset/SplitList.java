package org.medvision.io.dataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A published split file such as ChestX-ray14's {@code train_val_list.txt}: one image file name per line. Blank lines
 * are skipped and surrounding spaces ignored; a line with more than one name, or a name listed twice, is an error.
 */
final class SplitList {
  private SplitList() {}

  /**
   * The names in {@code file}, in order, each with its 1-based line.
   *
   * @throws DatasetException naming the file and line for an unreadable file, a line of several names or a repeated
   *     name
   */
  static Map<String, Integer> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DatasetException("cannot read split file " + file + ": " + e.getMessage(), e);
    }
    Map<String, Integer> names = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String name = lines.get(i).strip();
      if (i == 0 && name.startsWith("\uFEFF")) {
        name = name.substring(1).strip();
      }
      if (name.isEmpty()) {
        continue;
      }
      if (name.chars().anyMatch(c -> Character.isWhitespace(c) || c == ',')) {
        throw new DatasetException(file + " line " + (i + 1) + ": '" + name + "' is not one file name; write one "
            + "image name per line");
      }
      Integer first = names.putIfAbsent(name, i + 1);
      if (first != null) {
        throw new DatasetException(file + " line " + (i + 1) + ": " + name + " is already listed on line " + first);
      }
    }
    return names;
  }
}
