package org.medvision.dicom.pixel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Our lossless JPEG decoder on streams written by hand in the test: every difference below was worked out from
 * T.81 Annex H (prediction, H.1.2.1; difference categories and their extra bits, H.1.2.2 and F.1.2.1) for a known
 * small image, so the expected samples are the image itself. Files written by real encoders are compared with dcmtk
 * in {@link JpegLosslessPeerTest}.
 */
class JpegLosslessDecoderTest {
  /**
   * The Huffman table of most cases: two codes of 2 bits and three of 3 bits, so by the canonical assignment (C.2)
   * category 0 = 00, 1 = 01, 2 = 100, 3 = 101, 4 = 110.
   */
  private static final int[] SMALL_TABLE_COUNTS = {0, 0, 2, 3};
  private static final int[] SMALL_TABLE_VALUES = {0, 1, 2, 3, 4};

  /** The 4 x 4 8-bit image of the hand-worked cases, row by row. */
  private static final int[] IMAGE = {
      130, 131, 131, 129,
      132, 134, 133, 133,
      132, 132, 140, 141,
      125, 126, 126, 127};

  /**
   * Predictor 1, no restarts. Line 1: the first sample is predicted by 2^(8-0-1) = 128, the rest by the left
   * neighbour; later lines start from the sample above. Differences: +2 +1 0 -2 / +2 +2 -1 0 / 0 0 +8 +1 / -7 +1 0 +1.
   * Each is its category's code then the category's low bits of the difference (negative: minus one), e.g. -2 is
   * category 2 = 100 with bits 01, -7 is category 3 = 101 with bits 000.
   */
  private static final String PREDICTOR_1_BITS = ""
      + "100 10  01 1  00  100 01 "
      + "100 10  100 10  01 0  00 "
      + "00  00  110 1000  01 1 "
      + "101 000  01 1  00  01 1";

  @Test
  void decodesAHandWorked4x4Image() {
    byte[] stream = new StreamBuilder(8, 4, 4, 1).table(0, SMALL_TABLE_COUNTS, SMALL_TABLE_VALUES)
        .scan(1, 0, new int[] {1}, PREDICTOR_1_BITS).build();
    assertArrayEquals(IMAGE, JpegLosslessDecoder.decode(stream, "frame 1 of 1"));
  }

  /**
   * The same image in two restart intervals of two lines (DRI 8 samples). The second interval starts over: its first
   * sample is predicted by 128 again (132 - 128 = +4: category 3 = 101, bits 100) and its first line from the left.
   */
  @Test
  void restartIntervalsStartThePredictionOver() {
    String first = "100 10  01 1  00  100 01  100 10  100 10  01 0  00";
    String second = "101 100  00  110 1000  01 1  101 000  01 1  00  01 1";
    byte[] stream = new StreamBuilder(8, 4, 4, 1).table(0, SMALL_TABLE_COUNTS, SMALL_TABLE_VALUES)
        .restartInterval(8).scan(1, 0, new int[] {1}, first, second).build();
    assertArrayEquals(IMAGE, JpegLosslessDecoder.decode(stream, "frame 1 of 1"));
  }

  /**
   * Predictor 7, (Ra + Rb) / 2, on the first two lines of the image: line 1 is predicted as with predictor 1 (+2 +1
   * 0 -2); line 2 starts from above (132 - 130 = +2), then (132+131)/2 = 131 gives +3 (category 2, bits 11),
   * (134+131)/2 = 132 gives +1, (133+129)/2 = 131 gives +2.
   */
  @Test
  void predictorSevenAveragesLeftAndAbove() {
    String bits = "100 10  01 1  00  100 01  100 10  100 11  01 1  100 10";
    byte[] stream = new StreamBuilder(8, 4, 2, 1).table(0, SMALL_TABLE_COUNTS, SMALL_TABLE_VALUES)
        .scan(7, 0, new int[] {1}, bits).build();
    assertArrayEquals(Arrays.copyOf(IMAGE, 8), JpegLosslessDecoder.decode(stream, "frame 1 of 1"));
  }

  /**
   * Predictor 4, Ra + Rb - Rc, on lines 2 and 3 of a 2 x 3 image {10, 12 / 14, 17 / 13, 19} with precision 5 (initial
   * prediction 16): line 1 -6 (category 3, bits 001), +2; line 2 from above +4, then 14 + 12 - 10 = 16 gives +1;
   * line 3 from above -1, then 13 + 17 - 14 = 16 gives +3.
   */
  @Test
  void predictorFourUsesTheGradient() {
    String bits = "101 001  100 10  101 100  01 1  01 0  100 11";
    byte[] stream = new StreamBuilder(5, 2, 3, 1).table(0, SMALL_TABLE_COUNTS, SMALL_TABLE_VALUES)
        .scan(4, 0, new int[] {1}, bits).build();
    assertArrayEquals(new int[] {10, 12, 14, 17, 13, 19}, JpegLosslessDecoder.decode(stream, "frame 1 of 1"));
  }

