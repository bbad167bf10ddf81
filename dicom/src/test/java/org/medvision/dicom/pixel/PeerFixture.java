package org.medvision.dicom.pixel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.medvision.dicom.TransferSyntax;
import org.medvision.dicom.testing.Dcmdump;
import org.medvision.dicom.testing.PeerTools;

/**
 * Test-only access to real DICOM files without our own reader: attributes come from dcmtk's {@code dcmdump}, native
 * Pixel Data bytes from gdcm's {@code gdcmraw}, and encapsulated fragments from a small scanner for the (7FE0,0010)
 * element and its items. Peer decodes run {@code gdcmconv --raw} or dcmtk's decompressors into a temporary folder.
 */
final class PeerFixture {
  private PeerFixture() {}

  /** A file's pixel attributes and data as the peers see them. */
  record Sample(Path file, TransferSyntax syntax, PixelDescription description, PixelData pixels) {
    FrameDecoder decoder() {
      return new FrameDecoder(description, syntax, pixels);
    }
  }

  /** Runs a peer tool; fails the test with its output when it exits non-zero. */
  static String run(String tool, String... args) {
    return PeerTools.runOk(tool, args);
  }

  /** Attribute values by tag ("0028,0010") as dcmdump prints them; strings without brackets. */
  static Map<String, String> attributes(Path file) {
    String dump = run("dcmdump", "-q", "-M", "-Un", "+L", "+P", "0002,0010", "+P", "0028,0002", "+P", "0028,0004",
        "+P", "0028,0006", "+P", "0028,0008", "+P", "0028,0010", "+P", "0028,0011", "+P", "0028,0100", "+P",
        "0028,0101", "+P", "0028,0102", "+P", "0028,0103", "+P", "0028,1052", "+P", "0028,1053", "+P", "0028,1054",
        "+P", "0028,1101", "+P", "0028,1102", "+P", "0028,1103", file.toString());
    Map<String, String> values = new HashMap<>();
    for (Dcmdump.Line line : Dcmdump.parse(dump)) {
      String tag = String.format("%04X,%04X", line.tag() >>> 16, line.tag() & 0xFFFF);
      if (!line.value().startsWith("(no value")) {
        values.putIfAbsent(tag, line.value().trim());
      }
    }
    return values;
  }

  private static int intValue(Map<String, String> values, String tag, int absent) {
    String value = values.get(tag);
    return value == null || value.isBlank() ? absent : Integer.parseInt(value.split("\\\\")[0].trim());
  }

  private static double doubleValue(Map<String, String> values, String tag, double absent) {
    String value = values.get(tag);
    return value == null || value.isBlank() ? absent : Double.parseDouble(value.split("\\\\")[0].trim());
  }

  /** Loads a file: description from dcmdump, pixel data from gdcmraw or the fragment scanner. */
  static Sample load(Path file, Path work) {
    Map<String, String> a = attributes(file);
    String uid = a.getOrDefault("0002,0010", "1.2.840.10008.1.2");
    TransferSyntax syntax = TransferSyntax.of(uid).orElseThrow(
        () -> new AssertionError(file + " has transfer syntax " + uid + ", which the codec does not know"));
    PhotometricInterpretation photometric = PhotometricInterpretation.parse(a.get("0028,0004"));
    Palette palette = null;
    if (photometric == PhotometricInterpretation.PALETTE_COLOR) {
      palette = new Palette(lut(file, work, a, "1101", "1201", "red"), lut(file, work, a, "1102", "1202", "green"),
          lut(file, work, a, "1103", "1203", "blue"));
    }
    PixelDescription description = new PixelDescription(intValue(a, "0028,0010", 0), intValue(a, "0028,0011", 0),
        intValue(a, "0028,0002", 1), intValue(a, "0028,0100", 0), intValue(a, "0028,0101", 0),
        intValue(a, "0028,0102", 0), intValue(a, "0028,0103", 0) == 1, photometric, intValue(a, "0028,0006", 0),
        intValue(a, "0028,0008", 1), palette, doubleValue(a, "0028,1053", 1), doubleValue(a, "0028,1052", 0),
        a.get("0028,1054"));
    PixelData pixels;
    if (syntax.encapsulated()) {
      pixels = scanFragments(file);
    } else {
      // gdcmraw swaps big endian data to little endian, so big endian bytes come from our own scan of the file.
      pixels = syntax.uid().equals("1.2.840.10008.1.2.2") ? scanBigEndianPixels(file)
          : new NativePixelData(raw(file, work, "7fe0,0010"), ByteOrder.LITTLE_ENDIAN);
    }
    return new Sample(file, syntax, description, pixels);
  }

  private static PaletteLut lut(Path file, Path work, Map<String, String> a, String descriptor, String data,
      String channel) {
    String[] parts = a.get("0028," + descriptor).split("\\\\");
    int[] values = new int[3];
    for (int i = 0; i < 3; i++) {
      values[i] = Integer.parseInt(parts[i].trim());
    }
    return PaletteLut.of(channel, values, raw(file, work, "0028," + data), ByteOrder.LITTLE_ENDIAN);
  }

