package org.medvision.dicom.iod;

import java.util.List;
import org.medvision.dicom.DicomException;

/**
 * Packs binary masks as 1-bit pixel data (PS3.5 section 8.1.1 and annex D): pixel {@code i} of the concatenated frames
 * is bit {@code i % 8} (least significant first) of byte {@code i / 8}; frames follow each other without padding, and
 * the whole value is padded with zero bits to an even number of bytes.
 */
public final class BitPacking {
  private BitPacking() {}

  /** The packed value of the frames, each of the same length, in order. */
  public static byte[] pack(List<boolean[]> frames) {
    long bits = 0;
    for (boolean[] frame : frames) {
      bits += frame.length;
    }
    long bytes = (bits + 7) / 8;
    bytes += bytes & 1;
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new DicomException("1-bit pixel data of " + bits + " pixels exceeds 2 GiB");
    }
    byte[] out = new byte[(int) bytes];
    long at = 0;
    for (boolean[] frame : frames) {
      for (boolean pixel : frame) {
        if (pixel) {
          out[(int) (at >>> 3)] |= (byte) (1 << (at & 7));
        }
        at++;
      }
    }
    return out;
  }

  /** Frame {@code index} of {@code pixelsPerFrame} pixels from a packed value. */
  public static boolean[] unpack(byte[] packed, int index, int pixelsPerFrame) {
    boolean[] out = new boolean[pixelsPerFrame];
    long start = (long) index * pixelsPerFrame;
    if ((start + pixelsPerFrame + 7) / 8 > packed.length) {
      throw new DicomException("frame " + index + " of " + pixelsPerFrame
          + " pixels lies past the end of " + packed.length + " bytes of 1-bit pixel data");
    }
    for (int i = 0; i < pixelsPerFrame; i++) {
      long at = start + i;
      out[i] = (packed[(int) (at >>> 3)] >> (at & 7) & 1) == 1;
    }
    return out;
  }
}
