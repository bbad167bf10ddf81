package org.medvision.tasks.covidsa;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medvision.api.data.LabelField;

/**
 * DSA-Net's classes and the spellings COVID-19/CAP data sets use for them. The order {@code cap, covid} makes
 * COVID-19 class index 1, the positive class of binary metrics, as the paper reports sensitivity for COVID-19.
 */
final class CovidDsaLabels {
  /** Community-acquired pneumonia. */
  static final String CAP = "cap";
  /** COVID-19 pneumonia. */
  static final String COVID = "covid";
  /** Classes in logit order. */
  static final List<String> CLASSES = List.of(CAP, COVID);

  /**
   * Canonical written labels ({@link LabelField#canonical}: lower case, spaces and {@code _} as {@code -}) and the
   * class each means. NCP ("novel coronavirus pneumonia") is the Chinese data sets' name for COVID-19; CP ("common
   * pneumonia") is CC-CCII's name for its non-COVID pneumonia class.
   */
  private static final Map<String, String> SYNONYMS = synonyms();

  private CovidDsaLabels() {}

  /** The label field, read from manifest column {@code label}. */
  static LabelField field() {
    return new LabelField("label", "label", CLASSES, SYNONYMS, Set.of(), false, "");
  }

  private static Map<String, String> synonyms() {
    Map<String, String> m = new LinkedHashMap<>();
    for (String s : List.of("COVID-19", "covid19", "NCP", "SARS-CoV-2")) {
      m.put(LabelField.canonical(s), COVID);
    }
    for (String s : List.of("CP", "pneumonia", "community-acquired pneumonia")) {
      m.put(LabelField.canonical(s), CAP);
    }
    return m;
  }
}
