package org.medvision.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.dicom.testing.Bytes;
import org.medvision.dicom.testing.Corpus;

/**
 * Every kind of malformed input gives a DicomException naming the source, the tag and the byte offset, in the default
 * lenient mode; the rule breaks that dcmtk and gdcm read past are errors only in strict mode and warnings otherwise.
 */
class BadInputTest {
  private static final String EXPLICIT_LE = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid();

  private static DicomParseException parseError(byte[] bytes) {
    return assertThrows(DicomParseException.class, () -> new DicomReader().read(bytes, "case"));
  }

  private static DicomParseException strictError(byte[] bytes) {
    return assertThrows(DicomParseException.class,
        () -> new DicomReader(DicomReadOptions.STRICT).read(bytes, "case"));
  }

  /** The one warning of a lenient read, checked for the same tag, offset and problem as the strict error. */
  private static DicomFile lenientWithWarning(byte[] bytes, int tag, long offset, String problem, String assumed) {
    DicomFile file = new DicomReader().read(bytes, "case");
    assertEquals(1, file.warnings().size(), file.warnings().toString());
    DicomReadWarning warning = file.warnings().get(0);
    assertEquals(tag, warning.tag(), warning.toString());
    assertEquals(offset, warning.offset(), warning.toString());
    assertTrue(warning.toString().startsWith("memory:case: " + problem), warning.toString());
    assertTrue(warning.toString().contains("offset " + offset + "; ") && warning.assumption().contains(assumed),
        warning.toString());
    return file;
  }

