package org.medvision.api.tensor;

import java.util.Locale;
import org.medvision.api.MedvisionException;

/** Element types a host {@link Tensor} can hold, with their safetensors and ONNX codes. */
public enum DType {
  FLOAT32(4, "F32", 1),
  FLOAT16(2, "F16", 10),
  BFLOAT16(2, "BF16", 16),
  INT64(8, "I64", 7),
  INT32(4, "I32", 6),
  UINT8(1, "U8", 2),
  BOOL(1, "BOOL", 9);

  private final int byteSize;
  private final String safetensorsCode;
  private final int onnxCode;

  DType(int byteSize, String safetensorsCode, int onnxCode) {
    this.byteSize = byteSize;
    this.safetensorsCode = safetensorsCode;
    this.onnxCode = onnxCode;
  }

  /** Bytes per element. */
  public int byteSize() {
    return byteSize;
  }

  /** The dtype string used in a safetensors header, e.g. {@code "F32"}. */
  public String safetensorsCode() {
    return safetensorsCode;
  }

  /** The {@code TensorProto.DataType} number ONNX uses for this type. */
  public int onnxCode() {
    return onnxCode;
  }

  /** True for the three floating-point types. */
  public boolean isFloatingPoint() {
    return this == FLOAT32 || this == FLOAT16 || this == BFLOAT16;
  }

  /**
   * Parses a safetensors dtype code.
   *
   * @throws MedvisionException naming the code and the codes we read when it is not one of them
   */
  public static DType fromSafetensorsCode(String code) {
    for (DType t : values()) {
      if (t.safetensorsCode.equals(code)) {
        return t;
      }
    }
    throw new MedvisionException(
        "unsupported safetensors dtype '" + code + "'; supported: F32, F16, BF16, I64, I32, U8, BOOL");
  }

  /** Parses a user-facing name such as {@code float32}, {@code f16} or {@code bf16}. */
  public static DType parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    switch (n) {
      case "float32": case "f32": case "float": return FLOAT32;
      case "float16": case "f16": case "half": return FLOAT16;
      case "bfloat16": case "bf16": return BFLOAT16;
      case "int64": case "i64": case "long": return INT64;
      case "int32": case "i32": case "int": return INT32;
      case "uint8": case "u8": return UINT8;
      case "bool": return BOOL;
      default:
        throw new MedvisionException(
            "unknown dtype '" + name + "'; expected one of float32, float16, bfloat16, int64, int32, uint8, bool");
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
