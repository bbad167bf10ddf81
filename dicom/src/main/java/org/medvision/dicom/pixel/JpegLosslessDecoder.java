package org.medvision.dicom.pixel;

/**
 * Our decoder for lossless JPEG (ISO 10918-1 | ITU-T T.81 Annex H, process 14: SOF3, Huffman coding), the coding of
 * DICOM transfer syntaxes 1.2.840.10008.1.2.4.57 and .70: 2 to 16 bits, predictors 1 to 7, point transform, one or
 * more components, interleaved in one scan or one scan each, with or without restart intervals.
 *
 * <p>It replaces TwelveMonkeys' pure-Java lossless reader, which (by JFR) spent about half its time fetching the
 * stream a byte per ImageInputStream call and a third decoding Huffman codes a bit at a time; here a sample is one table lookup
 * (see {@link LosslessHuffmanTable}) and a prediction from the output array itself. (Decoding a line of differences
 * in a loop of its own first, as libjpeg does, measured no faster: the JIT already keeps the bit cache in registers.)
 *
 * <p>Not implemented, each an explicit error: hierarchical and arithmetic-coded processes (SOF5..7, SOF9..15),
 * subsampled components in an interleaved scan, restart intervals that are not whole lines, and DNL. None are written
 * by DICOM encoders we know of.
 */
final class JpegLosslessDecoder extends JpegSegmentCursor {
  private final LosslessHuffmanTable[] tables = new LosslessHuffmanTable[4];
  private int restartInterval;
  private int precision;
  private int width;
  private int height;
  private int[] componentIds;
  private boolean[] decoded;
  private int[] pointTransforms;
  private int[] samples;

  private JpegLosslessDecoder(byte[] data, String what) {
    super("JPEG lossless", data, what);
  }

  /**
   * Decodes one lossless JPEG image to samples, colour-by-pixel, as the stream holds them (no colour conversion).
   *
   * @param data the stream from SOI to EOI
   * @param what names the stream in messages (e.g. "frame 3 of 10")
   * @throws PixelDecodingException for a malformed, truncated or unsupported stream, naming the byte offset
   */
  static int[] decode(byte[] data, String what) {
    JpegLosslessDecoder decoder = new JpegLosslessDecoder(data, what);
    decoder.run();
    return decoder.samples;
  }

