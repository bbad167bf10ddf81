package org.medvision.dicom.pixel;

import java.util.Arrays;

/**
 * Our JPEG-LS decoder (ITU-T T.87 | ISO/IEC 14495-1): lossless and near-lossless, 2 to 16 bits, one or more
 * components in interleave modes none, line and sample, with default or LSE-signalled preset parameters.
 *
 * <p>Not implemented, each an explicit error: mapping tables (LSE 2 and 3, palettised JPEG-LS), restart intervals,
 * point transform, subsampled components. Those are absent from DICOM encoders we know of.
 */
final class JpegLsDecoder extends JpegSegmentCursor {
  private static final int[] J = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10,
      11, 12, 13, 14, 15};
  private static final int RUN_CONTEXTS = 365;


  private int precision;
  private int width;
  private int height;
  private int[] componentIds;
  private int maxVal;
  private int t1;
  private int t2;
  private int t3;
  private int reset;
  private int[] samples;
  private int largestNear;
  private final long maxSamples;

  private JpegLsDecoder(byte[] data, String what, long maxSamples) {
    super("JPEG-LS", data, what);
    this.maxSamples = maxSamples;
  }

  /**
   * Decodes one JPEG-LS image.
   *
   * @param data the codestream from SOI to EOI
   * @param what names the stream in messages (e.g. "frame 3")
   * @throws PixelDecodingException for a malformed or truncated stream or a feature we do not implement
   */
  static JpegLsImage decode(byte[] data, String what) {
    return decode(data, what, Long.MAX_VALUE);
  }

  /**
   * Decodes one JPEG-LS image of at most {@code maxSamples} samples; the caller passes what the frame's attributes
   * describe, so that a corrupt SOF55 or LSE size fails before the sample array is allocated (a fuzzing finding).
   */
  static JpegLsImage decode(byte[] data, String what, long maxSamples) {
    JpegLsDecoder decoder = new JpegLsDecoder(data, what, maxSamples);
    decoder.run();
    return new JpegLsImage(decoder.width, decoder.height, decoder.componentIds.length, decoder.precision,
        decoder.largestNear, decoder.samples);
  }

  private int readMarker() {
    int first = u8();
    if (first != 0xFF) {
      throw error(String.format("expected a marker at byte offset %d, found 0x%02X", position - 1, first));
    }
    int code = u8();
    while (code == 0xFF) {
      code = u8();
    }
    return code;
  }

  private void run() {
    if (readMarker() != 0xD8) {
      throw error("does not start with SOI (FFD8)");
    }
    int scans = 0;
    while (true) {
      int markerOffset = position;
      int marker = readMarker();
      switch (marker) {
        case 0xF7 -> readFrameHeader();
        case 0xF8 -> readPresetParameters();
        case 0xDA -> {
          readScan();
          scans++;
        }
        case 0xDD -> {
          int length = u16();
          int interval = length >= 4 ? u16() : 0;
          position = markerOffset + 2 + length;
          if (interval != 0) {
            throw error("restart intervals (DRI " + interval + ") are not implemented");
          }
        }
        case 0xD9 -> {
          if (samples == null || scans == 0) {
            throw error("EOI before any scan was decoded");
          }
          return;
        }
        default -> {
          if ((marker >= 0xE0 && marker <= 0xEF) || marker == 0xFE) {
            int length = u16();
            position = markerOffset + 2 + length;
          } else if (marker >= 0xC0 && marker <= 0xCF) {
            throw error(String.format("found SOF marker FF%02X: this is a JPEG (not JPEG-LS) codestream", marker));
          } else {
            throw error(String.format("unexpected marker FF%02X at byte offset %d", marker, markerOffset));
          }
        }
      }
    }
  }

  private void readFrameHeader() {
    int length = u16();
    precision = u8();
    height = u16();
    width = u16();
    int count = u8();
    if (length != 8 + 3 * count) {
      throw error("SOF55 length " + length + " does not match " + count + " components");
    }
    if (precision < 2 || precision > 16) {
      throw error("sample precision " + precision + " is outside 2..16");
    }
    if (count < 1 || count > 4) {
      throw error(count + " components; 1 to 4 are supported");
    }
    componentIds = new int[count];
    for (int i = 0; i < count; i++) {
      componentIds[i] = u8();
      int sampling = u8();
      u8();
      if (sampling != 0x11) {
        throw error("subsampled components (sampling factors 0x" + Integer.toHexString(sampling)
            + ") are not implemented");
      }
    }
  }

  private void readPresetParameters() {
    int start = position;
    int length = u16();
    int id = u8();
    switch (id) {
      case 1 -> {
        maxVal = u16();
        t1 = u16();
        t2 = u16();
        t3 = u16();
        reset = u16();
      }
      case 2, 3 -> throw error("mapping tables (LSE id " + id + ") are not implemented");
      case 4 -> {
        int bytes = u8();
        long y = 0;
        long x = 0;
        for (int i = 0; i < bytes; i++) {
          y = (y << 8) | u8();
        }
        for (int i = 0; i < bytes; i++) {
          x = (x << 8) | u8();
        }
        if (y > 65535 || x > 65535 || y < 0 || x < 0) { // negative: more than 8 size bytes (a fuzzing finding)
          throw error("oversize image " + x + " x " + y + " is larger than DICOM allows");
        }
        height = (int) y;
        width = (int) x;
      }
      default -> throw error("unknown LSE id " + id);
    }
    position = start + length;
  }

  private void readScan() {
    if (componentIds == null) {
      throw error("SOS before SOF55");
    }
    if (width == 0 || height == 0) {
      throw error("image size " + width + " x " + height + " is empty");
    }
    if ((long) width * height * componentIds.length > maxSamples) {
      throw error("image size " + width + " x " + height + " x " + componentIds.length + " is larger than the "
          + maxSamples + " samples expected");
    }
    if (samples == null) {
      samples = new int[Math.multiplyExact(Math.multiplyExact(width, height), componentIds.length)];
    }
    int start = position;
    int length = u16();
    int count = u8();
    int[] components = new int[count];
    for (int i = 0; i < count; i++) {
      int id = u8();
      int table = u8();
      components[i] = indexOfComponent(id);
      if (table != 0) {
        throw error("mapping table " + table + " is not implemented");
      }
    }
    int near = u8();
    int interleave = u8();
    int transform = u8();
    if (position != start + length) {
      throw error("SOS length " + length + " does not match " + count + " components");
    }
    if (transform != 0) {
      throw error("point transform " + transform + " is not implemented");
    }
    if (interleave > 2) {
      throw error("interleave mode " + interleave + " is not 0, 1 or 2");
    }
    if (interleave == 0 && count != 1) {
      throw error("interleave mode 0 with " + count + " components in one scan");
    }
    largestNear = Math.max(largestNear, near);
    ScanDecoder scan = new ScanDecoder(near);
    if (near > Math.min(255, scan.maxVal / 2)) {
      throw error("NEAR " + near + " is too large for MAXVAL " + scan.maxVal);
    }
    JpegLsBitReader bits = new JpegLsBitReader(data, position, data.length);
    if (interleave == 2) {
      scan.decodeSampleInterleaved(bits, components);
    } else {
      scan.decodeLines(bits, components);
    }
    if (bits.overran()) {
      throw error("scan is truncated: its entropy-coded data ends before the last sample");
    }
    position = nextMarker(position);
  }

  private int indexOfComponent(int id) {
    for (int i = 0; i < componentIds.length; i++) {
      if (componentIds[i] == id) {
        return i;
      }
    }
    throw error("scan refers to component " + id + " that SOF55 does not declare");
  }

  private int nextMarker(int from) {
    for (int i = from; i + 1 < data.length; i++) {
      if (data[i] == (byte) 0xFF && (data[i + 1] & 0x80) != 0) {
        return i;
      }
    }
    throw error("no marker after the scan data (missing EOI)");
  }

  /** The coding state of one scan: parameters, context statistics and run index (T.87 A.2). */
  private final class ScanDecoder {
    final int near;
    final int maxVal;
    final int range;
    final int qbpp;
    final int limit;
    final int threshold1;
    final int threshold2;
    final int threshold3;
    final int resetValue;
    final int[] a = new int[RUN_CONTEXTS + 2];
    final int[] b = new int[RUN_CONTEXTS + 2];
    final int[] c = new int[RUN_CONTEXTS + 2];
    final int[] n = new int[RUN_CONTEXTS + 2];
    final int[] nn = new int[2];
    final int step;

    ScanDecoder(int near) {
      this.near = near;
      this.maxVal = JpegLsDecoder.this.maxVal != 0 ? JpegLsDecoder.this.maxVal : (1 << precision) - 1;
      this.range = (maxVal + 2 * near) / (2 * near + 1) + 1;
      this.qbpp = ceilLog2(range);
      int bpp = Math.max(2, ceilLog2(maxVal + 1));
      this.limit = 2 * (bpp + Math.max(8, bpp));
      this.step = 2 * near + 1;
      int[] defaults = defaultThresholds(maxVal, near);
      this.threshold1 = t1 != 0 ? t1 : defaults[0];
      this.threshold2 = t2 != 0 ? t2 : defaults[1];
      this.threshold3 = t3 != 0 ? t3 : defaults[2];
      this.resetValue = reset != 0 ? reset : 64;
      if (!(threshold1 >= near + 1 && threshold1 <= threshold2 && threshold2 <= threshold3
          && threshold3 <= maxVal)) {
        throw error("preset thresholds T1=" + threshold1 + " T2=" + threshold2 + " T3=" + threshold3
            + " are not ordered within NEAR+1..MAXVAL " + maxVal);
      }
      Arrays.fill(a, Math.max(2, (range + 32) / 64));
      Arrays.fill(n, 1);
    }

    int quantize(int d) {
      if (d <= -threshold3) {
        return -4;
      } else if (d <= -threshold2) {
        return -3;
      } else if (d <= -threshold1) {
        return -2;
      } else if (d < -near) {
        return -1;
      } else if (d <= near) {
        return 0;
      } else if (d < threshold1) {
        return 1;
      } else if (d < threshold2) {
        return 2;
      } else if (d < threshold3) {
        return 3;
      }
      return 4;
    }

    int context(int ra, int rb, int rc, int rd) {
      return (quantize(rd - rb) * 9 + quantize(rb - rc)) * 9 + quantize(rc - ra);
    }

    int decodeValue(JpegLsBitReader bits, int k, int valueLimit) {
      int escape = valueLimit - qbpp - 1;
      int high = bits.readUnary(escape);
      if (high > escape) {
        if (bits.overran()) {
          throw error("scan is truncated: its entropy-coded data ends before the last sample");
        }
        throw error("corrupt scan data: a Golomb code has more than " + escape + " leading zero bits");
      }
      if (high == escape) {
        return bits.readBits(qbpp) + 1;
      }
      return (high << k) + bits.readBits(k);
    }

    int fix(int value) {
      if (value < -near) {
        value += range * step;
      } else if (value > maxVal + near) {
        value -= range * step;
      }
      return value < 0 ? 0 : Math.min(value, maxVal);
    }

    int regular(JpegLsBitReader bits, int q, int ra, int rb, int rc) {
      int sign = q < 0 ? -1 : 1;
      int ctx = q < 0 ? -q : q;
      int predicted;
      if (rc >= Math.max(ra, rb)) {
        predicted = Math.min(ra, rb);
      } else if (rc <= Math.min(ra, rb)) {
        predicted = Math.max(ra, rb);
      } else {
        predicted = ra + rb - rc;
      }
      predicted += sign * c[ctx];
      predicted = predicted < 0 ? 0 : Math.min(predicted, maxVal);
      int k = 0;
      while ((n[ctx] << k) < a[ctx] && k < 24) {
        k++;
      }
      int mapped = decodeValue(bits, k, limit);
      int error = (mapped & 1) == 0 ? mapped >> 1 : -((mapped + 1) >> 1);
      if (near == 0 && k == 0 && 2 * b[ctx] <= -n[ctx]) {
        error = ~error;
      }
      b[ctx] += error * step;
      a[ctx] += Math.abs(error);
      if (n[ctx] == resetValue) {
        a[ctx] >>= 1;
        b[ctx] = b[ctx] >= 0 ? b[ctx] >> 1 : -((1 - b[ctx]) >> 1);
        n[ctx] >>= 1;
      }
      n[ctx]++;
      if (b[ctx] <= -n[ctx]) {
        b[ctx] += n[ctx];
        if (c[ctx] > -128) {
          c[ctx]--;
        }
        if (b[ctx] <= -n[ctx]) {
          b[ctx] = -n[ctx] + 1;
        }
      } else if (b[ctx] > 0) {
        b[ctx] -= n[ctx];
        if (c[ctx] < 127) {
          c[ctx]++;
        }
        if (b[ctx] > 0) {
          b[ctx] = 0;
        }
      }
      return fix(predicted + sign * error * step);
    }

    /** Decodes the run-interruption sample (T.87 A.7.2); {@code type} is RItype. */
    int interruption(JpegLsBitReader bits, int type, int ra, int rb, int runIndex) {
      int ctx = RUN_CONTEXTS + type;
      int temp = a[ctx] + (type == 1 ? n[ctx] >> 1 : 0);
      int k = 0;
      while ((n[ctx] << k) < temp && k < 24) {
        k++;
      }
      int mapped = decodeValue(bits, k, limit - J[runIndex] - 1);
      int t = mapped + type;
      int map = t & 1;
      int magnitude = (t + map) >> 1;
      boolean special = k == 0 && 2 * nn[type] < n[ctx];
      int error = (map == 1) == special ? magnitude : -magnitude;
      if (error < 0) {
        nn[type]++;
      }
      a[ctx] += (mapped + 1 - type) >> 1;
      if (n[ctx] == resetValue) {
        a[ctx] >>= 1;
        n[ctx] >>= 1;
        nn[type] >>= 1;
      }
      n[ctx]++;
      if (type == 1) {
        return fix(ra + error * step);
      }
      return fix(rb + error * step * (rb >= ra ? 1 : -1));
    }

    /** Reads the run-length bits at position {@code x} of a line; returns the run length and updates the index. */
    int runLength(JpegLsBitReader bits, int remaining, int[] runIndex, int slot) {
      int length = 0;
      while (bits.readBit() == 1) {
        int full = 1 << J[runIndex[slot]];
        int count = Math.min(full, remaining - length);
        length += count;
        if (count == full) {
          runIndex[slot] = Math.min(31, runIndex[slot] + 1);
        }
        if (length == remaining) {
          return length;
        }
      }
      length += bits.readBits(J[runIndex[slot]]);
      if (length > remaining) {
        if (bits.overran()) {
          throw error("scan is truncated: its entropy-coded data ends before the last sample");
        }
        throw error("corrupt scan data: a run of " + length + " samples passes the end of the line (" + remaining
            + " left)");
      }
      return length;
    }

    /** Interleave modes 0 and 1: each line is coded once per component of the scan. */
    void decodeLines(JpegLsBitReader bits, int[] components) {
      int count = components.length;
      int[][] previous = new int[count][width + 2];
      int[][] current = new int[count][width + 2];
      int[] runIndex = new int[count];
      int stride = componentIds.length;
      for (int y = 0; y < height; y++) {
        for (int s = 0; s < count; s++) {
          int[] prev = previous[s];
          int[] cur = current[s];
          prev[width + 1] = prev[width];
          cur[0] = prev[1];
          decodeLine(bits, prev, cur, runIndex, s);
          int component = components[s];
          int base = y * width * stride + component;
          for (int x = 0; x < width; x++) {
            samples[base + x * stride] = cur[x + 1];
          }
          previous[s] = cur;
          current[s] = prev;
        }
      }
    }

    private void decodeLine(JpegLsBitReader bits, int[] prev, int[] cur, int[] runIndex, int slot) {
      int x = 0;
      while (x < width) {
        int ra = cur[x];
        int rb = prev[x + 1];
        int rc = prev[x];
        int rd = prev[x + 2];
        int q = context(ra, rb, rc, rd);
        if (q != 0) {
          cur[x + 1] = regular(bits, q, ra, rb, rc);
          x++;
          continue;
        }
        int remaining = width - x;
        int length = runLength(bits, remaining, runIndex, slot);
        for (int i = 0; i < length; i++) {
          cur[x + 1 + i] = ra;
        }
        x += length;
        if (length == remaining) {
          break;
        }
        int above = prev[x + 1];
        int type = Math.abs(ra - above) <= near ? 1 : 0;
        cur[x + 1] = interruption(bits, type, ra, above, runIndex[slot]);
        runIndex[slot] = Math.max(0, runIndex[slot] - 1);
        x++;
      }
    }

    /** Interleave mode 2: each pixel carries all components of the scan; run mode needs all to be flat. */
    void decodeSampleInterleaved(JpegLsBitReader bits, int[] components) {
      int count = components.length;
      int[][] previous = new int[count][width + 2];
      int[][] current = new int[count][width + 2];
      int[] runIndex = new int[1];
      int[] q = new int[count];
      int stride = componentIds.length;
      for (int y = 0; y < height; y++) {
        for (int s = 0; s < count; s++) {
          previous[s][width + 1] = previous[s][width];
          current[s][0] = previous[s][1];
        }
        int x = 0;
        while (x < width) {
          boolean flat = true;
          for (int s = 0; s < count; s++) {
            int[] prev = previous[s];
            q[s] = context(current[s][x], prev[x + 1], prev[x], prev[x + 2]);
            flat &= q[s] == 0;
          }
          if (!flat) {
            for (int s = 0; s < count; s++) {
              current[s][x + 1] = regular(bits, q[s], current[s][x], previous[s][x + 1], previous[s][x]);
            }
            x++;
            continue;
          }
          int remaining = width - x;
          int length = runLength(bits, remaining, runIndex, 0);
          for (int s = 0; s < count; s++) {
            int ra = current[s][x];
            for (int i = 0; i < length; i++) {
              current[s][x + 1 + i] = ra;
            }
          }
          x += length;
          if (length == remaining) {
            break;
          }
          for (int s = 0; s < count; s++) {
            current[s][x + 1] = interruption(bits, 0, current[s][x], previous[s][x + 1], runIndex[0]);
          }
          runIndex[0] = Math.max(0, runIndex[0] - 1);
          x++;
        }
        for (int s = 0; s < count; s++) {
          int[] cur = current[s];
          int base = y * width * stride + components[s];
          for (int i = 0; i < width; i++) {
            samples[base + i * stride] = cur[i + 1];
          }
          current[s] = previous[s];
          previous[s] = cur;
        }
      }
    }
  }

  static int ceilLog2(int value) {
    int bits = 0;
    while ((1L << bits) < value) {
      bits++;
    }
    return bits;
  }

  /** Default T1, T2, T3 of T.87 C.2.4.1.1 for a MAXVAL and NEAR. */
  static int[] defaultThresholds(int maxVal, int near) {
    int basic1 = 3;
    int basic2 = 7;
    int basic3 = 21;
    int d1;
    int d2;
    int d3;
    if (maxVal >= 128) {
      int factor = (Math.min(maxVal, 4095) + 128) / 256;
      d1 = clamp(factor * (basic1 - 2) + 2 + 3 * near, near + 1, maxVal);
      d2 = clamp(factor * (basic2 - 3) + 3 + 5 * near, d1, maxVal);
      d3 = clamp(factor * (basic3 - 4) + 4 + 7 * near, d2, maxVal);
    } else {
      int factor = 256 / (maxVal + 1);
      d1 = clamp(Math.max(2, basic1 / factor + 3 * near), near + 1, maxVal);
      d2 = clamp(Math.max(3, basic2 / factor + 5 * near), d1, maxVal);
      d3 = clamp(Math.max(4, basic3 / factor + 7 * near), d2, maxVal);
    }
    return new int[] {d1, d2, d3};
  }

  private static int clamp(int value, int low, int maxVal) {
    return value > maxVal || value < low ? low : value;
  }
}
