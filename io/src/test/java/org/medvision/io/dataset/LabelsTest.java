package org.medvision.io.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.medvision.api.data.LabelField;

/** {@link Labels#apply} and the label matching of {@link LabelField} it relies on. */
class LabelsTest {
  private static final Path SRC = Path.of("/data/m.csv");
  private static final List<String> CLASSES = List.of("normal", "ischemic", "hemorrhagic");

  /** Three classes; "Non-Stroke" and "bleed" are synonyms, "unclear" is left out. */
  private static final LabelField FIELD = new LabelField("label", "diagnosis", CLASSES,
      Map.of("non-stroke", "normal", "bleed", "hemorrhagic"), Set.of("unclear"), false, "");

  private static Sample row(String written, int line) {
    Map<String, String> values = new HashMap<>();
    values.put("path", "/data/" + line + ".png");
    if (written != null) {
      values.put("diagnosis", written);
    }
    return new Sample("/data/" + line + ".png", values, null, null, null, SRC, line);
  }

  @Test
  void writtenLabelsMatchIgnoringCaseSpacesAndSeparatorsAndThroughSynonyms() {
    assertEquals(0, FIELD.classIndex(" NORMAL "));
    assertEquals(0, FIELD.classIndex("Non Stroke"));
    assertEquals(0, FIELD.classIndex("non_stroke"));
    assertEquals(1, FIELD.classIndex("Ischemic"));
    assertEquals(2, FIELD.classIndex("BLEED"));
    // Lower-casing the Turkish dotted capital I must not leave a combining dot behind.
    LabelField turkish = LabelField.single("label", "label", List.of("inme"));
    assertEquals(0, turkish.classIndex("\u0130nme"));
    assertEquals(-1, FIELD.classIndex("Unclear"));
    assertEquals(-2, FIELD.classIndex("tumour"));
  }

  @Test
  void rowsGetTheClassNameAndKeepTheirCellsAndOrder() {
    List<Sample> out = Labels.apply(List.of(row("Non-Stroke", 2), row("bleed", 3), row("ischemic", 4)), FIELD);
    assertEquals(List.of("normal", "hemorrhagic", "ischemic"), out.stream().map(Sample::label).toList());
    assertEquals(List.of(2, 3, 4), out.stream().map(Sample::line).toList());
    assertEquals("bleed", out.get(1).value("diagnosis"));
  }

  @Test
  void ignoredLabelsDropTheirRowsKeepingTheOthersInOrder() {
    List<Sample> rows = List.of(row("normal", 2), row("unclear", 3), row("hemorrhagic", 4), row("UNCLEAR", 5),
        row("ischemic", 6));
    List<Sample> out = Labels.apply(rows, FIELD);
    assertEquals(List.of(2, 4, 6), out.stream().map(Sample::line).toList());
  }

  @Test
  void unknownOrMissingLabelNamesTheRowAndTheAcceptedLabels() {
    DatasetException e = assertThrows(DatasetException.class,
        () -> Labels.apply(List.of(row("normal", 2), row("tumour", 3)), FIELD));
    assertTrue(e.getMessage().startsWith("/data/m.csv line 3: unknown diagnosis 'tumour' for classes "
        + "[normal, ischemic, hemorrhagic]"), e.getMessage());
    assertTrue(e.getMessage().contains("accepted: normal, ischemic, hemorrhagic (synonyms: "), e.getMessage());
    assertTrue(e.getMessage().contains("non-stroke = normal") && e.getMessage().contains("bleed = hemorrhagic")
        && e.getMessage().contains("left out: unclear"), e.getMessage());
    e = assertThrows(DatasetException.class, () -> Labels.apply(List.of(row(null, 7)), FIELD));
    assertTrue(e.getMessage().startsWith("/data/m.csv line 7: no diagnosis; every row needs one of normal"),
        e.getMessage());
  }

  @Test
  void aClassWithoutRowsIsAnErrorNamingTheClassAndTheSource() {
    DatasetException e = assertThrows(DatasetException.class,
        () -> Labels.apply(List.of(row("normal", 2), row("ischemic", 3), row("unclear", 4)), FIELD));
    assertEquals("class 'hemorrhagic' has no rows in /data/m.csv; every class of [normal, ischemic, hemorrhagic] "
        + "needs examples", e.getMessage());
  }

  @Test
  void fieldDeclarationsAreChecked() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LabelField("label",
        "label", CLASSES, Map.of("bleed", "haemorrhage"), Set.of(), false, ""));
    assertTrue(e.getMessage().contains("synonym target 'haemorrhage' is not one of [normal, ischemic, hemorrhagic]"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> LabelField.single("label", "label", List.of()));
    assertThrows(IllegalArgumentException.class, () -> LabelField.single("Label", "label", CLASSES));
  }
}
