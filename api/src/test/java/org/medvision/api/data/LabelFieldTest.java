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
  private static final LabelField FINDINGS = new LabelField("labels", "labels",
      List.of("Atelectasis", "Effusion", "Pleural_Thickening"), Map.of("pleural-effusion", "Effusion"),
      Set.of("no-finding"), true, "|");

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
