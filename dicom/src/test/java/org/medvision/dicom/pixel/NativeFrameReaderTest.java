package org.medvision.dicom.pixel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.medvision.dicom.TransferSyntax;
import org.medvision.dicom.testing.Bytes;

/** Native pixel layouts of PS3.5 8.1-8.2 on hand-made bytes. */
class NativeFrameReaderTest {
  private static int[] read(PixelDescription d, byte[] bytes, ByteOrder order, int frame) {
    return new FrameDecoder(d, order == ByteOrder.BIG_ENDIAN ? TransferSyntax.EXPLICIT_VR_BIG_ENDIAN
        : TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, new NativePixelData(bytes, order)).decode(frame);
  }

  @Test
  void sixteenBitLittleAndBigEndian() {
    PixelDescription d = PixelDescription.builder(1, 2).bits(16, 16).build();
    assertArrayEquals(new int[] {0x0201, 0xFFFE}, read(d, Bytes.of(1, 2, 0xFE, 0xFF), ByteOrder.LITTLE_ENDIAN, 0));
    assertArrayEquals(new int[] {0x0102, 0xFEFF}, read(d, Bytes.of(1, 2, 0xFE, 0xFF), ByteOrder.BIG_ENDIAN, 0));
  }

  @Test
  void bitsStoredMaskAndSignExtension() {
    // 12 stored bits, high bit 11: the top nibble holds overlay or garbage bits and must be ignored.
    PixelDescription unsigned = PixelDescription.builder(1, 2).bits(16, 12).build();
    assertArrayEquals(new int[] {0xFFF, 0x800},
        read(unsigned, Bytes.of(0xFF, 0xFF, 0x00, 0x58), ByteOrder.LITTLE_ENDIAN, 0));
    PixelDescription signed = PixelDescription.builder(1, 2).bits(16, 12).signed(true).build();
    assertArrayEquals(new int[] {-1, -2048}, read(signed, Bytes.of(0xFF, 0xFF, 0x00, 0x58), ByteOrder.LITTLE_ENDIAN,
        0));
  }

  @Test
  void highBitBelowTheTopShiftsTheStoredBits() {
    // Bits Stored 8 at High Bit 11: the value sits in bits 4..11, so 0x0AB0 holds 0xAB.
    PixelDescription d = PixelDescription.builder(1, 1).bits(16, 8, 11).build();
    assertArrayEquals(new int[] {0xAB}, read(d, Bytes.of(0xB0, 0x0A), ByteOrder.LITTLE_ENDIAN, 0));
  }

  @Test
  void oneBitSamplesArePackedFromTheLeastSignificantBit() {
    // Two 2x3 frames of 1-bit samples, 6 bits each; frame 2 starts mid-byte at bit 6.
    PixelDescription d = PixelDescription.builder(2, 3).bits(1, 1).frames(2).build();
    byte[] bytes = Bytes.of(0b1100_0101, 0b0000_1010);
    assertArrayEquals(new int[] {1, 0, 1, 0, 0, 0}, read(d, bytes, ByteOrder.LITTLE_ENDIAN, 0));
    assertArrayEquals(new int[] {1, 1, 0, 1, 0, 1}, read(d, bytes, ByteOrder.LITTLE_ENDIAN, 1));
  }

  @Test
  void thirtyTwoBitSigned() {
    PixelDescription d = PixelDescription.builder(1, 1).bits(32, 32).signed(true).build();
    assertArrayEquals(new int[] {-2}, read(d, Bytes.of(0xFE, 0xFF, 0xFF, 0xFF), ByteOrder.LITTLE_ENDIAN, 0));
    // Big endian OW is a stream of byte-swapped 16-bit words (PS3.5 7.3); the low word comes first.
    assertArrayEquals(new int[] {0x03040102}, read(d, Bytes.of(1, 2, 3, 4), ByteOrder.BIG_ENDIAN, 0));
  }

  @Test
  void eightBitSamplesInBigEndianOwTradePlacesWithinEachWord() {
    PixelDescription d = PixelDescription.builder(1, 3).bits(8, 8).frames(2).build();
    byte[] bytes = Bytes.of(2, 1, 4, 3, 6, 5);
    assertArrayEquals(new int[] {1, 2, 3}, read(d, bytes, ByteOrder.BIG_ENDIAN, 0));
    // Frame 2 starts inside the second word.
    assertArrayEquals(new int[] {4, 5, 6}, read(d, bytes, ByteOrder.BIG_ENDIAN, 1));
  }

  @Test
  void planarConfigurationOneIsInterleaved() {
    PixelDescription d = PixelDescription.builder(1, 2).bits(8, 8).photometric(PhotometricInterpretation.RGB)
        .planarConfiguration(1).build();
    assertArrayEquals(new int[] {1, 3, 5, 2, 4, 6}, read(d, Bytes.of(1, 2, 3, 4, 5, 6), ByteOrder.LITTLE_ENDIAN, 0));
    PixelDescription byPixel = PixelDescription.builder(1, 2).bits(8, 8).photometric(PhotometricInterpretation.RGB)
        .build();
    assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, read(byPixel, Bytes.of(1, 2, 3, 4, 5, 6),
        ByteOrder.LITTLE_ENDIAN, 0));
  }

  @Test
  void ybrFull422SharesChrominanceBetweenPixelPairs() {
    PixelDescription d = PixelDescription.builder(1, 2).bits(8, 8)
        .photometric(PhotometricInterpretation.YBR_FULL_422).build();
    assertArrayEquals(new int[] {10, 100, 200, 20, 100, 200}, read(d, Bytes.of(10, 20, 100, 200),
        ByteOrder.LITTLE_ENDIAN, 0));
  }

  @Test
  void multiFrameSlicingIgnoresTheOddLengthPadByte() {
    PixelDescription d = PixelDescription.builder(1, 3).bits(8, 8).frames(3).build();
    byte[] bytes = Bytes.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 0);
    assertArrayEquals(new int[] {4, 5, 6}, read(d, bytes, ByteOrder.LITTLE_ENDIAN, 1));
    assertArrayEquals(new int[] {7, 8, 9}, read(d, bytes, ByteOrder.LITTLE_ENDIAN, 2));
  }

  @Test
  void shortDataNamesTheByteCounts() {
    PixelDescription d = PixelDescription.builder(2, 2).bits(16, 16).frames(2).build();
    PixelDecodingException e = assertThrows(PixelDecodingException.class,
        () -> read(d, new byte[12], ByteOrder.LITTLE_ENDIAN, 0));
    assertTrue(e.getMessage().contains("12 bytes") && e.getMessage().contains("16"), e.getMessage());
  }

  @Test
  void frameIndexOutOfRangeIsAnError() {
    PixelDescription d = PixelDescription.builder(1, 1).bits(8, 8).build();
    assertThrows(PixelDecodingException.class, () -> read(d, new byte[2], ByteOrder.LITTLE_ENDIAN, 1));
  }
}
