package org.medvision.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabelFieldTest {
  /** The ChestX-ray14 findings, written as the data set writes them, with "No Finding" ignored as written there. */
  private static final LabelField CHESTXRAY14 = new LabelField("labels", "labels", List.of("Atelectasis",
      "Cardiomegaly", "Effusion", "Infiltration", "Mass", "Nodule", "Pneumonia", "Pneumothorax", "Consolidation",
      "Edema", "Emphysema", "Fibrosis", "Pleural_Thickening", "Hernia"), Map.of(), Set.of("No Finding"), true, "|");
  /** A few findings with a synonym whose target is written with a capital, as class names are. */
  private static final LabelField FINDINGS = new LabelField("labels", "labels",
      List.of("Atelectasis", "Effusion", "Pleural_Thickening"), Map.of("pleural-effusion", "Effusion"),
      Set.of("no-finding"), true, "|");

  @Test
  void ignoredLabelsMatchHoweverTheTaskWritesThem() {
    assertEquals(-1, CHESTXRAY14.classIndex("No Finding"));
    assertEquals(-1, CHESTXRAY14.classIndex(" no_finding "));
    assertEquals(Set.of("no-finding"), CHESTXRAY14.ignored());
    assertTrue(CHESTXRAY14.accepted().contains("left out: no-finding"), CHESTXRAY14.accepted());
  }

  @Test
  void separatorsAndCaseDoNotMatterButOtherWordsDo() {
    assertEquals(12, CHESTXRAY14.classIndex("Pleural Thickening"));
    assertEquals(12, CHESTXRAY14.classIndex("pleural_thickening"));
    assertEquals(-2, CHESTXRAY14.classIndex("Pleural Effusion"));
    assertEquals(-2, CHESTXRAY14.classIndex("Nodules"));
  }

  @Test
  void multiLabelCellsNameClassesThroughCaseSpacesAndSynonyms() {
    assertArrayEquals(new int[] {0, 2}, FINDINGS.classIndices("Pleural Thickening|atelectasis"));
    assertArrayEquals(new int[] {1}, FINDINGS.classIndices("Pleural Effusion|Effusion"));
    assertArrayEquals(new int[0], FINDINGS.classIndices("No Finding"));
    assertArrayEquals(new int[] {0}, FINDINGS.classIndices("Atelectasis||"));
    assertEquals(1, FINDINGS.classIndex("PLEURAL_EFFUSION"));
  }

  @Test
  void anUnknownLabelIsNamedWithTheAcceptedOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FINDINGS.classIndices("Effusion|Pneumonitis"));
    assertTrue(e.getMessage().contains("'Pneumonitis'") && e.getMessage().contains("Pleural_Thickening"),
        e.getMessage());
  }

  @Test
  void aSingleLabelCellIsOneClassEvenWithTheSeparatorInIt() {
    LabelField single = LabelField.single("label", "label", List.of("a|b", "c"));
    assertArrayEquals(new int[] {0}, single.classIndices("a|b"));
  }
}