  private static void assertNames(DicomParseException e, int tag, long offset, String problem) {
    assertTrue(e.getMessage().startsWith("memory:case: "), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
    assertEquals(tag, e.tag(), e.getMessage());
    assertEquals(offset, e.offset(), e.getMessage());
    assertTrue(e.getMessage().endsWith("offset " + offset), e.getMessage());
  }

  @Test
  void lengthPastTheEndNamesTagAndOffset() {
    Bytes b = Bytes.part10(EXPLICIT_LE);
    int at = b.toArray().length;
    byte[] bytes = b.header(Tags.PATIENT_NAME, "PN", 200).raw("Doe^J".getBytes()).toArray();
    assertNames(parseError(bytes), Tags.PATIENT_NAME, at, "value length 200 goes past the end of the file");
  }

  @Test
  void absurdLengthIsRejectedBeforeAllocating() {
    Bytes b = Bytes.part10(EXPLICIT_LE);
    int at = b.toArray().length;
    byte[] bytes = b.header(0x00091010, "OB", 0xFFFFFFF0L).raw(new byte[16]).toArray();
    assertNames(parseError(bytes), 0x00091010, at, "value length 4294967280 goes past the end");
  }

  @Test
  void oddLengthIsAWarningUnlessStrict() {
    Bytes b = Bytes.part10(EXPLICIT_LE);
    int at = b.toArray().length;
    byte[] bytes = b.string(Tags.PATIENT_ID, "LO", "ABC").string(Tags.PATIENT_SEX, "CS", "O ").toArray();
    assertNames(strictError(bytes), Tags.PATIENT_ID, at, "odd value length 3");
    DicomFile lenient = lenientWithWarning(bytes, Tags.PATIENT_ID, at, "odd value length 3", "as given");
    assertEquals("ABC", lenient.dataSet().getString(Tags.PATIENT_ID));
    assertEquals("O", lenient.dataSet().getString(Tags.PATIENT_SEX));
  }

  @Test
  void strictComesFromTheSystemPropertyForReadersWithoutOptions() {
    byte[] bytes = Bytes.part10(EXPLICIT_LE).string(Tags.PATIENT_ID, "LO", "ABC").toArray();
    String before = System.getProperty(DicomReadOptions.STRICT_PROPERTY);
    System.setProperty(DicomReadOptions.STRICT_PROPERTY, "true");
    try {
      assertTrue(DicomReadOptions.processDefault().strict());
      assertThrows(DicomParseException.class, () -> new DicomReader().read(bytes, "case"));
    } finally {
      if (before == null) {
        System.clearProperty(DicomReadOptions.STRICT_PROPERTY);
      } else {
        System.setProperty(DicomReadOptions.STRICT_PROPERTY, before);
      }
    }
    assertEquals(1, new DicomReader().read(bytes, "case").warnings().size());
  }

  @Test
  void warningsStopGrowingAtTheLimit() {
    Bytes b = Bytes.part10(EXPLICIT_LE);
    for (int i = 0; i < 150; i++) {
      b.string(0x00091000 + i, "LO", "ABC");
    }
    List<DicomReadWarning> warnings = new DicomReader().read(b.toArray(), "case").warnings();
    assertEquals(ReadWarnings.LIMIT + 1, warnings.size());
    assertTrue(warnings.get(ReadWarnings.LIMIT).problem().startsWith("50 more"), warnings.get(100).toString());
  }

  @Test
  void undefinedLengthWhereNotAllowed() {
    Bytes b = Bytes.part10(EXPLICIT_LE);
    int at = b.toArray().length;
    byte[] bytes = b.tag(Tags.ROWS).raw("UL".getBytes()).u16(0xFFFF).u32(0).tag(Tags.COLUMNS).toArray();
    // UL has a 16-bit length, so try a long-form VR that is not SQ, UN or pixel data.
    Bytes c = Bytes.part10(EXPLICIT_LE);
    int at2 = c.toArray().length;
    byte[] text = c.header(Tags.IMAGE_COMMENTS, "UT", 0xFFFFFFFFL).raw(new byte[8]).toArray();
    assertNames(parseError(text), Tags.IMAGE_COMMENTS, at2, "undefined length is not allowed for VR UT");
    assertTrue(at > 0 && bytes.length > at);
  }

  @Test
  void truncatedFilesFailAtEveryCut() throws IOException {
    byte[] whole = Files.readAllBytes(Corpus.pydicom("CT_small.dcm"));
    long pixelOffset = DicomReader.readFile(Corpus.pydicom("CT_small.dcm")).dataSet().bulkData(Tags.PIXEL_DATA)
        .orElseThrow().offset();
    List<DataElement> all = List.copyOf(DicomReader.readFile(Corpus.pydicom("CT_small.dcm")).dataSet().elements());
    int failures = 0;
    for (int cut = 140; cut < pixelOffset; cut += 97) {
      byte[] part = Arrays.copyOf(whole, cut);
      try {
        // A cut that falls exactly between two elements leaves a shorter, valid data set: it must be a prefix.
        List<DataElement> read = List.copyOf(new DicomReader().read(part, "case").dataSet().elements());
        assertEquals(all.subList(0, read.size()), read, "cut at " + cut);
      } catch (DicomParseException e) {
        failures++;
        assertTrue(e.getMessage().startsWith("memory:case: ") && e.getMessage().contains("offset"), e.getMessage());
        assertTrue(e.offset() <= cut, e.getMessage());
      }
    }
    assertTrue(failures > 20, "most cuts fall inside an element: " + failures);
  }

  @Test
  void nestingDeeperThanTheLimit() {
    DataSet root = new DataSet();
    root.setString(Tags.SOP_CLASS_UID, VR.UI, Uids.SECONDARY_CAPTURE_IMAGE_STORAGE);
    root.setString(Tags.SOP_INSTANCE_UID, VR.UI, Uids.create());
    DataSet level = root;
    for (int i = 0; i < 40; i++) {
      level = level.addItem(Tags.CONTENT_SEQUENCE);
      level.setString(Tags.VALUE_TYPE, VR.CS, "CONTAINER");
    }
    byte[] bytes = new DicomWriter().toBytes(root);
    DicomParseException e = parseError(bytes);
    assertEquals(Tags.CONTENT_SEQUENCE, e.tag());
    assertTrue(e.getMessage().contains("nested deeper than the limit of 32"), e.getMessage());
    DicomFile deep = new DicomReader(DicomReadOptions.DEFAULTS.withMaxNestingDepth(64)).read(bytes, "case");
    assertEquals(1, deep.dataSet().sequence(Tags.CONTENT_SEQUENCE).size());
  }

  @Test
  void deflateBombStopsAtTheLimit() throws IOException {
    Bytes b = Bytes.part10(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN.uid());
    int at = b.toArray().length;
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (DeflaterOutputStream out = new DeflaterOutputStream(compressed, new Deflater(9, true))) {
      byte[] header = new Bytes().header(0x00091010, "OB", 64L << 20).toArray();
      out.write(header);
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 64; i++) {
        out.write(zeros);
      }
    }
    byte[] bytes = b.raw(compressed.toByteArray()).toArray();
    assertTrue(bytes.length < 200_000, "the bomb is small: " + bytes.length);
    DicomParseException e = assertThrows(DicomParseException.class,
        () -> new DicomReader(DicomReadOptions.DEFAULTS.withMaxInflatedBytes(8 << 20)).read(bytes, "case"));
    assertNames(e, -1, at, "deflated data set expands beyond the limit of 8388608 bytes");
  }

  @Test
  void lyingBasicOffsetTableIsIgnoredUnlessStrict() {
    Bytes b = Bytes.part10(TransferSyntax.RLE_LOSSLESS.uid());
    int at = b.toArray().length;
    b.header(Tags.PIXEL_DATA, "OB", 0xFFFFFFFFL);
    b.tag(Tag.ITEM).u32(8).u32(0).u32(6);
    b.tag(Tag.ITEM).u32(10).raw(new byte[10]);
    b.tag(Tag.ITEM).u32(4).raw(new byte[4]);
    b.tag(Tag.SEQUENCE_DELIMITATION).u32(0);
    String problem = "Basic Offset Table entry 1 (6) does not point at the start of a fragment";
    assertNames(strictError(b.toArray()), Tags.PIXEL_DATA, at + 12, problem);
    DicomFile lenient = lenientWithWarning(b.toArray(), Tags.PIXEL_DATA, at + 12, problem, "ignored the Basic Offset");
    BulkData pixels = lenient.dataSet().bulkData(Tags.PIXEL_DATA).orElseThrow();
    assertEquals(0, pixels.basicOffsetTable().length);
    assertEquals(2, pixels.fragments().size());
  }

