package org.medvision.tasks.strokenext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.medvision.api.data.LabelField;

/** The stroke data sets' label vocabulary, as StrokeNeXt's label field reads it per subtask. */
class StrokeNextLabelsTest {
  @Test
  void threeClassAcceptsSynonymsCaseAndTheTurkishNames() {
    LabelField f = StrokeNextLabels.field("3class");
    assertEquals(List.of("normal", "ischemic", "hemorrhagic"), f.classes());
    assertEquals(0, f.classIndex("Non-Stroke"));
    assertEquals(0, f.classIndex(" NORMAL "));
    assertEquals(1, f.classIndex("Ischemia"));
    assertEquals(2, f.classIndex("hemorrhage"));
    assertEquals(2, f.classIndex("Kanama"));
    assertEquals(0, f.classIndex("\u0130nme Yok"));
    assertEquals(1, f.classIndex("\u0130skemi"));
    // A bare "stroke" cannot be split into ischemic or hemorrhagic: unknown, not left out.
    assertEquals(-2, f.classIndex("stroke"));
    assertEquals(-2, f.classIndex("tumour"));
  }

  @Test
  void presenceMergesBothStrokeTypes() {
    LabelField f = StrokeNextLabels.field("presence");
    assertEquals(List.of("normal", "stroke"), f.classes());
    assertEquals(0, f.classIndex("non_stroke"));
    assertEquals(1, f.classIndex("ischemic"));
    assertEquals(1, f.classIndex("Hemorrhagic"));
    assertEquals(1, f.classIndex("Haemorrhage"));
    assertEquals(1, f.classIndex("stroke"));
    assertEquals(1, f.classIndex("\u0130nme"));
  }

  @Test
  void subtypeLeavesNormalRowsOut() {
    LabelField f = StrokeNextLabels.field("subtype");
    assertEquals(List.of("ischemic", "hemorrhagic"), f.classes());
    assertEquals(-1, f.classIndex("normal"));
    assertEquals(-1, f.classIndex("Non-Stroke"));
    assertEquals(-1, f.classIndex("\u0130nme Yok"));
    assertEquals(1, f.classIndex("hemorrhage"));
    assertTrue(f.accepted().contains("left out"), f.accepted());
  }
}
