package org.medvision.dicom.pixel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.medvision.dicom.TransferSyntax;
import org.medvision.dicom.testing.Bytes;

/**
 * Frames from fragments. Offsets count from the first fragment item's tag and every item adds an 8-byte header, so
 * with fragments of 4, 2 and 6 bytes the items start at 0, 12 and 22.
 */
class FrameSplitterTest {
  private static final TransferSyntax JPEG_LS = TransferSyntax.JPEG_LS_LOSSLESS;
  private static final byte[] A = Bytes.of(0xFF, 0xD8, 1, 2);
  private static final byte[] B = Bytes.of(3, 4);
  private static final byte[] C = Bytes.of(0xFF, 0xD8, 5, 6, 7, 8);

  private static List<byte[]> split(List<byte[]> fragments, long[] basic, int frames) {
    return FrameSplitter.split(new EncapsulatedPixelData(fragments, basic, null, null), frames, JPEG_LS);
  }

  @Test
  void basicOffsetTableGroupsFragments() {
    List<byte[]> frames = split(List.of(A, B, C), new long[] {0, 22}, 2);
    assertArrayEquals(Bytes.of(0xFF, 0xD8, 1, 2, 3, 4), frames.get(0));
    assertArrayEquals(C, frames.get(1));
  }

  @Test
  void withoutTableOneFragmentPerFrameWhenCountsMatch() {
    List<byte[]> frames = split(List.of(A, B, C), null, 3);
    assertEquals(3, frames.size());
    assertArrayEquals(B, frames.get(1));
  }

  @Test
  void withoutTableFramesStartAtCodestreamMarkers() {
    List<byte[]> frames = split(List.of(A, B, C), null, 2);
    assertArrayEquals(Bytes.of(0xFF, 0xD8, 1, 2, 3, 4), frames.get(0));
    assertArrayEquals(C, frames.get(1));
  }

  @Test
  void singleFrameJoinsAllFragments() {
    assertArrayEquals(Bytes.of(0xFF, 0xD8, 1, 2, 3, 4), split(List.of(A, B), null, 1).get(0));
  }

  @Test
  void extendedOffsetTableWithLengths() {
    EncapsulatedPixelData data = new EncapsulatedPixelData(List.of(A, B, C), null, new long[] {0, 12, 22},
        new long[] {3, 2, 6});
    List<byte[]> frames = FrameSplitter.split(data, 3, JPEG_LS);
    assertArrayEquals(Bytes.of(0xFF, 0xD8, 1), frames.get(0));
    assertArrayEquals(C, frames.get(2));
  }

  @Test
  void offsetPastTheDataNamesFrameAndOffset() {
    PixelDecodingException e = assertThrows(PixelDecodingException.class,
        () -> split(List.of(A, B, C), new long[] {0, 400}, 2));
    assertTrue(e.getMessage().contains("offset 400") && e.getMessage().contains("frame 2"), e.getMessage());
  }

  @Test
  void nonIncreasingOffsetsAreAnError() {
    PixelDecodingException e = assertThrows(PixelDecodingException.class,
        () -> split(List.of(A, B, C), new long[] {12, 0}, 2));
    assertTrue(e.getMessage().contains("frame 2") && e.getMessage().contains("not greater"), e.getMessage());
  }

  @Test
  void offsetInsideAnItemIsAnError() {
    PixelDecodingException e = assertThrows(PixelDecodingException.class,
        () -> split(List.of(A, B, C), new long[] {0, 13}, 2));
    assertTrue(e.getMessage().contains("offset 13") && e.getMessage().contains("start of a fragment"),
        e.getMessage());
  }

  @Test
  void fragmentsThatCannotFormTheFramesAreAnError() {
    PixelDecodingException e = assertThrows(PixelDecodingException.class,
        () -> split(List.of(A, B, B, B), null, 3));
    assertTrue(e.getMessage().contains("3 frames") && e.getMessage().contains("1.2.840.10008.1.2.4.80"),
        e.getMessage());
  }

  @Test
  void extendedLengthLongerThanItsFragmentsIsAnError() {
    EncapsulatedPixelData data = new EncapsulatedPixelData(List.of(A, C), null, new long[] {0, 12},
        new long[] {4, 60});
    PixelDecodingException e = assertThrows(PixelDecodingException.class,
        () -> FrameSplitter.split(data, 2, JPEG_LS));
    assertTrue(e.getMessage().contains("length 60") && e.getMessage().contains("frame 2"), e.getMessage());
  }
}