  @Test
  void decreasingBasicOffsetTableIsIgnoredUnlessStrict() {
    Bytes b = Bytes.part10(TransferSyntax.RLE_LOSSLESS.uid());
    int at = b.toArray().length;
    b.header(Tags.PIXEL_DATA, "OB", 0xFFFFFFFFL);
    b.tag(Tag.ITEM).u32(8).u32(18).u32(0);
    b.tag(Tag.ITEM).u32(10).raw(new byte[10]);
    b.tag(Tag.ITEM).u32(4).raw(new byte[4]);
    b.tag(Tag.SEQUENCE_DELIMITATION).u32(0);
    String problem = "Basic Offset Table entry 1 (0) does not increase";
    assertNames(strictError(b.toArray()), Tags.PIXEL_DATA, at + 12, problem);
    lenientWithWarning(b.toArray(), Tags.PIXEL_DATA, at + 12, problem, "fragments or codestream markers");
  }

  @Test
  void truthfulOffsetTableIsRecorded() {
    Bytes b = Bytes.part10(TransferSyntax.RLE_LOSSLESS.uid());
    b.header(Tags.PIXEL_DATA, "OB", 0xFFFFFFFFL);
    b.tag(Tag.ITEM).u32(8).u32(0).u32(18);
    int firstFragment = b.toArray().length + 8;
    b.tag(Tag.ITEM).u32(10).raw(new byte[10]);
    b.tag(Tag.ITEM).u32(4).raw(new byte[] {1, 2, 3, 4});
    b.tag(Tag.SEQUENCE_DELIMITATION).u32(0);
    BulkData pixels = new DicomReader().read(b.toArray(), "case").dataSet().bulkData(Tags.PIXEL_DATA).orElseThrow();
    assertEquals(List.of(new BulkData.Fragment(firstFragment, 10), new BulkData.Fragment(firstFragment + 18, 4)),
        pixels.fragments());
    assertEquals(List.of(0L, 18L), Arrays.stream(pixels.basicOffsetTable()).boxed().toList());
    assertEquals(List.of((byte) 1, (byte) 2, (byte) 3, (byte) 4),
        List.of(pixels.readFragment(1)[0], pixels.readFragment(1)[1], pixels.readFragment(1)[2],
            pixels.readFragment(1)[3]));
  }

  @Test
  void missingTransferSyntaxIsDetectedUnlessStrict() {
    Bytes b = Bytes.part10(null);
    byte[] bytes = b.string(Tags.PATIENT_ID, "LO", "AB").toArray();
    String problem = "file meta information has no Transfer Syntax UID";
    assertNames(strictError(bytes), Tags.TRANSFER_SYNTAX_UID, 132, problem);
    DicomFile lenient = lenientWithWarning(bytes, Tags.TRANSFER_SYNTAX_UID, 132, problem,
        "detected " + EXPLICIT_LE);
    assertEquals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, lenient.transferSyntax());
    assertEquals("AB", lenient.dataSet().getString(Tags.PATIENT_ID));
  }

  @Test
  void unsupportedTransferSyntax() {
    byte[] bytes = Bytes.part10("1.2.3.4.5.6").string(Tags.PATIENT_ID, "LO", "AB").toArray();
    UnsupportedTransferSyntaxException e = assertThrows(UnsupportedTransferSyntaxException.class,
        () -> new DicomReader().read(bytes, "case"));
    assertTrue(e.getMessage().contains("memory:case") && e.getMessage().contains("1.2.3.4.5.6")
        && e.getMessage().contains("(0002,0010)") && e.getMessage().contains("offset 132"), e.getMessage());
  }

  @Test
  void notDicomAtAll(@TempDir Path dir) throws IOException {
    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "This is a text file, not a DICOM object at all.\n");
    DicomException e = assertThrows(DicomException.class, () -> DicomReader.readFile(text));
    assertTrue(e.getMessage().startsWith(text.toString()) && e.getMessage().contains("offset 0"), e.getMessage());
  }

  @Test
  void malformedPydicomFilesNameFileTagAndOffset() {
    for (String name : List.of("rtplan_truncated.dcm", "MR_truncated.dcm")) {
      Path file = Corpus.pydicom(name);
      DicomException e = assertThrows(DicomException.class, () -> DicomReader.readFile(file), name);
      assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains(" at (")
          && e.getMessage().contains("offset"), e.getMessage());
    }
  }

  @Test
  void zeroPaddingAfterTheDataSetIsSkippedButOtherTrailingBytesAreNot() {
    Bytes b = Bytes.part10(EXPLICIT_LE).string(Tags.PATIENT_ID, "LO", "AB");
    byte[] padded = b.raw(new byte[4096]).toArray();
    assertEquals("AB", new DicomReader().read(padded, "case").dataSet().getString(Tags.PATIENT_ID));
    padded[padded.length - 1] = 7;
    assertFalse(assertThrows(DicomParseException.class, () -> new DicomReader().read(padded, "case"))
        .getMessage().isEmpty());
  }
}
