package org.medvision.dicom.pixel;

/**
 * Our decoder for sequential DCT JPEG with Huffman coding (ISO 10918-1 processes 1, 2 and 4: SOF0 and SOF1, 8 or 12
 * bits), used for 12-bit JPEG Extended (.51) because the JDK's libjpeg, which TwelveMonkeys delegates to for lossy
 * JPEG, reads 8-bit data only.
 *
 * <p>Scans may be interleaved or one per component; restart intervals are honoured. The inverse DCT is the exact
 * separable cosine sum in double precision, so results may differ by one from libjpeg's integer IDCT; chroma is
 * upsampled by replication. Progressive and arithmetic-coded streams are refused by name.
 */
final class JpegSequentialDecoder extends JpegSegmentCursor {
  private static final int[] ZIGZAG = {0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40,
      48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58,
      59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};
  private static final double[][] COSINES = new double[8][8];

  static {
    for (int x = 0; x < 8; x++) {
      for (int u = 0; u < 8; u++) {
        double c = u == 0 ? Math.sqrt(0.5) : 1;
        COSINES[x][u] = c * Math.cos((2 * x + 1) * u * Math.PI / 16) / 2;
      }
    }
  }

  private final int[][] quantTables = new int[4][];
  private final HuffmanTable[] dcTables = new HuffmanTable[4];
  private final HuffmanTable[] acTables = new HuffmanTable[4];
  private int restartInterval;
  private int precision;
  private int width;
  private int height;
  private Component[] components;
  private int maxH;
  private int maxV;
  private int mcusX;
  private int mcusY;

  /** One frame component and its coefficient blocks. */
  private static final class Component {
    int id;
    int h;
    int v;
    int quant;
    int blocksX;
    int blocksY;
    int[][] blocks;
    int dcTable;
    int acTable;
    int predictor;
  }

  private final long maxSamples;

  private JpegSequentialDecoder(byte[] data, String what, long maxSamples) {
    super("JPEG", data, what);
    this.maxSamples = maxSamples;
  }

  /**
   * Decodes a stream to samples, colour-by-pixel, unconverted (YCbCr stays YCbCr).
   *
   * @throws PixelDecodingException for malformed, truncated or unsupported streams, naming the byte offset
   */
  static int[] decode(byte[] data, String what) {
    return decode(data, what, Long.MAX_VALUE);
  }

  /**
   * Decodes a stream of at most {@code maxSamples} samples; the caller passes what the frame's attributes describe,
   * so that a corrupt SOF size fails before the blocks are allocated (a fuzzing finding: a 65535 x 65535 frame header
   * allocated for minutes).
   */
  static int[] decode(byte[] data, String what, long maxSamples) {
    return new JpegSequentialDecoder(data, what, maxSamples).run();
  }

  private int[] run() {
    if (u8() != 0xFF || u8() != 0xD8) {
      throw error("does not start with SOI (FFD8)");
    }
    boolean scanned = false;
    while (true) {
      int at = position;
      if (u8() != 0xFF) {
        throw error("expected a marker at byte offset " + at);
      }
      int marker = u8();
      while (marker == 0xFF) {
        marker = u8();
      }
      if (marker == 0xD9) {
        if (!scanned) {
          throw error("EOI before any scan");
        }
        return output();
      }
      int length = u16();
      int end = at + 2 + length;
      if (end > data.length) {
        throw error(String.format("marker FF%02X at byte offset %d has length %d past the end", marker, at, length));
      }
      switch (marker) {
        case 0xDB -> readQuantTables(end);
        case 0xC4 -> readHuffmanTables(end);
        case 0xC0, 0xC1 -> readFrame();
        case 0xDD -> restartInterval = u16();
        case 0xDA -> {
          readScan();
          scanned = true;
          continue;
        }
        default -> {
          if (marker >= 0xC2 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
            throw error(String.format("process SOF%d (marker FF%02X) is not implemented; only sequential Huffman"
                + " DCT (SOF0, SOF1)", marker - 0xC0, marker));
          }
          if (!((marker >= 0xE0 && marker <= 0xEF) || marker == 0xFE)) {
            throw error(String.format("unexpected marker FF%02X at byte offset %d", marker, at));
          }
        }
      }
      position = end;
    }
  }

  private void readQuantTables(int end) {
    while (position < end) {
      int pq = u8();
      int id = pq & 15;
      if (id > 3) {
        throw error("quantisation table id " + id);
      }
      int[] table = new int[64];
      for (int k = 0; k < 64; k++) {
        table[ZIGZAG[k]] = (pq >> 4) == 0 ? u8() : u16();
      }
      quantTables[id] = table;
    }
  }

