package org.medvision.dicom.pixel;

/**
 * Our decoder for DICOM RLE Lossless (PS3.5 Annex G): a 64-byte header of up to 15 segment offsets, then one
 * PackBits-coded segment per byte plane, most significant byte of each sample first, sample by sample.
 */
final class RleDecoder {
  private RleDecoder() {}

  /**
   * Decodes one frame to stored values, colour-by-pixel.
   *
   * @param frame the frame's encapsulated bytes
   * @param what names the frame in messages
   * @throws PixelDecodingException for a bad header, segment count, offsets or a segment that is short
   */
  static int[] decode(PixelDescription description, byte[] frame, String what) {
    int bytesPerSample = description.bitsAllocated() / 8;
    if (description.bitsAllocated() == 1) {
      throw new PixelDecodingException("RLE " + what + ": Bits Allocated 1 is not defined for RLE Lossless");
    }
    int spp = description.samplesPerPixel();
    int expected = bytesPerSample * spp;
    if (frame.length < 64) {
      throw new PixelDecodingException("RLE " + what + ": " + frame.length + " bytes is shorter than the 64-byte"
          + " RLE header");
    }
    long segments = readUint32(frame, 0);
    if (segments != expected) {
      throw new PixelDecodingException("RLE " + what + ": header declares " + segments + " segments but "
          + spp + " samples of " + description.bitsAllocated() + " bits need " + expected);
    }
    long[] offsets = new long[expected + 1];
    for (int i = 0; i < expected; i++) {
      offsets[i] = readUint32(frame, 4 + 4 * i);
      long floor = i == 0 ? 64 : offsets[i - 1];
      if (offsets[i] < floor || offsets[i] > frame.length) {
        throw new PixelDecodingException("RLE " + what + ": segment " + (i + 1) + " offset " + offsets[i]
            + " is outside " + floor + ".." + frame.length);
      }
    }
    offsets[expected] = frame.length;
    int pixels = description.pixelsPerFrame();
    int[] out = new int[pixels * spp];
    byte[] plane = new byte[pixels];
    for (int segment = 0; segment < expected; segment++) {
      unpackBits(frame, (int) offsets[segment], (int) offsets[segment + 1], plane, what, segment + 1);
      int sample = segment / bytesPerSample;
      int shift = 8 * (bytesPerSample - 1 - segment % bytesPerSample);
      for (int p = 0, o = sample; p < pixels; p++, o += spp) {
        out[o] |= (plane[p] & 0xFF) << shift;
      }
    }
    StoredValues.forNative(description).applyInPlace(out);
    return out;
  }

  /** PackBits: n in 0..127 copies n+1 bytes, n in -127..-1 repeats the next byte 1-n times, -128 does nothing. */
  static void unpackBits(byte[] in, int start, int end, byte[] out, String what, int segment) {
    int o = 0;
    int i = start;
    while (o < out.length) {
      if (i >= end) {
        throw new PixelDecodingException("RLE " + what + ": segment " + segment + " ends at byte offset " + end
            + " after " + o + " of " + out.length + " bytes");
      }
      int n = in[i++];
      if (n >= 0) {
        int count = n + 1;
        if (i + count > end || o + count > out.length) {
          throw new PixelDecodingException("RLE " + what + ": segment " + segment + " literal run of " + count
              + " bytes at byte offset " + (i - 1) + " passes the end of the segment or of the plane");
        }
        System.arraycopy(in, i, out, o, count);
        i += count;
        o += count;
      } else if (n != -128) {
        int count = 1 - n;
        if (i >= end || o + count > out.length) {
          throw new PixelDecodingException("RLE " + what + ": segment " + segment + " replicate run of " + count
              + " bytes at byte offset " + (i - 1) + " passes the end of the segment or of the plane");
        }
        byte value = in[i++];
        for (int k = 0; k < count; k++) {
          out[o++] = value;
        }
      }
    }
  }

  private static long readUint32(byte[] b, int at) {
    return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
  }
}
