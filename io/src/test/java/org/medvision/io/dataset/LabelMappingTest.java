package org.medvision.io.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelMappingTest {
  private static final Path SRC = Path.of("/data/m.csv");

  private static Sample row(String label, int line) {
    return new Sample(Path.of("/data/" + line + ".png"), label, null, null, SRC, line);
  }

  @Test
  void threeClassAcceptsSynonymsAndCase() {
    LabelMapping m = LabelMapping.forSubtask("3class");
    assertEquals(List.of("normal", "ischemic", "hemorrhagic"), m.classes());
    assertEquals(0, m.classIndex("Non-Stroke", "x"));
    assertEquals(0, m.classIndex(" NORMAL ", "x"));
    assertEquals(1, m.classIndex("Ischemia", "x"));
    assertEquals(2, m.classIndex("hemorrhage", "x"));
    assertEquals(2, m.classIndex("Kanama", "x"));
    assertEquals(0, m.classIndex("\u0130nme Yok", "x"));
  }

  @Test
  void presenceMergesBothStrokeTypes() {
    LabelMapping m = LabelMapping.forSubtask("presence");
    assertEquals(0, m.classIndex("non_stroke", "x"));
    assertEquals(1, m.classIndex("ischemic", "x"));
    assertEquals(1, m.classIndex("Hemorrhagic", "x"));
    assertEquals(1, m.classIndex("stroke", "x"));
  }

  @Test
  void subtypeDropsNormalRowsAndKeepsOrder() {
    List<Sample> rows = List.of(row("normal", 2), row("Hemorrhage", 3), row("non-stroke", 4), row("ischemic", 5));
    List<Sample> out = LabelMapping.forSubtask("subtype").apply(rows);
    assertEquals(List.of("hemorrhagic", "ischemic"), out.stream().map(Sample::label).toList());
    assertEquals(List.of(3, 5), out.stream().map(Sample::line).toList());
  }

  @Test
  void unknownLabelNamesTheRowAndTheAcceptedLabels() {
    LabelMapping m = LabelMapping.forSubtask("3class");
    DatasetException e = assertThrows(DatasetException.class,
        () -> m.apply(List.of(row("normal", 2), row("tumour", 3))));
    assertTrue(e.getMessage().startsWith("/data/m.csv line 3: unknown label 'tumour'"), e.getMessage());
    assertTrue(e.getMessage().contains("accepted labels: normal, ischemic, hemorrhagic"), e.getMessage());
    // A bare "stroke" cannot be split into ischemic or hemorrhagic.
    assertThrows(DatasetException.class, () -> m.classIndex("stroke", "x"));
    assertTrue(assertThrows(DatasetException.class, () -> LabelMapping.forSubtask("4class")).getMessage()
        .contains("3class, presence, subtype"));
  }

  @Test
  void aClassWithoutRowsIsAnError() {
    DatasetException e = assertThrows(DatasetException.class,
        () -> LabelMapping.forSubtask("3class").apply(List.of(row("normal", 2), row("ischemic", 3))));
    assertTrue(e.getMessage().startsWith("class 'hemorrhagic' has no rows in /data/m.csv"), e.getMessage());
  }

  @Test
  void otherTasksMapTheirLabelsCaseInsensitively() {
    LabelMapping m = LabelMapping.of(List.of("Cardiomegaly", "Effusion"));
    assertEquals(1, m.classIndex("effusion", "x"));
    assertThrows(DatasetException.class, () -> m.classIndex("normal", "x"));
  }
}