  private void readHuffmanTables(int end) {
    while (position < end) {
      int tc = u8();
      int id = tc & 15;
      if (id > 3 || (tc >> 4) > 1) {
        throw error("Huffman table class/id 0x" + Integer.toHexString(tc));
      }
      int[] counts = new int[17];
      int total = 0;
      for (int i = 1; i <= 16; i++) {
        counts[i] = u8();
        total += counts[i];
      }
      if (total > 256) {
        throw error("Huffman table with " + total + " codes");
      }
      int[] values = new int[total];
      for (int i = 0; i < total; i++) {
        values[i] = u8();
      }
      HuffmanTable table = new HuffmanTable(counts, values);
      if ((tc >> 4) == 0) {
        dcTables[id] = table;
      } else {
        acTables[id] = table;
      }
    }
  }

  private void readFrame() {
    precision = u8();
    height = u16();
    width = u16();
    int count = u8();
    if (precision != 8 && precision != 12) {
      throw error("sample precision " + precision + "; sequential DCT allows 8 or 12");
    }
    if (height == 0 || width == 0 || count < 1 || count > 4) {
      throw error("frame " + width + " x " + height + " with " + count + " components is not supported");
    }
    if ((long) width * height * count > maxSamples) {
      throw error("frame " + width + " x " + height + " x " + count + " is larger than the " + maxSamples
          + " samples expected");
    }
    components = new Component[count];
    for (int i = 0; i < count; i++) {
      Component c = new Component();
      c.id = u8();
      int hv = u8();
      c.h = hv >> 4;
      c.v = hv & 15;
      c.quant = u8();
      if (c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 || c.quant > 3) {
        throw error("component " + c.id + " has sampling " + c.h + "x" + c.v + " and table " + c.quant);
      }
      maxH = Math.max(maxH, c.h);
      maxV = Math.max(maxV, c.v);
      components[i] = c;
    }
    mcusX = (width + 8 * maxH - 1) / (8 * maxH);
    mcusY = (height + 8 * maxV - 1) / (8 * maxV);
    for (Component c : components) {
      c.blocksX = mcusX * c.h;
      c.blocksY = mcusY * c.v;
      c.blocks = new int[c.blocksX * c.blocksY][64];
    }
  }

  private void readScan() {
    if (components == null) {
      throw error("SOS before SOF");
    }
    int count = u8();
    Component[] scan = new Component[count];
    for (int i = 0; i < count; i++) {
      int id = u8();
      int tables = u8();
      Component found = null;
      for (Component c : components) {
        if (c.id == id) {
          found = c;
        }
      }
      if (found == null) {
        throw error("scan refers to component " + id + " that SOF does not declare");
      }
      found.dcTable = tables >> 4;
      found.acTable = tables & 15;
      if (found.dcTable > 3 || found.acTable > 3 || dcTables[found.dcTable] == null
          || acTables[found.acTable] == null) {
        throw error("scan component " + id + " uses an undefined Huffman table");
      }
      scan[i] = found;
    }
    // Spectral selection and approximation (Ss, Se, Ah/Al) mean nothing to a sequential frame; some encoders write
    // Se=0 there (pydicom's JPEG-lossy.dcm), and libjpeg only warns, so we ignore them as it does.
    u8();
    u8();
    u8();
    BitReader bits = new BitReader();
    for (Component c : scan) {
      c.predictor = 0;
    }
    int mcus;
    int columns;
    if (count == 1) {
      Component c = scan[0];
      int componentWidth = (width * c.h + maxH - 1) / maxH;
      int componentHeight = (height * c.v + maxV - 1) / maxV;
      columns = (componentWidth + 7) / 8;
      mcus = columns * ((componentHeight + 7) / 8);
    } else {
      columns = mcusX;
      mcus = mcusX * mcusY;
    }
    for (int mcu = 0; mcu < mcus; mcu++) {
      if (restartInterval > 0 && mcu > 0 && mcu % restartInterval == 0) {
        bits.restart();
        for (Component c : scan) {
          c.predictor = 0;
        }
      }
      int mcuRow = mcu / columns;
      int mcuColumn = mcu % columns;
      if (count == 1) {
        decodeBlock(bits, scan[0], scan[0].blocks[mcuRow * scan[0].blocksX + mcuColumn]);
      } else {
        for (Component c : scan) {
          for (int by = 0; by < c.v; by++) {
            for (int bx = 0; bx < c.h; bx++) {
              int row = mcuRow * c.v + by;
              int column = mcuColumn * c.h + bx;
              decodeBlock(bits, c, c.blocks[row * c.blocksX + column]);
            }
          }
        }
      }
    }
    if (bits.overran()) {
      throw error("scan is truncated: its entropy-coded data ends before the last block");
    }
    position = bits.nextMarker();
  }

  private void decodeBlock(BitReader bits, Component c, int[] block) {
    int size = dcTables[c.dcTable].decode(bits, this);
    c.predictor += size == 0 ? 0 : extend(bits.read(size), size);
    block[0] = c.predictor;
    HuffmanTable ac = acTables[c.acTable];
    for (int k = 1; k < 64;) {
      int rs = ac.decode(bits, this);
      int run = rs >> 4;
      int s = rs & 15;
      if (s == 0) {
        if (run != 15) {
          break;
        }
        k += 16;
        continue;
      }
      k += run;
      if (k > 63) {
        throw error("corrupt block: run past coefficient 63");
      }
      block[ZIGZAG[k]] = extend(bits.read(s), s);
      k++;
    }
  }