  /**
   * Point transform 2 (H.1.2.3): the coded values are the samples shifted right by 2, and the first prediction is
   * 2^(8-2-1) = 32. Samples 132 and 136 are coded as 33 and 34: differences +1 and +1.
   */
  @Test
  void pointTransformShiftsTheDecodedValuesBack() {
    byte[] stream = new StreamBuilder(8, 2, 1, 1).table(0, SMALL_TABLE_COUNTS, SMALL_TABLE_VALUES)
        .scan(1, 2, new int[] {1}, "01 1  01 1").build();
    assertArrayEquals(new int[] {132, 136}, JpegLosslessDecoder.decode(stream, "frame 1 of 1"));
  }

  /**
   * 16-bit samples 0 and 65535 with a table of category 16 = 0 and category 1 = 10. The first difference is
   * 0 - 32768, which modulo 2^16 is category 16's fixed 32768 with no extra bits; the second, 65535 - 0, is -1
   * modulo 2^16: category 1, bit 0.
   */
  @Test
  void categorySixteenIsThirtyTwoThousandSevenHundredSixtyEight() {
    byte[] stream = new StreamBuilder(16, 2, 1, 1).table(0, new int[] {0, 1, 1}, new int[] {16, 1})
        .scan(1, 0, new int[] {1}, "0  10 0").build();
    assertArrayEquals(new int[] {0, 65535}, JpegLosslessDecoder.decode(stream, "frame 1 of 1"));
  }

  /**
   * Two components of a 2 x 1 image, {130, 131} and {126, 120}, coded once interleaved in one scan (samples
   * alternate: +2, -2, +1, -6) and once as one scan per component, each with its own table id: same samples,
   * colour-by-pixel.
   */
  @Test
  void interleavedAndSeparateScansGiveTheSameSamples() {
    int[] expected = {130, 126, 131, 120};
    byte[] interleaved = new StreamBuilder(8, 2, 1, 2).table(0, SMALL_TABLE_COUNTS, SMALL_TABLE_VALUES)
        .table(1, SMALL_TABLE_COUNTS, SMALL_TABLE_VALUES)
        .scan(1, 0, new int[] {1, 2}, "100 10  100 01  01 1  101 001").build();
    byte[] separate = new StreamBuilder(8, 2, 1, 2).table(0, SMALL_TABLE_COUNTS, SMALL_TABLE_VALUES)
        .table(1, SMALL_TABLE_COUNTS, SMALL_TABLE_VALUES)
        .scan(1, 0, new int[] {1}, "100 10  01 1").scan(1, 0, new int[] {2}, "100 01  101 001").build();
    assertArrayEquals(expected, JpegLosslessDecoder.decode(interleaved, "frame 1 of 1"));
    assertArrayEquals(expected, JpegLosslessDecoder.decode(separate, "frame 1 of 1"));
  }

  /**
   * A data byte 0xFF is written as FF 00 (B.1.1.5) and the reader must drop the 00. With category 8 in place of 4
   * (code 110), three 16-bit samples 0 (code 00), +1 (01, bit 1) and +255 (110, bits 11111111) from 32768 give the
   * bits 00011110 11111111: the second byte is 0xFF.
   */
  @Test
  void stuffedZeroBytesAreSkipped() {
    byte[] stream = new StreamBuilder(16, 3, 1, 1).table(0, SMALL_TABLE_COUNTS, new int[] {0, 1, 2, 3, 8})
        .scan(1, 0, new int[] {1}, "00  01 1  110 11111111").build();
    byte[] tail = Arrays.copyOfRange(stream, stream.length - 5, stream.length);
    assertArrayEquals(new byte[] {0x1E, (byte) 0xFF, 0, (byte) 0xFF, (byte) 0xD9}, tail);
    assertArrayEquals(new int[] {32768, 32769, 33024}, JpegLosslessDecoder.decode(stream, "frame 1 of 1"));
  }

