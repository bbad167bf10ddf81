package org.medvision.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.medvision.dicom.testing.Corpus;

/** Reading metadata leaves pixels in the file; the recorded location reads the right bytes later. */
class LazyPixelDataTest {
  @Test
  void locationMatchesTheFileLayout() throws IOException {
    byte[] file = Files.readAllBytes(Corpus.pydicom("CT_small.dcm"));
    BulkData pixels = DicomReader.readFile(Corpus.pydicom("CT_small.dcm")).dataSet().bulkData(Tags.PIXEL_DATA)
        .orElseThrow();
    assertEquals(128 * 128 * 2, pixels.length());
    // Explicit VR OW header: tag (4) + VR (2) + reserved (2) + length (4) just before the value.
    int at = (int) pixels.offset();
    assertArrayEquals(new byte[] {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'W'}, Arrays.copyOfRange(file, at - 12, at - 6));
    assertArrayEquals(Arrays.copyOfRange(file, at, at + (int) pixels.length()), pixels.readValue());
  }

  @Test
  void bigEndianPixelsComeBackLittleEndianAndEqualTheLittleEndianFile() {
    byte[] little = DicomReader.readFile(Corpus.pydicom("MR_small.dcm")).dataSet().bulkData(Tags.PIXEL_DATA)
        .orElseThrow().readValue();
    BulkData big = DicomReader.readFile(Corpus.pydicom("MR_small_bigendian.dcm")).dataSet()
        .bulkData(Tags.PIXEL_DATA).orElseThrow();
    assertTrue(big.bigEndian());
    assertArrayEquals(little, big.readValue());
    try (BulkData.Handle handle = big.open()) {
      assertArrayEquals(Arrays.copyOfRange(little, 100, 164), handle.read(100, 64));
    }
  }

  @Test
  void encapsulatedFragmentsAreListedNotLoaded() {
    BulkData pixels = DicomReader.readFile(Corpus.pydicom("SC_rgb_rle_2frame.dcm")).dataSet()
        .bulkData(Tags.PIXEL_DATA).orElseThrow();
    assertTrue(pixels.isEncapsulated());
    assertEquals(2, pixels.fragments().size());
    // An RLE segment header starts with the number of segments: 3 for RGB 8-bit.
    assertEquals(3, pixels.readFragment(0)[0]);
    assertEquals(3, pixels.readFragment(1)[0]);
  }

  @Test
  void dumpShowsWhereThePixelsAre() {
    String dump = new DicomDump().render(DicomReader.readFile(Corpus.pydicom("CT_small.dcm")));
    assertTrue(dump.contains("(0010,0010) PN PatientName"), dump);
    assertTrue(dump.contains("[CompressedSamples^CT1]"), dump);
    assertTrue(dump.contains("(7FE0,0010) OW PixelData") && dump.contains("32768 bytes at")
        && dump.contains("(not loaded)"), dump);
    assertTrue(dump.contains("> item 1"), dump);
  }
}
