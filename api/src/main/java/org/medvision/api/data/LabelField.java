package org.medvision.api.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Class labels. Written labels are compared after canonicalisation ({@link #canonical}: case, surrounding spaces and
 * the separators {@code _} and space, read as {@code -}, are ignored) and through {@code synonyms}, which map
 * canonical written labels to class names (e.g. {@code ncp} and {@code covid-19} to {@code covid}).
 *
 * <p>Single-label: the tensor is an int64 scalar class index. Multi-label: the column lists labels separated by
 * {@code separator}; the tensor is float32 {@code [K]} of 0 and 1, and labels in {@code ignored} (e.g. "No Finding")
 * set nothing. In single-label data, rows whose label is in {@code ignored} are left out of the data set (StrokeNeXt's
 * subtype subtask has no normal class, so its normal rows are dropped). Any other unknown label is an error naming the
 * row.
 *
 * @param name example key
 * @param column manifest column
 * @param classes class names, in output order
 * @param synonyms canonical written label to class name
 * @param ignored written labels that are left out (single-label) or set nothing (multi-label); kept in canonical form,
 *     so {@code "No Finding"} and {@code "no-finding"} are the same
 * @param multiLabel whether a row may hold several labels
 * @param separator the separator of several labels in one cell (multi-label), e.g. {@code |}
 */
public record LabelField(String name, String column, List<String> classes, Map<String, String> synonyms,
    Set<String> ignored, boolean multiLabel, String separator) implements Field {
  /** Checks and copies; synonyms keep their order. */
  public LabelField {
    Field.checkName(name);
    Objects.requireNonNull(column, "column");
    classes = List.copyOf(classes);
    synonyms = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(synonyms));
    // Canonical like every label they are compared with, so a task may write them as the data set does.
    ignored = ignored.stream().map(LabelField::canonical).collect(Collectors.toUnmodifiableSet());
    if (classes.isEmpty()) {
      throw new IllegalArgumentException("label field '" + name + "' has no classes");
    }
    for (String target : synonyms.values()) {
      if (!classes.contains(target)) {
        throw new IllegalArgumentException("label field '" + name + "': synonym target '" + target
            + "' is not one of " + classes);
      }
    }
  }

  /** A single-label field with no synonyms. */
  public static LabelField single(String name, String column, List<String> classes) {
    return new LabelField(name, column, classes, Map.of(), Set.of(), false, "");
  }

  /** A label read and compared this way: trimmed, lower case, {@code _} and spaces as {@code -}. */
  public static String canonical(String label) {
    // Lower-casing the Turkish dotted capital I leaves a combining dot above; drop it so "İnme" reads as "inme".
    return label.trim().toLowerCase(Locale.ROOT).replace("\u0307", "").replaceAll("[\\s_]+", "-");
  }

  @Override
  public boolean required() {
    return true;
  }

  /**
   * The class index of a written label, -1 when it is ignored, or -2 when it is unknown.
   */
  public int classIndex(String written) {
    String c = canonical(written);
    // Synonym targets are class names as written (e.g. Infiltration), so compare them canonically too.
    String target = canonical(synonyms.getOrDefault(c, c));
    for (int i = 0; i < classes.size(); i++) {
      if (canonical(classes.get(i)).equals(target)) {
        return i;
      }
    }
    return ignored.contains(c) || ignored.contains(target) ? -1 : -2;
  }

  /**
   * The class indices a cell of this field names, in class order without repeats: one for a single-label field,
   * any number (split at {@link #separator()}) for a multi-label one; ignored labels and blank parts add none.
   *
   * @throws IllegalArgumentException naming the unknown label and the accepted ones
   */
  public int[] classIndices(String cell) {
    String[] parts = multiLabel ? cell.split(Pattern.quote(separator), -1) : new String[] {cell};
    boolean[] present = new boolean[classes.size()];
    for (String part : parts) {
      if (multiLabel && part.isBlank()) {
        continue;
      }
      int c = classIndex(part);
      if (c == -2) {
        throw new IllegalArgumentException(column + " '" + part.trim() + "' is not one of " + classes + "; accepted: "
            + accepted());
      }
      if (c >= 0) {
        present[c] = true;
      }
    }
    return IntStream.range(0, present.length).filter(i -> present[i]).toArray();
  }

  /** The labels a reader accepts, for error messages. */
  public String accepted() {
    StringBuilder sb = new StringBuilder(String.join(", ", classes));
    if (!synonyms.isEmpty()) {
      sb.append(" (synonyms: ");
      List<String> parts = new ArrayList<>();
      synonyms.forEach((k, v) -> parts.add(k + " = " + v));
      sb.append(String.join(", ", parts)).append(')');
    }
    if (!ignored.isEmpty()) {
      sb.append("; left out: ").append(String.join(", ", new TreeSet<>(ignored)));
    }
    return sb.append("; case, spaces and _ are ignored").toString();
  }
}
