package org.medvision.dicom.pixel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.medvision.dicom.testing.Bytes;

/** RLE Lossless on hand-made segments whose expected samples follow from PS3.5 Annex G by hand. */
class RleDecoderTest {
  private static final PixelDescription GREY8 = PixelDescription.builder(2, 2).bits(8, 8).build();

  @Test
  void replicateAndLiteralRunsFillOnePlane() {
    // 0xFE = -2: repeat the next byte 3 times; 0x00: copy 1 literal byte.
    byte[] frame = Bytes.concat(rleHeader(64), Bytes.of(0xFE, 0x01, 0x00, 0x02));
    assertArrayEquals(new int[] {1, 1, 1, 2}, RleDecoder.decode(GREY8, frame, "frame 1"));
  }

  @Test
  void noOperationCodeIsSkipped() {
    byte[] frame = Bytes.concat(rleHeader(64), Bytes.of(0x80, 0x03, 9, 8, 7, 6));
    assertArrayEquals(new int[] {9, 8, 7, 6}, RleDecoder.decode(GREY8, frame, "frame 1"));
  }

  @Test
  void sixteenBitSamplesTakeTheMostSignificantPlaneFirst() {
    PixelDescription d = PixelDescription.builder(1, 2).bits(16, 16).build();
    // Plane 1 (high bytes) 0x01 0x03; plane 2 (low bytes) 0x02 0x04: samples 0x0102 and 0x0304.
    byte[] frame = Bytes.concat(rleHeader(64, 67), Bytes.of(0x01, 0x01, 0x03), Bytes.of(0x01, 0x02, 0x04));
    assertArrayEquals(new int[] {0x0102, 0x0304}, RleDecoder.decode(d, frame, "frame 1"));
  }

  @Test
  void signedTwelveBitValuesAreSignExtended() {
    PixelDescription d = PixelDescription.builder(1, 2).bits(16, 12).signed(true).build();
    // 0x0FFF is -1 and 0x0800 is -2048 in 12-bit two's complement.
    byte[] frame = Bytes.concat(rleHeader(64, 67), Bytes.of(0x01, 0x0F, 0x08), Bytes.of(0x01, 0xFF, 0x00));
    assertArrayEquals(new int[] {-1, -2048}, RleDecoder.decode(d, frame, "frame 1"));
  }

  @Test
  void rgbSegmentsAreRedGreenBlueAndComeOutInterleaved() {
    PixelDescription d = PixelDescription.builder(1, 2).bits(8, 8).photometric(PhotometricInterpretation.RGB)
        .build();
    byte[] frame = Bytes.concat(rleHeader(64, 67, 70), Bytes.of(0x01, 10, 11), Bytes.of(0x01, 20, 21),
        Bytes.of(0xFF, 30));
    assertArrayEquals(new int[] {10, 20, 30, 11, 21, 30}, RleDecoder.decode(d, frame, "frame 1"));
  }

  @Test
  void thirtyTwoBitSamplesUseFourPlanes() {
    PixelDescription d = PixelDescription.builder(1, 1).bits(32, 32).build();
    byte[] frame = Bytes.concat(rleHeader(64, 66, 68, 70), Bytes.of(0, 0x12), Bytes.of(0, 0x34),
        Bytes.of(0, 0x56), Bytes.of(0, 0x78));
    assertArrayEquals(new int[] {0x12345678}, RleDecoder.decode(d, frame, "frame 1"));
  }

  @Test
  void wrongSegmentCountIsNamed() {
    byte[] frame = Bytes.concat(rleHeader(64, 66), Bytes.of(0xFD, 1, 0xFD, 1));
    PixelDecodingException e = assertThrows(PixelDecodingException.class,
        () -> RleDecoder.decode(GREY8, frame, "frame 2"));
    assertTrue(e.getMessage().contains("frame 2") && e.getMessage().contains("2 segments"), e.getMessage());
  }

  @Test
  void segmentOffsetPastTheDataIsAnError() {
    byte[] frame = Bytes.concat(rleHeader(500), Bytes.of(0xFD, 1));
    PixelDecodingException e = assertThrows(PixelDecodingException.class,
        () -> RleDecoder.decode(GREY8, frame, "frame 1"));
    assertTrue(e.getMessage().contains("offset 500"), e.getMessage());
  }

  @Test
  void truncatedSegmentIsAnError() {
    byte[] frame = Bytes.concat(rleHeader(64), Bytes.of(0xFF, 1));
    PixelDecodingException e = assertThrows(PixelDecodingException.class,
        () -> RleDecoder.decode(GREY8, frame, "frame 1"));
    assertTrue(e.getMessage().contains("segment 1") && e.getMessage().contains("2 of 4"), e.getMessage());
  }

  @Test
  void literalRunPastTheSegmentIsAnError() {
    byte[] frame = Bytes.concat(rleHeader(64), Bytes.of(0x03, 1, 2));
    assertThrows(PixelDecodingException.class, () -> RleDecoder.decode(GREY8, frame, "frame 1"));
  }

  @Test
  void shortHeaderIsAnError() {
    PixelDecodingException e = assertThrows(PixelDecodingException.class,
        () -> RleDecoder.decode(GREY8, new byte[10], "frame 1"));
    assertTrue(e.getMessage().contains("64-byte"), e.getMessage());
  }

  /** An RLE header (PS3.5 G.5) declaring the given segment offsets, little endian. */
  private static byte[] rleHeader(int... offsets) {
    byte[] header = new byte[64];
    putLe(header, 0, offsets.length);
    for (int i = 0; i < offsets.length; i++) {
      putLe(header, 4 + 4 * i, offsets[i]);
    }
    return header;
  }

  private static void putLe(byte[] b, int at, int value) {
    b[at] = (byte) value;
    b[at + 1] = (byte) (value >>> 8);
    b[at + 2] = (byte) (value >>> 16);
    b[at + 3] = (byte) (value >>> 24);
  }
}
