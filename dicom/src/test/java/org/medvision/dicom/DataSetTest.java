package org.medvision.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The typed getters and setters of the data model, checked against hand-computed encodings. */
class DataSetTest {
  @Test
  void numbersAreEncodedAsThePs35Tables() {
    DataSet d = new DataSet();
    d.setInt(Tags.ROWS, 512).setInt(Tags.PIXEL_PADDING_VALUE, VR.SS, -2000).setLong(Tags.SIMPLE_FRAME_LIST, VR.UL,
        4_000_000_000L);
    assertArrayEquals(new byte[] {0, 2}, d.bytes(Tags.ROWS));
    assertArrayEquals(new byte[] {0x30, (byte) 0xF8}, d.bytes(Tags.PIXEL_PADDING_VALUE));
    assertEquals(-2000, d.getInt(Tags.PIXEL_PADDING_VALUE));
    assertEquals(4_000_000_000L, d.longs(Tags.SIMPLE_FRAME_LIST)[0]);
    assertThrows(DicomException.class, () -> d.getInt(Tags.SIMPLE_FRAME_LIST));
    assertThrows(DicomException.class, () -> d.setInt(Tags.COLUMNS, 70000));
    d.setDouble(Tags.PIXEL_SPACING, 0.48828125, 0.48828125);
    assertEquals("0.48828125\\0.48828125", new String(d.bytes(Tags.PIXEL_SPACING)).strip());
    d.setDouble(Tags.RESCALE_INTERCEPT, -1024).setDouble(Tags.RESCALE_SLOPE, 1.0 / 3);
    assertEquals("-1024", d.getString(Tags.RESCALE_INTERCEPT));
    assertTrue(d.getString(Tags.RESCALE_SLOPE).length() <= 16);
    assertEquals(1.0 / 3, d.getDouble(Tags.RESCALE_SLOPE), 1e-14);
    d.setDouble(Tags.IMAGE_POSITION_PATIENT, 1.0e-20, -123456789.123456789, 3);
    for (String value : d.strings(Tags.IMAGE_POSITION_PATIENT)) {
      assertTrue(value.length() <= 16, value);
    }
    assertEquals(-123456789.12346, d.doubles(Tags.IMAGE_POSITION_PATIENT)[1], 1e-9);
    d.setString(Tags.ITEM_NUMBER, " 42 ");
    assertEquals(42, d.getInt(Tags.ITEM_NUMBER));
    d.setDouble(Tags.TABLE_SPEED, 2.5);
    assertEquals(2.5, d.getDouble(Tags.TABLE_SPEED));
  }

  /** Regression: AT values are 4 bytes (two 16-bit halves); reading them with a 2-byte stride overran the value. */
  @Test
  void attributeTagValues() {
    DataSet d = new DataSet();
    d.setInt(Tags.FRAME_INCREMENT_POINTER, VR.AT, Tags.FRAME_TIME, Tags.IMAGE_POSITION_PATIENT);
    assertArrayEquals(new byte[] {0x18, 0, 0x63, 0x10, 0x20, 0, 0x32, 0}, d.bytes(Tags.FRAME_INCREMENT_POINTER));
    assertArrayEquals(new long[] {Tags.FRAME_TIME, Tags.IMAGE_POSITION_PATIENT}, d.longs(Tags.FRAME_INCREMENT_POINTER));
    assertEquals(List.of("(0018,1063)", "(0020,0032)"), d.strings(Tags.FRAME_INCREMENT_POINTER));
  }

  @Test
  void stringsSplitTrimAndPad() {
    DataSet d = new DataSet();
    d.setString(Tags.IMAGE_TYPE, "ORIGINAL", "PRIMARY", "AXIAL");
    assertEquals(List.of("ORIGINAL", "PRIMARY", "AXIAL"), d.strings(Tags.IMAGE_TYPE));
    assertEquals(22, d.bytes(Tags.IMAGE_TYPE).length);
    d.setString(Tags.SOP_INSTANCE_UID, "1.2.3");
    assertArrayEquals(new byte[] {'1', '.', '2', '.', '3', 0}, d.bytes(Tags.SOP_INSTANCE_UID));
    d.setString(Tags.IMAGE_COMMENTS, "a\\b is one value ");
    assertEquals("a\\b is one value", d.getString(Tags.IMAGE_COMMENTS));
    assertThrows(DicomException.class, () -> d.setString(Tags.MODALITY, "C\\T"));
    assertThrows(DicomException.class, () -> d.setString(Tags.IMAGE_COMMENTS, "a", "b"));
    DicomException missing = assertThrows(DicomException.class, () -> d.getString(Tags.PATIENT_NAME));
    assertTrue(missing.getMessage().contains("(0010,0010) PatientName"), missing.getMessage());
    assertEquals("fallback", d.getString(Tags.PATIENT_NAME, "fallback"));
    assertFalse(d.string(Tags.PATIENT_NAME).isPresent());
  }

