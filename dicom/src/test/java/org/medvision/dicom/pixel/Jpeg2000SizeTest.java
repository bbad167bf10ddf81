package org.medvision.dicom.pixel;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class Jpeg2000SizeTest {
  /** SOC, then a SIZ segment with one 8-bit component. */
  private static byte[] siz(int width, int height, int xOffset, int yOffset, int tileWidth, int tileHeight) {
    ByteBuffer b = ByteBuffer.allocate(4 + 2 + 2 + 8 * 4 + 2 + 3);
    b.putShort((short) 0xFF4F).putShort((short) 0xFF51).putShort((short) 41).putShort((short) 0);
    b.putInt(width).putInt(height).putInt(xOffset).putInt(yOffset).putInt(tileWidth).putInt(tileHeight);
    b.putInt(0).putInt(0).putShort((short) 1).put((byte) 7).put((byte) 1).put((byte) 1);
    return b.array();
  }

  @Test
  void aSizeWithinTheAttributesPasses() {
    assertDoesNotThrow(() -> Jpeg2000Size.check(siz(16, 12, 0, 0, 16, 12), 16 * 12, "frame 1"));
    assertDoesNotThrow(() -> Jpeg2000Size.check(new byte[] {1, 2, 3}, 10, "no SIZ: left to the codec"));
  }

  @Test
  void aLargerImageIsRefusedNamingBothSizes() {
    PixelDecodingException e = assertThrows(PixelDecodingException.class,
        () -> Jpeg2000Size.check(siz(1793, 3072, 0, 0, 12, 12), 144, "frame 1"));
    assertTrue(e.getMessage().contains("1793 x 3072") && e.getMessage().contains("144"), e.getMessage());
  }

  @Test
  void aTileGridFarLargerThanTheImageIsRefused() {
    // 0x7FFFFFF0 wide from offset 0x7FFFFFE0: a 16 x 1 image whose one-pixel tiles start at 0, 2^31 of them.
    PixelDecodingException e = assertThrows(PixelDecodingException.class,
        () -> Jpeg2000Size.check(siz(0x7FFFFFF0, 1, 0x7FFFFFE0, 0, 1, 1), 16, "frame 2"));
    assertTrue(e.getMessage().contains("tiles"), e.getMessage());
  }
}