  private void run() {
    if (data.length < 2 || u8() != 0xFF || u8() != 0xD8) {
      throw error("does not start with SOI (FFD8)");
    }
    while (true) {
      int at = position;
      if (at >= data.length && allDecoded()) {
        // libjpeg accepts a missing EOI after complete scans, with a warning; so do we.
        finishPointTransform();
        return;
      }
      if (u8() != 0xFF) {
        throw error(String.format("expected a marker at byte offset %d, found 0x%02X", at, data[at] & 0xFF));
      }
      int marker = u8();
      while (marker == 0xFF) {
        marker = u8();
      }
      if (marker == 0xD9) {
        if (!allDecoded()) {
          throw error("EOI at byte offset " + at + " before every component was decoded");
        }
        finishPointTransform();
        return;
      }
      int length = u16();
      int end = at + 2 + length;
      if (length < 2 || end > data.length) {
        throw error(String.format("marker FF%02X at byte offset %d has length %d past the end of the %d-byte stream",
            marker, at, length, data.length));
      }
      switch (marker) {
        case 0xC4 -> readHuffmanTables(end);
        case 0xC3 -> readFrame(end);
        case 0xDD -> restartInterval = u16();
        case 0xDA -> {
          readScan(end);
          continue;
        }
        case 0xDC -> throw error("DNL (a frame height given after the first scan) is not implemented");
        default -> {
          if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC8) {
            throw error(String.format("marker FF%02X (%s) at byte offset %d: only lossless Huffman process 14 (SOF3)"
                + " is decoded here", marker, processName(marker), at));
          }
          if (!((marker >= 0xE0 && marker <= 0xEF) || marker == 0xFE || marker == 0xDB)) {
            throw error(String.format("unexpected marker FF%02X at byte offset %d", marker, at));
          }
        }
      }
      position = end;
    }
  }

  private static String processName(int marker) {
    return switch (marker) {
      case 0xC0, 0xC1, 0xC2 -> "DCT";
      case 0xCC -> "arithmetic conditioning";
      case 0xC5, 0xC6, 0xC7 -> "hierarchical";
      default -> "arithmetic coding";
    };
  }

  private boolean allDecoded() {
    if (decoded == null) {
      return false;
    }
    for (boolean done : decoded) {
      if (!done) {
        return false;
      }
    }
    return true;
  }

  private void readHuffmanTables(int end) {
    while (position < end) {
      int at = position;
      int classAndId = u8();
      if (classAndId > 3) {
        throw error(String.format("Huffman table class/id 0x%02X at byte offset %d: lossless scans use DC tables 0..3",
            classAndId, at));
      }
      int[] counts = new int[17];
      int total = 0;
      for (int length = 1; length <= 16; length++) {
        counts[length] = u8();
        total += counts[length];
      }
      if (total > 17 || position + total > end) {
        throw error("Huffman table " + classAndId + " at byte offset " + at + " has " + total
            + " codes; a lossless table has at most 17 and must fit its segment");
      }
      int[] values = new int[total];
      for (int i = 0; i < total; i++) {
        values[i] = u8();
      }
      try {
        tables[classAndId] = new LosslessHuffmanTable(counts, values);
      } catch (IllegalArgumentException e) {
        throw error("Huffman table " + classAndId + " at byte offset " + at + ": " + e.getMessage());
      }
    }
  }

  private void readFrame(int end) {
    if (componentIds != null) {
      throw error("a second SOF3 frame header at byte offset " + (position - 4));
    }
    precision = u8();
    height = u16();
    width = u16();
    int count = u8();
    if (precision < 2 || precision > 16) {
      throw error("sample precision " + precision + " is outside 2..16");
    }
    if (height == 0) {
      throw error("frame height 0 (to be given by a DNL marker) is not implemented");
    }
    if (width == 0 || count < 1 || count > 4 || position + 3 * count != end) {
      throw error("frame header " + width + " x " + height + " with " + count + " components is malformed");
    }
    componentIds = new int[count];
    for (int i = 0; i < count; i++) {
      componentIds[i] = u8();
      int sampling = u8();
      u8();
      if (count > 1 && sampling != 0x11) {
        throw error("component " + componentIds[i] + " has sampling factors " + (sampling >> 4) + "x"
            + (sampling & 15) + "; subsampled lossless components are not implemented");
      }
    }
    // Every sample costs at least one bit (the shortest Huffman code), so a stream too short for its frame is
    // refused before the frame's array is allocated: a corrupt header cannot ask for gigabytes.
    long sampleCount = (long) width * height * count;
    if (sampleCount > 8L * data.length) {
      throw error("truncated stream or corrupt frame header: a " + width + " x " + height + " x " + count
          + " frame needs at least " + sampleCount + " bits of entropy-coded data, but the stream ends at byte offset "
          + data.length);
    }
    decoded = new boolean[count];
    pointTransforms = new int[count];
    samples = new int[(int) sampleCount];
  }

  private void readScan(int end) {
    if (componentIds == null) {
      throw error("SOS at byte offset " + (position - 4) + " before the SOF3 frame header");
    }
    int count = u8();
    if (count < 1 || count > componentIds.length || position + 2 * count + 3 != end) {
      throw error("scan header with " + count + " components is malformed");
    }
    int[] components = new int[count];
    LosslessHuffmanTable[] scanTables = new LosslessHuffmanTable[count];
    for (int i = 0; i < count; i++) {
      int id = u8();
      int table = u8() >> 4;
      components[i] = indexOfComponent(id);
      if (decoded[components[i]]) {
        throw error("component " + id + " appears in a second scan");
      }
      if (table > 3 || tables[table] == null) {
        throw error("scan component " + id + " uses Huffman table " + table + ", which no DHT defined");
      }
      scanTables[i] = tables[table];
    }
    int predictor = u8();
    u8(); // Se: always 0 in lossless mode, and without meaning there.
    int pointTransform = u8() & 15;
    if (predictor < 1 || predictor > 7) {
      throw error("predictor " + predictor + " is not 1..7 (0 is for hierarchical differential frames)");
    }
    if (pointTransform >= precision) {
      throw error("point transform " + pointTransform + " is not below the precision " + precision);
    }
    int linesPerInterval = height;
    if (restartInterval != 0) {
      if (restartInterval % width != 0) {
        throw error("restart interval " + restartInterval + " is not a whole number of " + width
            + "-sample lines; such intervals are not implemented");
      }
      linesPerInterval = restartInterval / width;
    }
    JpegEntropyReader bits = new JpegEntropyReader(this);
    int initial = 1 << (precision - pointTransform - 1);
    int rst = 0;
    for (int y = 0; y < height; y++) {
      boolean firstLine = y % linesPerInterval == 0;
      if (firstLine && y > 0) {
        bits.restart(rst);
        rst = (rst + 1) & 7;
      }
      if (count == 1) {
        decodeLine(bits, scanTables[0], components[0], y, firstLine ? 0 : predictor, initial);
      } else {
        decodeInterleavedLine(bits, scanTables, components, y, firstLine ? 0 : predictor, initial);
      }
      if (bits.overran()) {
        throw error("scan is truncated: its entropy-coded data ends at byte offset " + bits.position()
            + " in line " + (y + 1) + " of " + height);
      }
    }
    bits.finish();
    for (int component : components) {
      decoded[component] = true;
      pointTransforms[component] = pointTransform;
    }
  }

  private int indexOfComponent(int id) {
    for (int i = 0; i < componentIds.length; i++) {
      if (componentIds[i] == id) {
        return i;
      }
    }
    throw error("scan refers to component " + id + ", which the frame header does not declare");
  }

  /**
   * Decodes line {@code y} of one component (T.81 H.1.2.1). Predictor 0 marks the first line of the image or of a
   * restart interval, which is predicted from the left (and its first sample from {@code initial}); in every other
   * line the first sample is predicted from above.
   */
  private void decodeLine(JpegEntropyReader bits, LosslessHuffmanTable table, int component, int y, int predictor,
      int initial) {
    int[] out = samples;
    int stride = componentIds.length;
    int line = width * stride;
    int at = y * line + component;
    int end = at + line;
    int ra = predictor == 0 ? initial : out[at - line];
    out[at] = ra = (ra + bits.decodeDifference(table)) & 0xFFFF;
    at += stride;
    switch (predictor) {
      case 0, 1 -> {
        for (; at < end; at += stride) {
          out[at] = ra = (ra + bits.decodeDifference(table)) & 0xFFFF;
        }
      }
      case 2 -> {
        for (; at < end; at += stride) {
          out[at] = (out[at - line] + bits.decodeDifference(table)) & 0xFFFF;
        }
      }
      case 3 -> {
        for (; at < end; at += stride) {
          out[at] = (out[at - line - stride] + bits.decodeDifference(table)) & 0xFFFF;
        }
      }
      default -> {
        for (; at < end; at += stride) {
          int above = at - line;
          out[at] = (predict(predictor, out[at - stride], out[above], out[above - stride])
              + bits.decodeDifference(table)) & 0xFFFF;
        }
      }
    }
  }

  /** Decodes line {@code y} of a scan whose components are interleaved sample by sample. */
  private void decodeInterleavedLine(JpegEntropyReader bits, LosslessHuffmanTable[] scanTables, int[] components,
      int y, int predictor, int initial) {
    int[] out = samples;
    int stride = componentIds.length;
    int line = width * stride;
    int start = y * line;
    int count = components.length;
    for (int i = 0; i < count; i++) {
      int at = start + components[i];
      int prediction = predictor == 0 ? initial : out[at - line];
      out[at] = (prediction + bits.decodeDifference(scanTables[i])) & 0xFFFF;
    }
    for (int pixel = start + stride; pixel < start + line; pixel += stride) {
      for (int i = 0; i < count; i++) {
        int at = pixel + components[i];
        int prediction = predictor == 0 ? out[at - stride]
            : predict(predictor, out[at - stride], out[at - line], out[at - line - stride]);
        out[at] = (prediction + bits.decodeDifference(scanTables[i])) & 0xFFFF;
      }
    }
  }

  /** T.81 Table H.1: the prediction from the samples left (a), above (b) and above-left (c). */
  private static int predict(int predictor, int a, int b, int c) {
    return switch (predictor) {
      case 1 -> a;
      case 2 -> b;
      case 3 -> c;
      case 4 -> a + b - c;
      case 5 -> a + ((b - c) >> 1);
      case 6 -> b + ((a - c) >> 1);
      default -> (a + b) >> 1;
    };
  }

  /** The decoded values are the samples shifted right by the point transform (H.1.2.3); shift them back. */
  private void finishPointTransform() {
    int stride = componentIds.length;
    for (int c = 0; c < stride; c++) {
      int shift = pointTransforms[c];
      if (shift != 0) {
        for (int at = c; at < samples.length; at += stride) {
          samples[at] <<= shift;
        }
      }
    }
  }
}
