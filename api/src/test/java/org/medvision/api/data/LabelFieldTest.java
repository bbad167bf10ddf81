package org.medvision.api.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabelFieldTest {
  /** The ChestX-ray14 findings, written as the data set writes them, with "No Finding" ignored as written there. */
  private static final LabelField FINDINGS = new LabelField("labels", "labels", List.of("Atelectasis",
      "Cardiomegaly", "Effusion", "Infiltration", "Mass", "Nodule", "Pneumonia", "Pneumothorax", "Consolidation",
      "Edema", "Emphysema", "Fibrosis", "Pleural_Thickening", "Hernia"), Map.of(), Set.of("No Finding"), true, "|");

  @Test
  void ignoredLabelsMatchHoweverTheTaskWritesThem() {
    assertEquals(-1, FINDINGS.classIndex("No Finding"));
    assertEquals(-1, FINDINGS.classIndex(" no_finding "));
    assertEquals(Set.of("no-finding"), FINDINGS.ignored());
    assertTrue(FINDINGS.accepted().contains("left out: no-finding"), FINDINGS.accepted());
  }

  @Test
  void separatorsAndCaseDoNotMatterButOtherWordsDo() {
    assertEquals(12, FINDINGS.classIndex("Pleural Thickening"));
    assertEquals(12, FINDINGS.classIndex("pleural_thickening"));
    assertEquals(-2, FINDINGS.classIndex("Pleural Effusion"));
    assertEquals(-2, FINDINGS.classIndex("Nodules"));
  }
}