  @Test
  void sequencesAndCopies() {
    DataSet d = new DataSet();
    d.setString(Tags.SPECIFIC_CHARACTER_SET, "ISO_IR 192");
    DataSet item = d.addItem(Tags.REFERENCED_IMAGE_SEQUENCE);
    item.setString(Tags.REFERENCED_SOP_INSTANCE_UID, "1.2.3.4");
    item.setString(Tags.PATIENT_NAME, "Ünal");
    assertEquals("Ünal", d.sequence(Tags.REFERENCED_IMAGE_SEQUENCE).get(0).getString(Tags.PATIENT_NAME));
    assertEquals(d, d.copy());
    DataSet copy = d.copy();
    copy.sequence(Tags.REFERENCED_IMAGE_SEQUENCE).get(0).remove(Tags.PATIENT_NAME);
    assertTrue(d.sequence(Tags.REFERENCED_IMAGE_SEQUENCE).get(0).contains(Tags.PATIENT_NAME));
    assertFalse(d.equals(copy));
    assertThrows(DicomException.class, () -> d.addItem(Tags.SPECIFIC_CHARACTER_SET));
  }

  @Test
  void tagsAndVrs() {
    assertEquals("(0029,1008)", Tag.toString(0x00291008));
    assertEquals(0x00291008, Tag.parse("(0029,1008)"));
    assertEquals(0x00290010, Tag.privateCreatorOf(0x00291008));
    assertTrue(Tag.isPrivateCreator(0x00290010));
    assertFalse(Tag.isPrivate(Tags.PATIENT_NAME));
    assertTrue(VR.OB.isLongLength() && VR.UT.isLongLength() && !VR.US.isLongLength());
    assertEquals(0, VR.UI.paddingByte());
    assertEquals(' ', VR.PN.paddingByte());
    assertEquals(VR.PN, DicomDictionary.standard().vrOf(Tags.PATIENT_NAME));
    assertEquals(VR.LO, DicomDictionary.standard().vrOf(0x00290010));
    assertEquals(VR.UN, DicomDictionary.standard().vrOf(0x00291008));
    assertEquals("OverlayData", DicomDictionary.standard().keyword(0x60023000));
  }

  @Test
  void tagsConstantsMatchTheDictionary() throws IllegalAccessException {
    int checked = 0;
    for (java.lang.reflect.Field field : Tags.class.getFields()) {
      int tag = field.getInt(null);
      DicomDictionary.Entry entry = DicomDictionary.standard().entry(tag).orElseThrow();
      String expected = entry.keyword().replaceAll("(?<=[a-z0-9])(?=[A-Z])", "_")
          .replaceAll("(?<=[A-Z])(?=[A-Z][a-z])", "_").toUpperCase(java.util.Locale.ROOT);
      assertEquals(expected, field.getName());
      checked++;
    }
    assertEquals(DicomDictionary.standard().entries().size() - 3, checked, "every non-delimiter entry has a constant");
  }

  @Test
  void uids() {
    String a = Uids.create();
    String b = Uids.create();
    assertTrue(a.startsWith("2.25.") && Uids.isValid(a) && a.length() <= 44, a);
    assertFalse(a.equals(b));
    assertEquals("2.25.0", Uids.fromUuid(new java.util.UUID(0, 0)));
    assertEquals("2.25.329800735698586629295641978511506172918",
        Uids.fromUuid(java.util.UUID.fromString("f81d4fae-7dec-11d0-a765-00a0c91e6bf6")));
    assertTrue(Uids.isValid(Uids.IMPLEMENTATION_CLASS_UID));
    assertFalse(Uids.isValid("1.02.3"));
  }
}
