package org.medvision.io.nifti;

import java.nio.ByteBuffer;

/**
 * The NIfTI voxel types we read and write, with their {@code datatype} codes from {@code nifti1.h}.
 *
 * <p>64-bit integers are converted to float like every other type; values beyond 2^24 in magnitude lose precision,
 * which is the same loss any float volume has.
 */
public enum NiftiDataType {
  /** Unsigned 8-bit, code 2. */
  UINT8(2, 1),
  /** Signed 16-bit, code 4. */
  INT16(4, 2),
  /** Signed 32-bit, code 8. */
  INT32(8, 4),
  /** IEEE float, code 16. */
  FLOAT32(16, 4),
  /** IEEE double, code 64. */
  FLOAT64(64, 8),
  /** Signed 8-bit, code 256. */
  INT8(256, 1),
  /** Unsigned 16-bit, code 512. */
  UINT16(512, 2),
  /** Unsigned 32-bit, code 768. */
  UINT32(768, 4),
  /** Signed 64-bit, code 1024. */
  INT64(1024, 8),
  /** Unsigned 64-bit, code 1280. */
  UINT64(1280, 8);

  private final int code;
  private final int bytes;

  NiftiDataType(int code, int bytes) {
    this.code = code;
    this.bytes = bytes;
  }

  /** The header's {@code datatype} code. */
  public int code() {
    return code;
  }

  /** Bytes per voxel. */
  public int bytes() {
    return bytes;
  }

  /** Bits per voxel, the header's {@code bitpix}. */
  public int bitpix() {
    return 8 * bytes;
  }

  /** The type with this code, or null when we do not support it (see {@link #describe}). */
  static NiftiDataType forCode(int code) {
    for (NiftiDataType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }

  /** A name for any datatype code in {@code nifti1.h}, for messages about types we do not read. */
  static String describe(int code) {
    switch (code) {
      case 0:
        return "UNKNOWN (0)";
      case 1:
        return "BINARY (1)";
      case 32:
        return "COMPLEX64 (32)";
      case 128:
        return "RGB24 (128)";
      case 1536:
        return "FLOAT128 (1536)";
      case 1792:
        return "COMPLEX128 (1792)";
      case 2048:
        return "COMPLEX256 (2048)";
      case 2304:
        return "RGBA32 (2304)";
      default:
        NiftiDataType t = forCode(code);
        return t == null ? "unknown code " + code : t.name() + " (" + code + ")";
    }
  }

  /** Reads one voxel at the buffer's position (in the buffer's byte order) as a double. */
  double read(ByteBuffer in) {
    switch (this) {
      case UINT8:
        return in.get() & 0xff;
      case INT8:
        return in.get();
      case INT16:
        return in.getShort();
      case UINT16:
        return in.getShort() & 0xffff;
      case INT32:
        return in.getInt();
      case UINT32:
        return in.getInt() & 0xffffffffL;
      case INT64:
        return in.getLong();
      case UINT64:
        long v = in.getLong();
        // Unsigned value = signed value + 2^64 when the sign bit is set.
        return v >= 0 ? v : v + 0x1p64;
      case FLOAT32:
        return in.getFloat();
      case FLOAT64:
        return in.getDouble();
      default:
        throw new AssertionError(this);
    }
  }

  /** True when {@code value} is stored exactly by this type (integers in range; any float for float types). */
  boolean holdsExactly(float value) {
    switch (this) {
      case FLOAT32:
      case FLOAT64:
        return true;
      case UINT8:
        return isInteger(value) && value >= 0 && value <= 255;
      case INT8:
        return isInteger(value) && value >= -128 && value <= 127;
      case INT16:
        return isInteger(value) && value >= Short.MIN_VALUE && value <= Short.MAX_VALUE;
      case UINT16:
        return isInteger(value) && value >= 0 && value <= 65535;
      case INT32:
        return isInteger(value) && value >= Integer.MIN_VALUE && value < 0x1p31;
      case UINT32:
        return isInteger(value) && value >= 0 && value < 0x1p32;
      case INT64:
        return isInteger(value) && value >= -0x1p63 && value < 0x1p63;
      case UINT64:
        return isInteger(value) && value >= 0 && value < 0x1p64;
      default:
        throw new AssertionError(this);
    }
  }

  private static boolean isInteger(float value) {
    return Float.isFinite(value) && value == Math.rint(value);
  }

  /** Writes one voxel, which {@link #holdsExactly} has accepted, at the buffer's position. */
  void write(ByteBuffer out, float value) {
    switch (this) {
      case UINT8:
      case INT8:
        out.put((byte) (long) value);
        break;
      case INT16:
      case UINT16:
        out.putShort((short) (long) value);
        break;
      case INT32:
      case UINT32:
        out.putInt((int) (long) value);
        break;
      case INT64:
        out.putLong((long) value);
        break;
      case UINT64:
        out.putLong(value < 0x1p63 ? (long) value : (long) (value - 0x1p63) ^ Long.MIN_VALUE);
        break;
      case FLOAT32:
        out.putFloat(value);
        break;
      case FLOAT64:
        out.putDouble(value);
        break;
      default:
        throw new AssertionError(this);
    }
  }
}