  private static int extend(int value, int size) {
    return value < (1 << (size - 1)) ? value - (1 << size) + 1 : value;
  }

  private int[] output() {
    int max = (1 << precision) - 1;
    int centre = 1 << (precision - 1);
    int count = components.length;
    int[] out = new int[width * height * count];
    double[] temp = new double[64];
    for (int ci = 0; ci < count; ci++) {
      Component c = components[ci];
      int[] quant = quantTables[c.quant];
      if (quant == null) {
        throw error("component " + c.id + " uses undefined quantisation table " + c.quant);
      }
      int planeWidth = c.blocksX * 8;
      int[] plane = new int[planeWidth * c.blocksY * 8];
      for (int b = 0; b < c.blocks.length; b++) {
        int[] block = c.blocks[b];
        // Rows first, then columns: the separable form of the 2-D inverse DCT.
        for (int v = 0; v < 8; v++) {
          for (int x = 0; x < 8; x++) {
            double sum = 0;
            for (int u = 0; u < 8; u++) {
              sum += COSINES[x][u] * block[v * 8 + u] * quant[v * 8 + u];
            }
            temp[v * 8 + x] = sum;
          }
        }
        int baseX = (b % c.blocksX) * 8;
        int baseY = (b / c.blocksX) * 8;
        for (int y = 0; y < 8; y++) {
          for (int x = 0; x < 8; x++) {
            double sum = 0;
            for (int v = 0; v < 8; v++) {
              sum += COSINES[y][v] * temp[v * 8 + x];
            }
            long value = Math.round(sum) + centre;
            plane[(baseY + y) * planeWidth + baseX + x] = (int) Math.max(0, Math.min(max, value));
          }
        }
      }
      int scaleX = maxH / c.h;
      int scaleY = maxV / c.v;
      for (int y = 0; y < height; y++) {
        int row = (y / scaleY) * planeWidth;
        for (int x = 0; x < width; x++) {
          out[(y * width + x) * count + ci] = plane[row + x / scaleX];
        }
      }
    }
    return out;
  }

  /** Canonical Huffman code (ISO 10918-1 Annex C) decoded by code length. */
  private static final class HuffmanTable {
    private final int[] maxCode = new int[18];
    private final int[] offset = new int[17];
    private final int[] values;

    HuffmanTable(int[] counts, int[] values) {
      this.values = values;
      int code = 0;
      int index = 0;
      for (int length = 1; length <= 16; length++) {
        offset[length] = index - code;
        code += counts[length];
        index += counts[length];
        maxCode[length] = counts[length] == 0 ? -1 : code - 1;
        code <<= 1;
      }
      maxCode[17] = Integer.MAX_VALUE;
    }

    int decode(BitReader bits, JpegSequentialDecoder owner) {
      int code = 0;
      for (int length = 1; length <= 16; length++) {
        code = (code << 1) | bits.read(1);
        if (code <= maxCode[length]) {
          int index = code + offset[length];
          if (index < 0 || index >= values.length) {
            break;
          }
          return values[index];
        }
      }
      if (bits.overran()) {
        throw owner.error("scan is truncated: its entropy-coded data ends before the last block");
      }
      throw owner.error("corrupt scan data: no Huffman code matches near byte offset " + bits.at);
    }
  }

  /** Entropy-coded bits with 0xFF00 stuffing; stops at markers and supplies zeros past them. */
  private final class BitReader {
    int at = position;
    private int buffer;
    private int count;
    private int padding;

    int read(int n) {
      while (count < n) {
        int b = 0;
        if (at < data.length - 1 && (data[at] & 0xFF) == 0xFF && data[at + 1] == 0) {
          b = 0xFF;
          at += 2;
        } else if (at < data.length && (data[at] & 0xFF) != 0xFF) {
          b = data[at++] & 0xFF;
        } else {
          padding += 8;
          if (padding > 4096) {
            throw error("scan is truncated: its entropy-coded data ends at byte offset " + at);
          }
        }
        buffer = (buffer << 8) | b;
        count += 8;
      }
      count -= n;
      return (buffer >>> count) & ((1 << n) - 1);
    }

    boolean overran() {
      return padding > 0 && count < padding;
    }

    void restart() {
      count = 0;
      padding = 0;
      if (at + 1 < data.length && (data[at] & 0xFF) == 0xFF && (data[at + 1] & 0xF8) == 0xD0) {
        at += 2;
      } else {
        throw error("expected a restart marker at byte offset " + at);
      }
    }

    int nextMarker() {
      int p = at;
      while (p + 1 < data.length && !((data[p] & 0xFF) == 0xFF && data[p + 1] != 0)) {
        p++;
      }
      return p;
    }
  }
}