  /** An element's value bytes through {@code gdcmraw}. */
  static byte[] raw(Path file, Path work, String tag) {
    try {
      Path out = Files.createTempFile(work, "raw", ".bin");
      run("gdcmraw", "-i", file.toString(), "-t", tag, "-o", out.toString());
      return Files.readAllBytes(out);
    } catch (IOException e) {
      throw new AssertionError("cannot extract " + tag + " of " + file, e);
    }
  }

  /**
   * Finds the encapsulated Pixel Data element (the last (7FE0,0010) OB with undefined length in the file) and
   * returns its Basic Offset Table and fragments.
   */
  static EncapsulatedPixelData scanFragments(Path file) {
    byte[] b;
    try {
      b = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file, e);
    }
    int start = -1;
    for (int i = b.length - 12; i >= 0; i--) {
      if (b[i] == (byte) 0xE0 && b[i + 1] == 0x7F && b[i + 2] == 0x10 && b[i + 3] == 0x00 && b[i + 4] == 'O'
          && (b[i + 5] == 'B' || b[i + 5] == 'W') && u32(b, i + 8) == 0xFFFFFFFFL) {
        start = i + 12;
        break;
      }
    }
    if (start < 0) {
      fail("no encapsulated Pixel Data element in " + file);
    }
    long[] offsets = null;
    List<byte[]> fragments = new ArrayList<>();
    int p = start;
    while (p + 8 <= b.length) {
      int group = (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
      int element = (b[p + 2] & 0xFF) | (b[p + 3] & 0xFF) << 8;
      int length = (int) u32(b, p + 4);
      p += 8;
      if (group == 0xFFFE && element == 0xE0DD) {
        break;
      }
      assertEquals(0xE000, element, "item tag in " + file);
      byte[] value = java.util.Arrays.copyOfRange(b, p, Math.min(b.length, p + length));
      p += length;
      if (offsets == null) {
        offsets = new long[value.length / 4];
        for (int k = 0; k < offsets.length; k++) {
          offsets[k] = u32(value, 4 * k);
        }
      } else {
        fragments.add(value);
      }
    }
    return new EncapsulatedPixelData(fragments, offsets, null, null);
  }

  /**
   * The value of the last explicit VR big endian (7FE0,0010) OB/OW element whose length reaches the file's end, as
   * stored: OW as big endian words, OB (whose bytes no byte order touches) as little endian.
   */
  static NativePixelData scanBigEndianPixels(Path file) {
    byte[] b;
    try {
      b = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file, e);
    }
    for (int i = b.length - 12; i >= 0; i--) {
      if (b[i] == 0x7F && b[i + 1] == (byte) 0xE0 && b[i + 2] == 0x00 && b[i + 3] == 0x10 && b[i + 4] == 'O'
          && (b[i + 5] == 'B' || b[i + 5] == 'W')) {
        long length = (b[i + 8] & 0xFFL) << 24 | (b[i + 9] & 0xFFL) << 16 | (b[i + 10] & 0xFFL) << 8
            | (b[i + 11] & 0xFFL);
        if (i + 12 + length <= b.length) {
          byte[] value = java.util.Arrays.copyOfRange(b, i + 12, (int) (i + 12 + length));
          return new NativePixelData(value, b[i + 5] == 'W' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        }
      }
    }
    throw new AssertionError("no big endian Pixel Data element in " + file);
  }

  private static long u32(byte[] b, int at) {
    return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
  }

  /** Every frame of a sample, decoded by us. */
  static List<int[]> decodeAll(Sample sample) {
    FrameDecoder decoder = sample.decoder();
    List<int[]> frames = new ArrayList<>();
    for (int f = 0; f < decoder.frameCount(); f++) {
      frames.add(decoder.decode(f));
    }
    return frames;
  }

  /**
   * Decompresses with a peer into {@code work} and loads the native result: {@code tool} is "gdcmconv" (run with
   * --raw) or a dcmtk decompressor (dcmdjpeg, dcmdjpls, dcmdrle) followed by its own options.
   */
  static Sample peerDecode(Path file, Path work, String tool, String... options) {
    Path out = work.resolve(file.getFileName() + "." + tool + ".dcm");
    List<String> args = new ArrayList<>();
    if (tool.equals("gdcmconv")) {
      args.add("--raw");
    }
    args.addAll(List.of(options));
    args.add(file.toString());
    args.add(out.toString());
    run(tool, args.toArray(new String[0]));
    return load(out, work);
  }

  /** Transcodes with a peer ({@code tool options in out}) into {@code work}; returns the new file. */
  static Path transcode(Path file, Path work, String name, String tool, String... options) {
    Path out = work.resolve(name);
    List<String> args = new ArrayList<>(List.of(options));
    args.add(file.toString());
    args.add(out.toString());
    run(tool, args.toArray(new String[0]));
    return out;
  }
}