  @Test
  void truncatedScanIsAnErrorNamingTheOffset() {
    byte[] stream = new StreamBuilder(8, 4, 4, 1).table(0, SMALL_TABLE_COUNTS, SMALL_TABLE_VALUES)
        .scan(1, 0, new int[] {1}, PREDICTOR_1_BITS).build();
    // Cut inside the entropy-coded data (the last 2 bytes are EOI, the 4 before are the scan's bits).
    byte[] cut = Arrays.copyOf(stream, stream.length - 5);
    PixelDecodingException e = assertThrows(PixelDecodingException.class,
        () -> JpegLosslessDecoder.decode(cut, "frame 2 of 3"));
    assertTrue(e.getMessage().startsWith("JPEG lossless frame 2 of 3: scan is truncated")
        && e.getMessage().contains("byte offset"), e.getMessage());
  }

  @Test
  void everyCutOfAStreamFailsCleanly() {
    byte[] stream = new StreamBuilder(8, 4, 4, 1).table(0, SMALL_TABLE_COUNTS, SMALL_TABLE_VALUES)
        .restartInterval(8).scan(1, 0, new int[] {1}, "100 10  01 1  00  100 01  100 10  100 10  01 0  00",
            "101 100  00  110 1000  01 1  101 000  01 1  00  01 1").build();
    // Every prefix that stops before the last scan byte loses samples; all must fail with our exception.
    for (int length = 0; length < stream.length - 2; length++) {
      byte[] cut = Arrays.copyOf(stream, length);
      PixelDecodingException e = assertThrows(PixelDecodingException.class,
          () -> JpegLosslessDecoder.decode(cut, "frame 1 of 1"), "prefix of " + length + " bytes");
      assertTrue(e.getMessage().startsWith("JPEG lossless frame 1 of 1"), e.getMessage());
    }
  }

  @Test
  void missingRestartMarkerIsNamed() {
    byte[] stream = new StreamBuilder(8, 4, 4, 1).table(0, SMALL_TABLE_COUNTS, SMALL_TABLE_VALUES)
        .restartInterval(8).scan(1, 0, new int[] {1}, PREDICTOR_1_BITS).build();
    PixelDecodingException e = assertThrows(PixelDecodingException.class,
        () -> JpegLosslessDecoder.decode(stream, "frame 1 of 1"));
    assertTrue(e.getMessage().contains("expected restart marker RST0"), e.getMessage());
  }

  @Test
  void headerErrorsAreNamed() {
    StreamBuilder valid = new StreamBuilder(8, 4, 4, 1).table(0, SMALL_TABLE_COUNTS, SMALL_TABLE_VALUES);
    assertMessage("predictor 0 is not 1..7",
        valid.copy().scan(0, 0, new int[] {1}, PREDICTOR_1_BITS).build());
    assertMessage("uses Huffman table 1, which no DHT defined",
        new StreamBuilder(8, 4, 4, 1).table(0, SMALL_TABLE_COUNTS, SMALL_TABLE_VALUES).scanWithTable(1)
            .scan(1, 0, new int[] {1}, PREDICTOR_1_BITS).build());
    assertMessage("point transform 8 is not below the precision 8",
        valid.copy().scan(1, 8, new int[] {1}, PREDICTOR_1_BITS).build());
    assertMessage("scan refers to component 9",
        valid.copy().scan(1, 0, new int[] {9}, PREDICTOR_1_BITS).build());
    assertMessage("symbol 17 is not a difference category",
        new StreamBuilder(8, 4, 4, 1).table(0, new int[] {0, 1}, new int[] {17}).build());
    assertMessage("only lossless Huffman process 14 (SOF3)", new StreamBuilder(8, 4, 4, 1).sof(0xC0).build());
    assertMessage("EOI at byte offset", new StreamBuilder(8, 4, 4, 1).build());
    assertMessage("does not start with SOI", new byte[] {0, 1, 2});
  }

  /** Seeded random byte changes in a real-looking stream: decoded or refused, never another exception. */
  @Test
  void corruptStreamsFailWithOurException() {
    byte[] stream = new StreamBuilder(8, 4, 4, 1).table(0, SMALL_TABLE_COUNTS, SMALL_TABLE_VALUES)
        .restartInterval(8).scan(1, 0, new int[] {1}, "100 10  01 1  00  100 01  100 10  100 10  01 0  00",
            "101 100  00  110 1000  01 1  101 000  01 1  00  01 1").build();
    java.util.Random random = new java.util.Random(20240612L);
    int refused = 0;
    for (int trial = 0; trial < 3000; trial++) {
      byte[] corrupt = stream.clone();
      for (int k = 1 + random.nextInt(3); k > 0; k--) {
        corrupt[random.nextInt(corrupt.length)] = (byte) random.nextInt(256);
      }
      try {
        int[] samples = JpegLosslessDecoder.decode(corrupt, "frame 1 of 1");
        assertTrue(samples.length > 0);
      } catch (PixelDecodingException e) {
        refused++;
      }
    }
    assertTrue(refused > 0, "no corrupt stream was refused");
  }

