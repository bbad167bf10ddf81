package org.medvision.io.dataset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps the labels written in a data set to the class indices of a task's output.
 *
 * <p>Labels are compared after canonicalisation: case, surrounding spaces and the separators {@code _} and space
 * (read as {@code -}) are ignored, and stroke synonyms are folded: {@code non-stroke}, {@code nonstroke},
 * {@code no-stroke} and the dataset's Turkish {@code inme-yok} read as {@code normal}; {@code ischemia},
 * {@code ischaemic}, {@code ischaemia} and {@code iskemi} as {@code ischemic}; {@code hemorrhage},
 * {@code haemorrhagic}, {@code haemorrhage} and {@code kanama} as {@code hemorrhagic}; {@code inme} as
 * {@code stroke}.
 *
 * <p>A class named {@code stroke} also collects {@code ischemic} and {@code hemorrhagic} rows (StrokeNeXt's
 * {@code presence} subtask). When a task's classes are stroke classes, stroke-vocabulary labels that none of them
 * collects are dropped rather than rejected ({@code normal} rows for the {@code subtype} subtask). Any other label is
 * an error naming the row and the labels that are accepted.
 */
public final class LabelMapping {
  /** StrokeNeXt subtasks with their classes, in output order (the task plugin's order). */
  private static final Map<String, List<String>> SUBTASKS = subtasks();
  private static final Map<String, String> SYNONYMS = synonyms();
  private static final Set<String> STROKE_VOCABULARY = Set.of("normal", "ischemic", "hemorrhagic", "stroke");

  private final List<String> classes;
  private final Map<String, Integer> index = new LinkedHashMap<>();
  private final Set<String> dropped = new LinkedHashSet<>();

  private LabelMapping(List<String> classes) {
    this.classes = List.copyOf(classes);
    boolean stroke = false;
    for (int i = 0; i < classes.size(); i++) {
      String c = canonical(classes.get(i));
      if (index.putIfAbsent(c, i) != null) {
        throw new DatasetException("class list " + classes + " names '" + c + "' twice");
      }
      stroke |= STROKE_VOCABULARY.contains(c);
    }
    int strokeClass = index.getOrDefault("stroke", -1);
    if (strokeClass >= 0) {
      index.putIfAbsent("ischemic", strokeClass);
      index.putIfAbsent("hemorrhagic", strokeClass);
    }
    if (stroke) {
      for (String v : List.of("normal", "ischemic", "hemorrhagic")) {
        if (!index.containsKey(v)) {
          dropped.add(v);
        }
      }
    }
  }

  private static Map<String, List<String>> subtasks() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("3class", List.of("normal", "ischemic", "hemorrhagic"));
    m.put("presence", List.of("normal", "stroke"));
    m.put("subtype", List.of("ischemic", "hemorrhagic"));
    return m;
  }

  private static Map<String, String> synonyms() {
    Map<String, String> m = new LinkedHashMap<>();
    for (String s : List.of("non-stroke", "nonstroke", "no-stroke", "inme-yok")) {
      m.put(s, "normal");
    }
    for (String s : List.of("ischemia", "ischaemic", "ischaemia", "iskemi")) {
      m.put(s, "ischemic");
    }
    for (String s : List.of("hemorrhage", "haemorrhagic", "haemorrhage", "kanama")) {
      m.put(s, "hemorrhagic");
    }
    m.put("inme", "stroke");
    return m;
  }

  /**
   * The mapping for a StrokeNeXt subtask: {@code 3class} (normal, ischemic, hemorrhagic), {@code presence} (normal,
   * stroke) or {@code subtype} (ischemic, hemorrhagic; normal rows dropped).
   *
   * @throws DatasetException for another name, listing the subtasks
   */
  public static LabelMapping forSubtask(String subtask) {
    List<String> classes = SUBTASKS.get(subtask.trim().toLowerCase(Locale.ROOT));
    if (classes == null) {
      throw new DatasetException("unknown subtask '" + subtask + "'; subtasks: " + String.join(", ",
          SUBTASKS.keySet()));
    }
    return new LabelMapping(classes);
  }

  /**
   * The mapping onto {@code classes}, a task's labels in output order.
   *
   * @throws DatasetException if two classes are the same label after canonicalisation
   */
  public static LabelMapping of(List<String> classes) {
    if (classes.isEmpty()) {
      throw new DatasetException("a label mapping needs at least one class");
    }
    return new LabelMapping(classes);
  }

  /** The label in canonical form: trimmed, lower case, {@code _} and spaces as {@code -}, synonyms folded. */
  public static String canonical(String label) {
    // Lower-casing the Turkish dotted capital I leaves a combining dot above; drop it so "İnme" reads as "inme".
    String t = label.trim().toLowerCase(Locale.ROOT).replace("\u0307", "").replaceAll("[\\s_]+", "-");
    return SYNONYMS.getOrDefault(t, t);
  }

  /** The task's classes, in output order. */
  public List<String> classes() {
    return classes;
  }

  /**
   * The class index of {@code label}, or -1 when rows with this label are dropped for this task.
   *
   * @param where the row the label came from, for the error message
   * @throws DatasetException if the label is neither a class, a synonym, nor dropped, listing the accepted labels
   */
  public int classIndex(String label, String where) {
    String c = canonical(label);
    Integer i = index.get(c);
    if (i != null) {
      return i;
    }
    if (dropped.contains(c)) {
      return -1;
    }
    throw new DatasetException(where + ": unknown label '" + label + "' for classes " + classes
        + "; accepted labels: " + String.join(", ", index.keySet())
        + (dropped.isEmpty() ? "" : " (rows labelled " + String.join(", ", dropped) + " are left out)")
        + "; case and synonyms such as non-stroke, ischemia, hemorrhage are accepted");
  }

  /**
   * The rows of this task with their labels replaced by class names, in input order; rows of dropped labels are
   * left out.
   *
   * @throws DatasetException for an unknown label (see {@link #classIndex}), or if a class has no row, naming the
   *     class and the sources read
   */
  public List<Sample> apply(List<Sample> rows) {
    List<Sample> out = new ArrayList<>(rows.size());
    int[] counts = new int[classes.size()];
    for (Sample s : rows) {
      int i = classIndex(s.label(), s.where());
      if (i >= 0) {
        counts[i]++;
        out.add(s.withLabel(classes.get(i)));
      }
    }
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] == 0) {
        Set<String> sources = new LinkedHashSet<>();
        rows.forEach(s -> sources.add(s.source().toString()));
        throw new DatasetException("class '" + classes.get(i) + "' has no rows in " + (sources.isEmpty()
            ? "an empty data set" : String.join(", ", sources)) + "; every class of " + classes + " needs examples");
      }
    }
    return out;
  }
}
