package org.medvision.tasks.strokenext;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medvision.api.data.LabelField;

/**
 * StrokeNeXt's classes per subtask and the vocabulary of stroke data sets: folder and label spellings such as
 * {@code Non-Stroke}, {@code Ischemia}, {@code Haemorrhage} and the public data set's Turkish names ({@code İnme Yok},
 * {@code İskemi}, {@code Kanama}, {@code İnme}).
 */
final class StrokeNextLabels {
  /** Subtask to classes, in logit order. */
  static final Map<String, List<String>> SUBTASKS = Map.of(
      "3class", List.of("normal", "ischemic", "hemorrhagic"),
      "presence", List.of("normal", "stroke"),
      "subtype", List.of("ischemic", "hemorrhagic"));

  private static final List<String> NORMAL = List.of("normal", "non-stroke", "nonstroke", "no-stroke", "inme-yok");
  private static final List<String> ISCHEMIC = List.of("ischemic", "ischemia", "ischaemic", "ischaemia", "iskemi");
  private static final List<String> HEMORRHAGIC = List.of("hemorrhagic", "hemorrhage", "haemorrhagic", "haemorrhage",
      "kanama");

  private StrokeNextLabels() {}

  /** The label field of {@code subtask}, read from manifest column {@code label}. */
  static LabelField field(String subtask) {
    List<String> classes = SUBTASKS.get(subtask);
    Map<String, String> synonyms = new LinkedHashMap<>();
    Set<String> ignored = new LinkedHashSet<>();
    boolean presence = classes.contains("stroke");
    add(synonyms, ignored, classes, NORMAL, "normal");
    add(synonyms, ignored, classes, ISCHEMIC, presence ? "stroke" : "ischemic");
    add(synonyms, ignored, classes, HEMORRHAGIC, presence ? "stroke" : "hemorrhagic");
    if (presence) {
      synonyms.put("inme", "stroke");
    }
    return new LabelField("label", "label", classes, synonyms, ignored, false, "");
  }

  /** Maps every spelling to {@code target}, or marks them left out when the subtask has no such class. */
  private static void add(Map<String, String> synonyms, Set<String> ignored, List<String> classes,
      List<String> spellings, String target) {
    for (String s : spellings) {
      if (classes.contains(target)) {
        if (!s.equals(target)) {
          synonyms.put(s, target);
        }
      } else {
        ignored.add(s);
      }
    }
  }
}