  private static void assertMessage(String expected, byte[] stream) {
    PixelDecodingException e = assertThrows(PixelDecodingException.class,
        () -> JpegLosslessDecoder.decode(stream, "frame 1 of 1"));
    assertTrue(e.getMessage().contains(expected) && e.getMessage().startsWith("JPEG lossless frame 1 of 1"),
        e.getMessage());
  }

  /** Writes lossless JPEG streams marker by marker, with scans given as strings of code bits. */
  private static final class StreamBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int sof = 0xC3;
    private final int precision;
    private final int width;
    private final int height;
    private final int components;
    private int tableOverride = -1;
    private boolean frameWritten;

    StreamBuilder(int precision, int width, int height, int components) {
      this.precision = precision;
      this.width = width;
      this.height = height;
      this.components = components;
      out.write(0xFF);
      out.write(0xD8);
    }

    StreamBuilder copy() {
      StreamBuilder copy = new StreamBuilder(precision, width, height, components);
      copy.out.reset();
      copy.out.writeBytes(out.toByteArray());
      copy.sof = sof;
      copy.frameWritten = frameWritten;
      return copy;
    }

    StreamBuilder sof(int marker) {
      sof = marker;
      return this;
    }

    StreamBuilder scanWithTable(int table) {
      tableOverride = table;
      return this;
    }

    StreamBuilder table(int id, int[] counts, int[] values) {
      segment(0xC4, out -> {
        out.write(id);
        for (int length = 1; length <= 16; length++) {
          out.write(length < counts.length ? counts[length] : 0);
        }
        for (int value : values) {
          out.write(value);
        }
      });
      return this;
    }

    StreamBuilder restartInterval(int samples) {
      segment(0xDD, out -> {
        out.write(samples >> 8);
        out.write(samples);
      });
      return this;
    }

    /** A scan of the given component ids (1-based) whose restart intervals' bits are {@code intervals}. */
    StreamBuilder scan(int predictor, int pointTransform, int[] ids, String... intervals) {
      frame();
      segment(0xDA, out -> {
        out.write(ids.length);
        for (int id : ids) {
          out.write(id);
          out.write((tableOverride >= 0 ? tableOverride : id - 1) << 4);
        }
        out.write(predictor);
        out.write(0);
        out.write(pointTransform);
      });
      for (int i = 0; i < intervals.length; i++) {
        if (i > 0) {
          out.write(0xFF);
          out.write(0xD0 + (i - 1) % 8);
        }
        writeBits(intervals[i]);
      }
      return this;
    }

    byte[] build() {
      frame();
      out.write(0xFF);
      out.write(0xD9);
      return out.toByteArray();
    }

    private void frame() {
      if (frameWritten) {
        return;
      }
      frameWritten = true;
      segment(sof, out -> {
        out.write(precision);
        out.write(height >> 8);
        out.write(height);
        out.write(width >> 8);
        out.write(width);
        out.write(components);
        for (int c = 1; c <= components; c++) {
          out.write(c);
          out.write(0x11);
          out.write(0);
        }
      });
    }

    /** Packs '0'/'1' characters (spaces ignored) into bytes, pads with one bits (F.1.2.3), stuffs 0xFF with 00. */
    private void writeBits(String bits) {
      String clean = bits.replace(" ", "");
      while (clean.length() % 8 != 0) {
        clean += "1";
      }
      for (int i = 0; i < clean.length(); i += 8) {
        int b = Integer.parseInt(clean.substring(i, i + 8), 2);
        out.write(b);
        if (b == 0xFF) {
          out.write(0);
        }
      }
    }

    private void segment(int marker, java.util.function.Consumer<ByteArrayOutputStream> body) {
      ByteArrayOutputStream content = new ByteArrayOutputStream();
      body.accept(content);
      out.write(0xFF);
      out.write(marker);
      out.write((content.size() + 2) >> 8);
      out.write(content.size() + 2);
      out.writeBytes(content.toByteArray());
    }
  }

  @Test
  void builderWritesWhatTheCasesAssume() {
    byte[] stream = new StreamBuilder(8, 2, 1, 1).table(0, SMALL_TABLE_COUNTS, SMALL_TABLE_VALUES)
        .scan(1, 2, new int[] {1}, "01 1  01 1").build();
    // SOI, DHT (2+2+1+16+5), SOF3 (2+2+6+3), SOS (2+2+1+2+3), one data byte 0x6F, EOI.
    assertEquals(2 + 26 + 13 + 10 + 1 + 2, stream.length);
    assertEquals(0x6F, stream[stream.length - 3] & 0xFF);
  }
}
