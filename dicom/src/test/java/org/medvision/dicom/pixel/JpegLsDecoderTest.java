package org.medvision.dicom.pixel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.medvision.dicom.testing.Bytes;

/**
 * JPEG-LS on tiny hand-made streams. Expected samples and bits are derived by hand from T.87 (8-bit defaults: MAXVAL
 * 255, T1=3, T2=7, T3=21, RANGE 256, LIMIT 32, qbpp 8, A initialised to 4, N to 1).
 */
class JpegLsDecoderTest {
  private static byte[] header(int width, int height) {
    return Bytes.of(0xFF, 0xD8, 0xFF, 0xF7, 0x00, 0x0B, 0x08, height >> 8, height, width >> 8, width, 0x01, 0x01,
        0x11, 0x00, 0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00);
  }

  private static byte[] stream(int width, int height, int... scan) {
    return Bytes.concat(header(width, height), Bytes.of(scan), Bytes.of(0xFF, 0xD9));
  }

  @Test
  void flatImageIsFourRunBits() {
    // 2x2 zeros: each line is a run of two; J[0..3] are 0, so each sample costs one '1' bit: 1111 then padding.
    JpegLsImage image = JpegLsDecoder.decode(stream(2, 2, 0xF0), "test");
    assertArrayEquals(new int[4], image.samples());
    assertEquals(8, image.precision());
  }

  @Test
  void runInterruptionAndRegularSample() {
    // Samples 0, 5, 7 on one line:
    //  x=0 run mode: '1' (a run of 1 = 2^J[0]; RUNindex becomes 1), '0' (interrupted, J[1]=0 extra bits).
    //  x=1 interruption, RItype 1 (Ra=Rb=0), Px=0, Errval 5; context A=4, N=1 gives k=2; map 0, so
    //      EMErrval = 2*5-1 = 9 = unary '001' + '01'.
    //  x=2 regular: D3 = 0-5 quantises to -2, so SIGN=-1; MED gives Px=5; Errval = -(7-5) = -2, mapped to 3,
    //      k=2: '1' + '11'.
    //  Bits 1 0 00101 111 then zero padding: 0x8B 0xC0.
    JpegLsImage image = JpegLsDecoder.decode(stream(3, 1, 0x8B, 0xC0), "test");
    assertArrayEquals(new int[] {0, 5, 7}, image.samples());
  }

  @Test
  void byteAfterFfCarriesSevenBits() {
    // A 16x1 zero line is one run. The run index climbs 0..3 (J=0: 1 sample per '1' bit) then 4..7 (J=1: 2 samples
    // each): 12 samples in the eight bits of 0xFF. Index 8 has J=2: one more '1' covers the last 4. That bit is the
    // second bit of 0x40, because the byte after 0xFF has a stuffed 0 as its top bit; a decoder reading all eight
    // bits would see '0' (an interrupted run of 12 + 2) and decode an interruption sample from the padding.
    JpegLsImage image = JpegLsDecoder.decode(stream(16, 1, 0xFF, 0x40), "test");
    assertArrayEquals(new int[16], image.samples());
  }

  @Test
  void defaultThresholdsFollowTheStandardTable() {
    assertArrayEquals(new int[] {3, 7, 21}, JpegLsDecoder.defaultThresholds(255, 0));
    // 12 bits: FACTOR = (4095+128)/256 = 16, so T1 = 16*1+2 = 18, T2 = 16*4+3 = 67, T3 = 16*17+4 = 276.
    assertArrayEquals(new int[] {18, 67, 276}, JpegLsDecoder.defaultThresholds(4095, 0));
    // NEAR=2 on 8 bits: T1 = 1+2+6 = 9, T2 = 4+3+10 = 17, T3 = 17+4+14 = 35.
    assertArrayEquals(new int[] {9, 17, 35}, JpegLsDecoder.defaultThresholds(255, 2));
    // MAXVAL 15 (4 bits): FACTOR = 256/16 = 16; T1 = max(2, 0) = 2, T2 = max(3, 0) = 3, T3 = max(4, 1) = 4.
    assertArrayEquals(new int[] {2, 3, 4}, JpegLsDecoder.defaultThresholds(15, 0));
  }

  @Test
  void truncatedScanIsAnError() {
    byte[] bytes = Arrays.copyOf(stream(3, 1, 0x8B, 0xC0), header(3, 1).length + 1);
    PixelDecodingException e = assertThrows(PixelDecodingException.class, () -> JpegLsDecoder.decode(bytes, "frame 4"));
    assertTrue(e.getMessage().contains("frame 4") && e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void jpegStreamIsNotJpegLs() {
    byte[] bytes = Bytes.of(0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 8, 0, 1, 0, 1, 1, 1, 0x11, 0);
    PixelDecodingException e = assertThrows(PixelDecodingException.class, () -> JpegLsDecoder.decode(bytes, "f"));
    assertTrue(e.getMessage().contains("not JPEG-LS"), e.getMessage());
  }

  @Test
  void missingSoiIsAnError() {
    PixelDecodingException e = assertThrows(PixelDecodingException.class,
        () -> JpegLsDecoder.decode(Bytes.of(0x00, 0x01, 0x02), "f"));
    assertTrue(e.getMessage().contains("marker"), e.getMessage());
  }

  @Test
  void mappingTablesAreRefusedByName() {
    byte[] bytes = Bytes.concat(Bytes.of(0xFF, 0xD8, 0xFF, 0xF8, 0x00, 0x05, 0x02, 0x01, 0x01), header(1, 1));
    PixelDecodingException e = assertThrows(PixelDecodingException.class, () -> JpegLsDecoder.decode(bytes, "f"));
    assertTrue(e.getMessage().contains("mapping tables"), e.getMessage());
  }

  @Test
  void restartIntervalsAreRefusedByName() {
    byte[] bytes = Bytes.of(0xFF, 0xD8, 0xFF, 0xDD, 0x00, 0x04, 0x00, 0x01, 0xFF, 0xD9);
    PixelDecodingException e = assertThrows(PixelDecodingException.class, () -> JpegLsDecoder.decode(bytes, "f"));
    assertTrue(e.getMessage().contains("restart"), e.getMessage());
  }

  @Test
  void badMarkerIsNamedWithItsOffset() {
    byte[] bytes = Bytes.of(0xFF, 0xD8, 0xFF, 0x01, 0x00);
    PixelDecodingException e = assertThrows(PixelDecodingException.class, () -> JpegLsDecoder.decode(bytes, "f"));
    assertTrue(e.getMessage().contains("FF01") && e.getMessage().contains("offset 2"), e.getMessage());
  }

  @Test
  void progressiveJpegIsRefusedByOurSequentialDecoder() {
    byte[] bytes = Bytes.of(0xFF, 0xD8, 0xFF, 0xC2, 0x00, 0x0B, 12, 0, 1, 0, 1, 1, 1, 0x11, 0, 0xFF, 0xD9);
    PixelDecodingException e = assertThrows(PixelDecodingException.class,
        () -> JpegSequentialDecoder.decode(bytes, "frame 1"));
    assertTrue(e.getMessage().contains("SOF2") && e.getMessage().contains("frame 1"), e.getMessage());
  }
}
