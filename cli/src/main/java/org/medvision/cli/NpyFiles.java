package org.medvision.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.medvision.api.MedvisionException;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/**
 * Reads NumPy {@code .npy} files (format versions 1 to 3) into tensors.
 *
 * <p>Layout: the magic {@code \x93NUMPY}, a major and a minor version byte, the header length (2 bytes little-endian
 * in version 1, 4 bytes in versions 2 and 3), a header that is a Python dict literal with {@code descr},
 * {@code fortran_order} and {@code shape}, then the array data in C order. Element types read: float32, float16,
 * int64, int32, uint8 and bool in either byte order, and float64, which is narrowed to float32 (the engines compute
 * in float32). Fortran-ordered arrays, object arrays and structured dtypes are refused with the reason.
 */
final class NpyFiles {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private NpyFiles() {}

  /**
   * Reads {@code file}.
   *
   * @throws MedvisionException naming the file when it is missing, not an .npy file, truncated, Fortran-ordered or
   *     of an element type we do not read
   */
  static Tensor read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new MedvisionException(".npy file not found: " + file, e);
    } catch (IOException e) {
      throw new MedvisionException("cannot read .npy file " + file + ": " + e, e);
    }
    return decode(bytes, file.toString());
  }

  /** Parses the bytes of a whole .npy file; {@code source} names it in messages. */
  static Tensor decode(byte[] bytes, String source) {
    if (bytes.length < 10 || !java.util.Arrays.equals(java.util.Arrays.copyOf(bytes, 6), MAGIC)) {
      throw new MedvisionException(source + " is not a NumPy .npy file (it does not start with \\x93NUMPY)");
    }
    int major = bytes[6];
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength;
    int headerStart;
    if (major == 1) {
      headerLength = b.getShort(8) & 0xFFFF;
      headerStart = 10;
    } else if (major == 2 || major == 3) {
      if (bytes.length < 12) {
        throw new MedvisionException(source + ": truncated .npy header");
      }
      headerLength = b.getInt(8) & 0xFFFFFFFFL;
      headerStart = 12;
    } else {
      throw new MedvisionException(source + ": .npy format version " + major + " is not one we read (1 to 3)");
    }
    if (headerStart + headerLength > bytes.length) {
      throw new MedvisionException(source + ": the .npy header claims " + headerLength + " bytes but the file has "
          + (bytes.length - headerStart) + " after the length field; the file is truncated");
    }
    String header = new String(bytes, headerStart, (int) headerLength,
        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    String descr = group(DESCR, header, "descr", source);
    if (group(FORTRAN, header, "fortran_order", source).equals("True")) {
      throw new MedvisionException(source + ": the array is in Fortran order; save it with "
          + "numpy.save(path, numpy.ascontiguousarray(a))");
    }
    Shape shape = shape(group(SHAPE, header, "shape", source), source);
    if (descr.length() < 3) {
      throw new MedvisionException(source + ": unsupported .npy element type '" + descr + "'");
    }
    ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    String kind = descr.substring(1);
    int dataStart = headerStart + (int) headerLength;
    long count = shape.size();
    int width = width(kind, descr, source);
    long needed = count * width;
    if (bytes.length - dataStart != needed) {
      throw new MedvisionException(source + ": shape " + shape + " of " + descr + " needs " + needed
          + " data bytes but the file has " + (bytes.length - dataStart));
    }
    ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, (int) needed).slice().order(order);
    int n = (int) count;
    switch (kind) {
      case "f4": {
        float[] v = new float[n];
        data.asFloatBuffer().get(v);
        return Tensor.of(shape, v);
      }
      case "f8": {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
          v[i] = (float) data.getDouble(i * 8);
        }
        return Tensor.of(shape, v);
      }
      case "i8": {
        long[] v = new long[n];
        data.asLongBuffer().get(v);
        return Tensor.ofLongs(shape, v);
      }
      case "i4": {
        int[] v = new int[n];
        data.asIntBuffer().get(v);
        return Tensor.ofInts(shape, v);
      }
      case "f2":
        return Tensor.fromBytes(DType.FLOAT16, shape, reorder(data, 2, n));
      case "u1": {
        byte[] v = new byte[n];
        data.get(v);
        return Tensor.ofUint8(shape, v);
      }
      case "b1": {
        boolean[] v = new boolean[n];
        for (int i = 0; i < n; i++) {
          v[i] = data.get(i) != 0;
        }
        return Tensor.ofBooleans(shape, v);
      }
      default:
        throw new AssertionError(kind);
    }
  }

  private static int width(String kind, String descr, String source) {
    switch (kind) {
      case "f4": case "i4": return 4;
      case "f8": case "i8": return 8;
      case "f2": return 2;
      case "u1": case "b1": return 1;
      default:
        throw new MedvisionException(source + ": .npy element type '" + descr + "' is not one we read; use "
            + "float32, float64, float16, int64, int32, uint8 or bool");
    }
  }

  /** Little-endian bytes of {@code n} elements of {@code width} bytes, whatever {@code data}'s order. */
  private static ByteBuffer reorder(ByteBuffer data, int width, int n) {
    ByteBuffer out = ByteBuffer.allocate(width * n).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      out.putShort(data.getShort(i * width));
    }
    return out.flip();
  }

  private static String group(Pattern p, String header, String key, String source) {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new MedvisionException(source + ": the .npy header has no '" + key + "': " + header.trim());
    }
    return m.group(1);
  }

  private static Shape shape(String text, String source) {
    List<Long> dims = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      try {
        dims.add(Long.parseLong(p.endsWith("L") ? p.substring(0, p.length() - 1) : p));
      } catch (NumberFormatException e) {
        throw new MedvisionException(source + ": the .npy shape (" + text + ") is not a tuple of integers", e);
      }
    }
    return Shape.of(dims.stream().mapToLong(Long::longValue).toArray());
  }
}
