package org.medvision.api.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Consumer;
import org.medvision.api.MedvisionException;

/**
 * An immutable host tensor: a dtype, a fully known shape and little-endian element data.
 *
 * <p>Host tensors are plain Java heap objects, so they never need closing; engines copy them into their own native
 * memory. Instances are immutable and therefore safe to share between threads. Conversions to Java arrays always
 * copy.
 */
public final class Tensor {
  private final DType dtype;
  private final Shape shape;
  private final ByteBuffer data; // little-endian, read-only, position 0, limit = byte size

  private Tensor(DType dtype, Shape shape, ByteBuffer data) {
    this.dtype = dtype;
    this.shape = shape;
    this.data = data;
  }

  /**
   * A tensor over a copy of {@code bytes}, which hold little-endian elements of {@code dtype}.
   *
   * @throws MedvisionException if the shape is not fully known or the byte count does not match it
   */
  public static Tensor fromBytes(DType dtype, Shape shape, ByteBuffer bytes) {
    long expected = checkedByteSize(dtype, shape);
    if (bytes.remaining() != expected) {
      throw new MedvisionException(
          "a " + dtype + " tensor of shape " + shape + " needs " + expected + " bytes, got " + bytes.remaining());
    }
    ByteBuffer copy = ByteBuffer.allocate((int) expected).order(ByteOrder.LITTLE_ENDIAN);
    copy.put(bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN));
    copy.flip();
    return new Tensor(dtype, shape, copy.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN));
  }

  /** A tensor over a copy of {@code bytes}. */
  public static Tensor fromBytes(DType dtype, Shape shape, byte[] bytes) {
    return fromBytes(dtype, shape, ByteBuffer.wrap(bytes));
  }

  /**
   * A tensor whose elements {@code writer} writes, without a copy: it gets a fresh zeroed little-endian buffer of the
   * tensor's byte size (position 0) and the tensor adopts that buffer when it returns. This is how a producer such as
   * a preprocessor fills a tensor in one pass instead of filling an array the factories copy. The writer must not
   * keep the buffer: the tensor is immutable only as long as nothing else writes to it.
   *
   * @throws MedvisionException if the shape is not fully known or too large
   */
  public static Tensor write(DType dtype, Shape shape, Consumer<ByteBuffer> writer) {
    ByteBuffer b = ByteBuffer.allocate((int) checkedByteSize(dtype, shape)).order(ByteOrder.LITTLE_ENDIAN);
    writer.accept(b);
    b.clear();
    return seal(dtype, shape, b);
  }

  /** A float32 tensor holding a copy of {@code values}. */
  public static Tensor of(Shape shape, float... values) {
    ByteBuffer b = allocate(DType.FLOAT32, shape, values.length);
    b.asFloatBuffer().put(values);
    return seal(DType.FLOAT32, shape, b);
  }

  /** A float32 tensor holding a copy of {@code values} with the given dimensions. */
  public static Tensor ofFloats(float[] values, long... dims) {
    return of(Shape.of(dims), values);
  }

  /** An int64 tensor holding a copy of {@code values}. */
  public static Tensor ofLongs(Shape shape, long... values) {
    ByteBuffer b = allocate(DType.INT64, shape, values.length);
    b.asLongBuffer().put(values);
    return seal(DType.INT64, shape, b);
  }

  /** An int32 tensor holding a copy of {@code values}. */
  public static Tensor ofInts(Shape shape, int... values) {
    ByteBuffer b = allocate(DType.INT32, shape, values.length);
    b.asIntBuffer().put(values);
    return seal(DType.INT32, shape, b);
  }

  /** A uint8 tensor; each byte is read as an unsigned value 0..255. */
  public static Tensor ofUint8(Shape shape, byte... values) {
    ByteBuffer b = allocate(DType.UINT8, shape, values.length);
    b.put(values);
    b.flip();
    return seal(DType.UINT8, shape, b);
  }

  /** A bool tensor, one byte per element (0 or 1). */
  public static Tensor ofBooleans(Shape shape, boolean... values) {
    ByteBuffer b = allocate(DType.BOOL, shape, values.length);
    for (boolean v : values) {
      b.put((byte) (v ? 1 : 0));
    }
    b.flip();
    return seal(DType.BOOL, shape, b);
  }

  /** A tensor of zeros. */
  public static Tensor zeros(DType dtype, Shape shape) {
    long n = checkedByteSize(dtype, shape);
    return new Tensor(dtype, shape, ByteBuffer.allocate((int) n).order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer()
        .order(ByteOrder.LITTLE_ENDIAN));
  }

  /**
   * A tensor of {@code dtype} holding {@code values} converted from float: rounded to nearest even for the 16-bit
   * floats, truncated toward zero for integers, non-zero for bool.
   */
  public static Tensor fromFloats(DType dtype, Shape shape, float[] values) {
    if (dtype == DType.FLOAT32) {
      return of(shape, values);
    }
    ByteBuffer b = allocate(dtype, shape, values.length);
    for (float v : values) {
      switch (dtype) {
        case FLOAT16: b.putShort(HalfFloats.floatToHalf(v)); break;
        case BFLOAT16: b.putShort(HalfFloats.floatToBfloat16(v)); break;
        case INT64: b.putLong((long) v); break;
        case INT32: b.putInt((int) v); break;
        case UINT8: b.put((byte) Math.max(0, Math.min(255, (int) v))); break;
        case BOOL: b.put((byte) (v != 0f ? 1 : 0)); break;
        default: throw new AssertionError(dtype);
      }
    }
    b.flip();
    return seal(dtype, shape, b);
  }

  private static ByteBuffer allocate(DType dtype, Shape shape, int valueCount) {
    long bytes = checkedByteSize(dtype, shape);
    if (valueCount != shape.size()) {
      throw new MedvisionException("shape " + shape + " holds " + shape.size() + " elements, got " + valueCount
          + " values");
    }
    return ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static Tensor seal(DType dtype, Shape shape, ByteBuffer b) {
    b.position(0);
    return new Tensor(dtype, shape, b.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN));
  }

  private static long checkedByteSize(DType dtype, Shape shape) {
    if (!shape.isFullyKnown()) {
      throw new MedvisionException("a host tensor needs a fully known shape, got " + shape);
    }
    long bytes = Math.multiplyExact(shape.size(), (long) dtype.byteSize());
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new MedvisionException("tensor of shape " + shape + " (" + dtype + ") is larger than 2 GiB; split it");
    }
    return bytes;
  }

  /** The element type. */
  public DType dtype() {
    return dtype;
  }

  /** The shape; always fully known. */
  public Shape shape() {
    return shape;
  }

  /** Number of elements. */
  public long size() {
    return shape.size();
  }

  /** Size of the data in bytes. */
  public int byteSize() {
    return data.limit();
  }

  /** A read-only little-endian view of the data, positioned at 0. */
  public ByteBuffer data() {
    return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** A copy of the raw little-endian bytes. */
  public byte[] toByteArray() {
    byte[] out = new byte[data.limit()];
    data().get(out);
    return out;
  }

  /** The values as floats, converting from any dtype. */
  public float[] toFloatArray() {
    int n = (int) size();
    ByteBuffer b = data();
    float[] out = new float[n];
    switch (dtype) {
      case FLOAT32: b.asFloatBuffer().get(out); break;
      case FLOAT16: for (int i = 0; i < n; i++) { out[i] = HalfFloats.halfToFloat(b.getShort()); } break;
      case BFLOAT16: for (int i = 0; i < n; i++) { out[i] = HalfFloats.bfloat16ToFloat(b.getShort()); } break;
      case INT64: for (int i = 0; i < n; i++) { out[i] = b.getLong(); } break;
      case INT32: for (int i = 0; i < n; i++) { out[i] = b.getInt(); } break;
      case UINT8: case BOOL: for (int i = 0; i < n; i++) { out[i] = b.get() & 0xFF; } break;
      default: throw new AssertionError(dtype);
    }
    return out;
  }

  /**
   * The values as longs.
   *
   * @throws MedvisionException for floating-point tensors, which would need rounding
   */
  public long[] toLongArray() {
    int n = (int) size();
    ByteBuffer b = data();
    long[] out = new long[n];
    switch (dtype) {
      case INT64: b.asLongBuffer().get(out); break;
      case INT32: for (int i = 0; i < n; i++) { out[i] = b.getInt(); } break;
      case UINT8: case BOOL: for (int i = 0; i < n; i++) { out[i] = b.get() & 0xFF; } break;
      default: throw new MedvisionException("cannot read a " + dtype + " tensor as integers without rounding");
    }
    return out;
  }

  /** This tensor converted to {@code target} (see {@link #fromFloats} for the rounding rules). */
  public Tensor to(DType target) {
    if (target == dtype) {
      return this;
    }
    if (target == DType.INT64 && !dtype.isFloatingPoint()) {
      return ofLongs(shape, toLongArray());
    }
    return fromFloats(target, shape, toFloatArray());
  }

  /**
   * The same data with another shape of equal element count.
   *
   * @throws MedvisionException if the element counts differ
   */
  public Tensor reshape(Shape newShape) {
    if (!newShape.isFullyKnown() || newShape.size() != size()) {
      throw new MedvisionException("cannot reshape a tensor of shape " + shape + " to " + newShape);
    }
    return new Tensor(dtype, newShape, data);
  }

  /** True when dtype, shape and every byte agree. */
  public boolean contentEquals(Tensor other) {
    return dtype == other.dtype && shape.equals(other.shape) && data().equals(other.data());
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Tensor(").append(dtype).append(' ').append(shape);
    if (size() <= 8) {
      sb.append(' ').append(dtype.isFloatingPoint() ? Arrays.toString(toFloatArray()) : Arrays.toString(toLongArray()));
    }
    return sb.append(')').toString();
  }
}
