package org.medvision.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.dicom.testing.Dcmdump;

/** The Part 10 writer: the meta group, padding, atomic replacement and in-memory bulk data. */
class WriterTest {
  private static DataSet minimal() {
    DataSet d = new DataSet();
    d.setString(Tags.SOP_CLASS_UID, Uids.SECONDARY_CAPTURE_IMAGE_STORAGE);
    d.setString(Tags.SOP_INSTANCE_UID, "1.2.3");
    d.setString(Tags.PATIENT_ID, "ABC");
    return d;
  }

  @Test
  void metaGroupIsExactlyAsPs310Says() {
    byte[] bytes = new DicomWriter().toBytes(minimal());
    assertEquals('D', bytes[128]);
    DicomFile file = new DicomReader().read(bytes, "out");
    DataSet meta = file.meta();
    long metaEnd = 132 + 12 + meta.getInt(Tags.FILE_META_INFORMATION_GROUP_LENGTH);
    // The first data set element, (0008,0016), starts right after the group the length announces.
    assertEquals(0x08, bytes[(int) metaEnd]);
    assertEquals(0x16, bytes[(int) metaEnd + 2]);
    assertArrayEquals(new byte[] {0, 1}, meta.bytes(Tags.FILE_META_INFORMATION_VERSION));
    assertEquals("1.2.3", meta.getString(Tags.MEDIA_STORAGE_SOP_INSTANCE_UID));
    assertEquals(Uids.SECONDARY_CAPTURE_IMAGE_STORAGE, meta.getString(Tags.MEDIA_STORAGE_SOP_CLASS_UID));
    assertEquals(Uids.IMPLEMENTATION_CLASS_UID, meta.getString(Tags.IMPLEMENTATION_CLASS_UID));
    assertEquals("ABC ", new String(file.dataSet().bytes(Tags.PATIENT_ID)));
  }

  @Test
  void dcmdumpReadsNativePixelsWeBuildInMemory(@TempDir Path dir) {
    DataSet d = minimal();
    d.setInt(Tags.ROWS, 2).setInt(Tags.COLUMNS, 3).setInt(Tags.BITS_ALLOCATED, 16).setInt(Tags.BITS_STORED, 12)
        .setInt(Tags.HIGH_BIT, 11).setInt(Tags.PIXEL_REPRESENTATION, 0).setInt(Tags.SAMPLES_PER_PIXEL, 1)
        .setString(Tags.PHOTOMETRIC_INTERPRETATION, "MONOCHROME2");
    byte[] pixels = {1, 0, 2, 0, 3, 0, 4, 0, 5, 0, (byte) 0xFF, 0x0F};
    d.setBulkData(Tags.PIXEL_DATA, BulkData.of(VR.OW, pixels));
    for (TransferSyntax syntax : List.of(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
        TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN)) {
      Path out = dir.resolve(syntax.name() + ".dcm");
      new DicomWriter(syntax).write(out, d);
      DcmdumpAgreementTest.agree(out);
      String dump = Dcmdump.run(out, false).output();
      assertTrue(dump.contains("0001\\0002\\0003\\0004\\0005\\0fff"), syntax + ":\n" + dump);
      assertArrayEquals(pixels, DicomReader.readFile(out).dataSet().bulkData(Tags.PIXEL_DATA).orElseThrow()
          .readValue());
    }
  }

  @Test
  void encapsulatedFramesRoundTrip(@TempDir Path dir) {
    DataSet d = minimal();
    d.setBulkData(Tags.PIXEL_DATA, BulkData.encapsulated(List.of(new byte[] {1, 2, 3}, new byte[] {4, 5})));
    Path out = dir.resolve("rle.dcm");
    new DicomWriter(TransferSyntax.RLE_LOSSLESS).write(out, d);
    BulkData read = DicomReader.readFile(out).dataSet().bulkData(Tags.PIXEL_DATA).orElseThrow();
    assertArrayEquals(new byte[] {1, 2, 3, 0}, read.readFragment(0));
    assertArrayEquals(new byte[] {4, 5}, read.readFragment(1));
    DcmdumpAgreementTest.agree(out);
    DicomException e = assertThrows(DicomException.class,
        () -> new DicomWriter().write(dir.resolve("bad.dcm"), d));
    assertTrue(e.getMessage().contains("native transfer syntax"), e.getMessage());
  }

  @Test
  void failedWritesLeaveTheTargetUntouched(@TempDir Path dir) throws IOException {
    Path target = dir.resolve("x.dcm");
    Files.writeString(target, "previous content");
    DataSet noSopClass = new DataSet();
    assertThrows(DicomException.class, () -> DicomWriter.writeFile(target, noSopClass));
    DataSet tooLong = minimal();
    tooLong.setBytes(Tags.PATIENT_ID, VR.LO, new byte[70_000]);
    DicomException e = assertThrows(DicomException.class, () -> DicomWriter.writeFile(target, tooLong));
    assertTrue(e.getMessage().contains("(0010,0020)") && e.getMessage().contains(target.toString()), e.getMessage());
    assertEquals("previous content", Files.readString(target));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(target), files.toList(), "no temporary files remain");
    }
    DicomWriter.writeFile(target, minimal());
    assertFalse(Files.readString(target, java.nio.charset.StandardCharsets.ISO_8859_1).contains("previous"));
  }
}
