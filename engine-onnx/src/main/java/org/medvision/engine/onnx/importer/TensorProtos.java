package org.medvision.engine.onnx.importer;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.medvision.api.MedvisionException;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/**
 * Decodes ONNX {@code TensorProto}s into host tensors: inline {@code raw_data} (little-endian), the typed fields
 * ({@code float_data}, {@code int32_data}, {@code int64_data}) and external data files next to the model.
 */
final class TensorProtos {
  private TensorProtos() {}

  /** Our dtype for an ONNX {@code TensorProto.DataType} number, if our tensors have it. */
  static Optional<DType> dtype(int onnxCode) {
    for (DType t : DType.values()) {
      if (t.onnxCode() == onnxCode) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** The ONNX name of a data type number, for messages. */
  static String onnxTypeName(int onnxCode) {
    TensorProto.DataType t = TensorProto.DataType.forNumber(onnxCode);
    return t == null ? "data type " + onnxCode : t.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The dtype our tensors use for {@code onnxCode}, or an {@link UnsupportedOnnxException} naming {@code what}. */
  static DType requireDtype(int onnxCode, String what) {
    return dtype(onnxCode).orElseThrow(() -> new UnsupportedOnnxException(what + " has element type "
        + onnxTypeName(onnxCode) + ", which medvision tensors lack (they hold float32, float16, bfloat16, int64, "
        + "int32, uint8, bool)"));
  }

  /**
   * Decodes {@code t}.
   *
   * @param what how messages name the tensor, e.g. {@code "initializer 'conv.weight'"}
   * @param baseDir the folder external data locations are relative to; null when the tensor has no file
   * @throws OnnxImportException if the data disagree with the shape or external data cannot be read
   * @throws UnsupportedOnnxException if the element type is one our tensors lack
   */
  static Tensor decode(TensorProto t, String what, Path baseDir) {
    DType dtype = requireDtype(t.getDataType(), what);
    long[] dims = new long[t.getDimsCount()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = t.getDims(i);
      if (dims[i] < 0) {
        throw new OnnxImportException(what + " has a negative dimension in " + t.getDimsList());
      }
    }
    Shape shape = Shape.of(dims);
    if (t.hasSegment()) {
      throw new UnsupportedOnnxException(what + " is a segment of a larger tensor, which is not supported");
    }
    long count;
    long bytes;
    try {
      count = elementCount(dims);
      bytes = Math.multiplyExact(count, (long) dtype.byteSize());
    } catch (ArithmeticException e) {
      throw new OnnxImportException(what + " has an impossibly large shape " + t.getDimsList());
    }
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new UnsupportedOnnxException(what + " of shape " + shape + " is larger than 2 GiB, more than one host "
          + "tensor holds");
    }
    try {
      if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
        return Tensor.fromBytes(dtype, shape, external(t, what, baseDir, bytes));
      }
      if (t.hasRawData()) {
        if (t.getRawData().size() != bytes) {
          throw new OnnxImportException(what + " has shape " + shape + " (" + count + " " + dtype + " elements, "
              + bytes + " bytes) but raw_data holds " + t.getRawData().size() + " bytes");
        }
        return Tensor.fromBytes(dtype, shape, t.getRawData().asReadOnlyByteBuffer());
      }
      return typed(t, dtype, shape, count, what);
    } catch (MedvisionException e) {
      if (e instanceof OnnxImportException) {
        throw e;
      }
      throw new OnnxImportException(what + ": " + e.getMessage(), e);
    }
  }

  private static long elementCount(long[] dims) {
    long n = 1;
    for (long d : dims) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** Data held in the typed repeated fields, which ONNX chooses by element type. */
  private static Tensor typed(TensorProto t, DType dtype, Shape shape, long count, String what) {
    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(count * dtype.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
    int n;
    String field;
    switch (dtype) {
      case FLOAT32:
        field = "float_data";
        n = t.getFloatDataCount();
        requireCount(what, shape, count, field, n);
        for (int i = 0; i < n; i++) {
          b.putFloat(t.getFloatData(i));
        }
        break;
      case INT64:
        field = "int64_data";
        n = t.getInt64DataCount();
        requireCount(what, shape, count, field, n);
        for (int i = 0; i < n; i++) {
          b.putLong(t.getInt64Data(i));
        }
        break;
      case INT32:
        field = "int32_data";
        n = t.getInt32DataCount();
        requireCount(what, shape, count, field, n);
        for (int i = 0; i < n; i++) {
          b.putInt(t.getInt32Data(i));
        }
        break;
      case FLOAT16: case BFLOAT16:
        // ONNX keeps the 16-bit patterns of half floats in int32_data, one element per entry.
        field = "int32_data";
        n = t.getInt32DataCount();
        requireCount(what, shape, count, field, n);
        for (int i = 0; i < n; i++) {
          b.putShort((short) t.getInt32Data(i));
        }
        break;
      case UINT8: case BOOL:
        field = "int32_data";
        n = t.getInt32DataCount();
        requireCount(what, shape, count, field, n);
        for (int i = 0; i < n; i++) {
          int v = t.getInt32Data(i);
          if (v < 0 || v > (dtype == DType.BOOL ? 1 : 255)) {
            throw new OnnxImportException(what + " holds " + v + " at index " + i + ", out of range for " + dtype);
          }
          b.put((byte) v);
        }
        break;
      default:
        throw new AssertionError(dtype);
    }
    b.flip();
    return Tensor.fromBytes(dtype, shape, b);
  }

  private static void requireCount(String what, Shape shape, long count, String field, int n) {
    if (n != count) {
      throw new OnnxImportException(what + " has shape " + shape + " (" + count + " elements) but " + field
          + " holds " + n + (n == 0 ? " (and there is no raw_data)" : ""));
    }
  }

  /**
   * Reads external data: the {@code location} is a path relative to the model's folder and must stay inside it, so
   * a model cannot make us read arbitrary files.
   */
  private static ByteBuffer external(TensorProto t, String what, Path baseDir, long expected) {
    String location = null;
    long offset = 0;
    long length = -1;
    for (OnnxMl.StringStringEntryProto e : t.getExternalDataList()) {
      try {
        switch (e.getKey()) {
          case "location": location = e.getValue(); break;
          case "offset": offset = Long.parseLong(e.getValue()); break;
          case "length": length = Long.parseLong(e.getValue()); break;
          default: break; // "checksum" and future keys do not change where the bytes are.
        }
      } catch (NumberFormatException nfe) {
        throw new OnnxImportException(what + " has external data " + e.getKey() + " '" + e.getValue()
            + "', which is not a number");
      }
    }
    if (location == null || location.isEmpty()) {
      throw new OnnxImportException(what + " is stored externally but names no location");
    }
    if (baseDir == null) {
      throw new OnnxImportException(what + " is stored externally in '" + location + "', but the model was not read "
          + "from a file, so there is no folder to find it in; import the model from its path");
    }
    Path base = baseDir.toAbsolutePath().normalize();
    Path file = base.resolve(location).normalize();
    if (!file.startsWith(base)) {
      throw new OnnxImportException(what + " is stored externally in '" + location + "', which lies outside the "
          + "model's folder " + base);
    }
    if (length >= 0 && length != expected) {
      throw new OnnxImportException(what + " needs " + expected + " bytes but its external data entry in " + file
          + " gives length " + length);
    }
    if (offset < 0) {
      throw new OnnxImportException(what + " has a negative external data offset " + offset);
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (offset + expected > size) {
        throw new OnnxImportException(what + " needs " + expected + " bytes at offset " + offset + " of " + file
            + ", which holds only " + size + " bytes");
      }
      ByteBuffer b = ByteBuffer.allocate((int) expected);
      long pos = offset;
      while (b.hasRemaining()) {
        int read = ch.read(b, pos);
        if (read < 0) {
          throw new OnnxImportException(what + ": " + file + " ended early");
        }
        pos += read;
      }
      b.flip();
      return b;
    } catch (IOException e) {
      throw new OnnxImportException(what + " is stored externally in " + file + ", which cannot be read: " + e, e);
    }
  }
}
