package org.medvision.api.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.medvision.api.task.ImagePreprocessing;

class DataSchemaTest {
  private static final ImagePreprocessing PREP = new ImagePreprocessing(1, 64, 64, new float[] {0}, new float[] {1});
  private static final VolumeField CT = new VolumeField("ct", "ct", new VolumePreprocessing("lung", 10, -1200, 600,
      Double.NaN, new int[] {32, 64, 64}), true);
  private static final MaskField LUNG = new MaskField("lung", "lung", "ct", null, 0.5, null, true);
  private static final MaskField LESION = new MaskField("lesion", "lesion", "ct", new int[] {2, 2, 2}, 0.5, null,
      false);
  private static final LabelField LABEL = LabelField.single("label", "label", List.of("normal", "covid"));
  private static final AttributeField SIZE = AttributeField.maskRatio("infection", "lesion", "lung");

  private static String invalid(List<Field> fields, Map<String, String> inputs, String stratifyBy) {
    return assertThrows(IllegalArgumentException.class, () -> new DataSchema(fields, inputs, stratifyBy))
        .getMessage();
  }

  @Test
  void referencesMustPointAtFieldsOfTheRightKind() {
    assertEquals("field 'ct' is declared twice", invalid(List.of(CT, LUNG, CT), Map.of(), ""));
    assertEquals("mask 'lung' is aligned to 'ct', which is not an image or volume field",
        invalid(List.of(LUNG), Map.of(), ""));
    assertEquals("mask 'lesion' is aligned to 'label', which is not an image or volume field",
        invalid(List.of(LABEL, new MaskField("lesion", "m", "label", null, 0.5, null, false)), Map.of(), ""));
    assertEquals("volume 'ct' is cropped to 'lung', which is not a mask field",
        invalid(List.of(CT, new TextField("lung", "lung", false)), Map.of(), ""));
    ImageField followUp = new ImageField("follow_up", "b", PREP, Windowing.file(), "label", true);
    assertEquals("image 'follow_up' is paired with 'label', which is not an image field",
        invalid(List.of(LABEL, followUp), Map.of(), ""));
    assertEquals("attribute 'infection' is a ratio of 'lesion' and 'lung', which must both be mask fields",
        invalid(List.of(CT, LUNG, SIZE), Map.of(), ""));
    assertEquals("graph input 'volume' reads 'scan', which is no field",
        invalid(List.of(CT, LUNG), Map.of("volume", "scan"), ""));
    assertEquals("splits are stratified by 'findings', which is not a single-label field",
        invalid(List.of(new LabelField("findings", "f", List.of("a", "b"), Map.of(), Set.of(), true, "|")), Map.of(),
            "findings"));
    assertEquals("splits are stratified by 'label', which is not a single-label field",
        invalid(List.of(CT, LUNG), Map.of(), "label"));
  }

  @Test
  void fieldDeclarationsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new TextField("Report", "r", false));
    assertThrows(IllegalArgumentException.class, () -> new TextField("2d", "r", false));
    assertEquals("attribute 'x': a ratio needs both mask fields",
        assertThrows(IllegalArgumentException.class, () -> new AttributeField("x", "x", "lesion", null))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> new MaskField("m", "m", "ct", null, 0, null, false));
    assertThrows(IllegalArgumentException.class, () -> new MaskField("m", "m", "ct", null, 1.5, null, false));
    assertThrows(IllegalArgumentException.class, () -> new BagField("bag", "bag", ImageField.of("i", "", PREP,
        Windowing.file()), 0));
    assertThrows(IllegalArgumentException.class, () -> new VolumePreprocessing("", 0, 0, 1, Double.NaN,
        new int[] {32, 64}));
    assertThrows(IllegalArgumentException.class, () -> new VolumePreprocessing("", -1, 0, 1, Double.NaN,
        new int[] {32, 64, 64}));
    assertThrows(IllegalArgumentException.class, () -> new VolumePreprocessing("", 0, 600, -1200, Double.NaN,
        new int[] {32, 64, 64}));
    assertThrows(IllegalArgumentException.class, () -> new VolumePreprocessing("", 0, 0, 0, 0, new int[] {1, 1, 1}));
    // With a percentile the clip range is not used.
    assertEquals(99.5, new VolumePreprocessing("", 0, 0, 0, 99.5, new int[] {1, 1, 1}).percentile());
    assertThrows(IllegalArgumentException.class, () -> Windowing.fixed(40, 0));
    assertEquals("40/80", Windowing.fixed(40, 80).toString());
    assertEquals("file", Windowing.file().toString());
  }

  @Test
  void inputFieldsAreWhatTheGraphReadsAndWhatItsPreprocessingNeeds() {
    DataSchema s = new DataSchema(List.of(CT, LUNG, LESION, LABEL, SIZE), Map.of("volume", "ct"), "label");
    // The crop mask comes along; the lesion target, the label and the attribute do not.
    assertEquals(List.of("ct", "lung"), List.copyOf(s.inputFields()));
    assertSame(CT, s.primaryInput());
    // An input reading a derived key (lesion.present) needs its field; order is declaration order.
    DataSchema withPresence = new DataSchema(List.of(CT, LUNG, LESION, LABEL), Map.of("has_lesion",
        "lesion.present", "volume", "ct"), "label");
    assertEquals(List.of("ct", "lung", "lesion"), List.copyOf(withPresence.inputFields()));
    // A paired image brings its partner.
    ImageField before = ImageField.of("before", "a", PREP, Windowing.fixed(40, 80));
    ImageField after = new ImageField("after", "b", PREP, Windowing.fixed(40, 80), "before", true);
    DataSchema pair = new DataSchema(List.of(before, after, LABEL), Map.of("image", "after"), "label");
    assertEquals(List.of("before", "after"), List.copyOf(pair.inputFields()));
    assertSame(before, pair.primaryInput());
    assertEquals("lesion", DataSchema.baseField("lesion.present"));
    assertEquals("ct", DataSchema.baseField("ct"));
  }

  @Test
  void aSchemaWithoutImageOrVolumeInputsHasNoPrimaryInput() {
    TextField report = new TextField("report", "report", true);
    DataSchema s = new DataSchema(List.of(report, LABEL), Map.of("text", "report"), "label");
    assertEquals(Set.of("report"), s.inputFields());
    IllegalStateException e = assertThrows(IllegalStateException.class, s::primaryInput);
    assertEquals("the schema has no image or volume input", e.getMessage());
  }

  @Test
  void lookupsByNameAndKind() {
    DataSchema s = new DataSchema(List.of(CT, LUNG, LESION, LABEL, SIZE), Map.of("volume", "ct"), null);
    assertEquals("", s.stratifyBy());
    assertTrue(s.labels().isEmpty());
    assertEquals(List.of(LUNG, LESION), s.fields(MaskField.class));
    assertSame(SIZE, s.field("infection").orElseThrow());
    assertFalse(s.field("spleen").isPresent());
    DataSchema stratified = new DataSchema(List.of(CT, LUNG, LABEL), Map.of("volume", "ct"), "label");
    assertSame(LABEL, stratified.labels().orElseThrow());
    assertTrue(SIZE.derived());
    assertFalse(SIZE.required());
    assertEquals("infection", SIZE.column());
  }
}
