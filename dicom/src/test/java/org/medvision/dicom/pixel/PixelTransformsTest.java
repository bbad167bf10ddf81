package org.medvision.dicom.pixel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.medvision.dicom.TransferSyntax;
import org.medvision.dicom.testing.Bytes;

/** Photometric steps against hand computation from the PS3.3 C.7.6.3.1 definitions. */
class PixelTransformsTest {
  @Test
  void ybrFullToRgbByTheStandardEquations() {
    PixelDescription d = PixelDescription.builder(1, 2).bits(8, 8).photometric(PhotometricInterpretation.YBR_FULL)
        .build();
    // Y=76 Cb=85 Cr=255: R = 76+1.402*127 = 254.05, G = 76-0.3441*(-43)-0.7141*127 = 0.10, B = 76+1.772*(-43) =
    // -0.196 -> 0. Y=128 Cb=Cr=128 is grey 128.
    assertArrayEquals(new int[] {254, 0, 0, 128, 128, 128},
        PixelTransforms.toRgb(d, new int[] {76, 85, 255, 128, 128, 128}));
  }

  @Test
  void paletteMapsFromTheFirstMappedValueAndClampsOutside() {
    int[] descriptor = {3, 10, 16};
    byte[] red = Bytes.of(0x00, 0x01, 0x00, 0x02, 0x00, 0x03);
    byte[] green = Bytes.of(0x10, 0x00, 0x20, 0x00, 0x30, 0x00);
    byte[] blue = Bytes.of(0xFF, 0xFF, 0, 0, 1, 0);
    Palette palette = new Palette(PaletteLut.of("red", descriptor, red, ByteOrder.LITTLE_ENDIAN),
        PaletteLut.of("green", descriptor, green, ByteOrder.LITTLE_ENDIAN),
        PaletteLut.of("blue", descriptor, blue, ByteOrder.LITTLE_ENDIAN));
    PixelDescription d = PixelDescription.builder(1, 4).bits(8, 8)
        .photometric(PhotometricInterpretation.PALETTE_COLOR).palette(palette).build();
    // Values 9 (below the first mapped 10 -> entry 0), 10, 12 (last entry), 200 (past the end -> last entry).
    assertArrayEquals(new int[] {0x100, 0x10, 0xFFFF, 0x100, 0x10, 0xFFFF, 0x300, 0x30, 1, 0x300, 0x30, 1},
        PixelTransforms.toRgb(d, new int[] {9, 10, 12, 200}));
  }

  @Test
  void eightBitPaletteEntriesAreOneBytePerEntry() {
    PaletteLut lut = PaletteLut.of("red", new int[] {4, 0, 8}, Bytes.of(9, 8, 7, 6), ByteOrder.LITTLE_ENDIAN);
    assertEquals(7, lut.lookup(2));
    // 0 entries in the descriptor means 65536.
    PaletteLut full = PaletteLut.of("red", new int[] {0, 0, 16}, new byte[131072], ByteOrder.LITTLE_ENDIAN);
    assertEquals(65536, full.entries().length);
  }

  @Test
  void monochrome1IsInvertedOverTheStoredRange() {
    PixelDescription d = PixelDescription.builder(1, 3).bits(16, 12)
        .photometric(PhotometricInterpretation.MONOCHROME1).build();
    assertArrayEquals(new int[] {4095, 0, 4085}, PixelTransforms.invertMonochrome1(d, new int[] {0, 4095, 10}));
    PixelDescription signed = PixelDescription.builder(1, 2).bits(16, 16).signed(true)
        .photometric(PhotometricInterpretation.MONOCHROME1).build();
    assertArrayEquals(new int[] {32767, -32768}, PixelTransforms.invertMonochrome1(signed, new int[] {-32768, 32767}));
    PixelDescription mono2 = PixelDescription.builder(1, 1).build();
    assertArrayEquals(new int[] {5}, PixelTransforms.invertMonochrome1(mono2, new int[] {5}));
  }

  @Test
  void rescaleAppliesSlopeAndIntercept() {
    PixelDescription d = PixelDescription.builder(1, 2).signed(true).rescale(2.5, -1024, "HU").build();
    assertArrayEquals(new float[] {-1024f, 1476f}, PixelTransforms.rescale(d, new int[] {0, 1000}));
  }

  @Test
  void greyScaleHasNoRgb() {
    PixelDecodingException e = assertThrows(PixelDecodingException.class,
        () -> PixelTransforms.toRgb(PixelDescription.builder(1, 1).build(), new int[1]));
    assertTrue(e.getMessage().contains("MONOCHROME2"), e.getMessage());
  }

  @Test
  void inconsistentDescriptionsAreRefusedByAttribute() {
    PixelDecodingException spp = assertThrows(PixelDecodingException.class,
        () -> PixelDescription.builder(2, 2).photometric(PhotometricInterpretation.RGB).samplesPerPixel(1).build());
    assertTrue(spp.getMessage().contains("Samples per Pixel"), spp.getMessage());
    PixelDecodingException bits = assertThrows(PixelDecodingException.class,
        () -> PixelDescription.builder(2, 2).bits(12, 12).build());
    assertTrue(bits.getMessage().contains("Bits Allocated (0028,0100) is 12"), bits.getMessage());
    PixelDecodingException huge = assertThrows(PixelDecodingException.class,
        () -> PixelDescription.builder(65535, 65535).photometric(PhotometricInterpretation.RGB).build());
    assertTrue(huge.getMessage().contains("limit"), huge.getMessage());
    assertThrows(PixelDecodingException.class, () -> PixelDescription.builder(2, 2).bits(16, 12, 15).bits(16, 12, 16)
        .build());
    assertThrows(PixelDecodingException.class, () -> PixelDescription.builder(2, 2)
        .photometric(PhotometricInterpretation.PALETTE_COLOR).build());
  }

  @Test
  void unsupportedTransferSyntaxesNameUidAndReason() {
    PixelDescription d = PixelDescription.builder(1, 1).build();
    EncapsulatedPixelData data = EncapsulatedPixelData.of(java.util.List.of(new byte[2]));
    PixelDecodingException htj2k = assertThrows(PixelDecodingException.class,
        () -> new FrameDecoder(d, TransferSyntax.HTJ2K_LOSSLESS, data));
    assertTrue(htj2k.getMessage().contains("1.2.840.10008.1.2.4.201") && htj2k.getMessage().contains("HTJ2K"),
        htj2k.getMessage());
    PixelDecodingException jxl = assertThrows(PixelDecodingException.class,
        () -> new FrameDecoder(d, TransferSyntax.JPEG_XL_LOSSLESS, data));
    assertTrue(jxl.getMessage().contains("JPEG XL"), jxl.getMessage());
    PixelDecodingException video = assertThrows(PixelDecodingException.class,
        () -> new FrameDecoder(d, TransferSyntax.MPEG4_HP41, data));
    assertTrue(video.getMessage().contains("1.2.840.10008.1.2.4.102"), video.getMessage());
  }

  @Test
  void photometricCodesRoundTrip() {
    for (PhotometricInterpretation p : PhotometricInterpretation.values()) {
      assertEquals(p, PhotometricInterpretation.parse(p.code() + " "));
    }
    assertEquals("PALETTE COLOR", PhotometricInterpretation.PALETTE_COLOR.code());
    assertEquals("YBR_FULL_422", PhotometricInterpretation.YBR_FULL_422.code());
    assertThrows(PixelDecodingException.class, () -> PhotometricInterpretation.parse("HSV"));
  }
}
