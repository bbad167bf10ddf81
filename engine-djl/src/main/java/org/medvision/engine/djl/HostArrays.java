package org.medvision.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.medvision.api.engine.EngineException;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/**
 * Copies between host {@link Tensor}s and DJL NDArrays. Only float32, int64, int32, uint8 and bool cross: libtorch
 * via DJL 0.36 aborts the JVM on some bfloat16 paths, so 16-bit floats are refused here rather than passed on.
 */
final class HostArrays {
  private HostArrays() {}

  /** True for the dtypes this engine moves to and from the device. */
  static boolean supported(DType dtype) {
    return dtype == DType.FLOAT32 || dtype == DType.INT64 || dtype == DType.INT32 || dtype == DType.UINT8
        || dtype == DType.BOOL;
  }

  /**
   * Copies {@code t} into a new NDArray owned by {@code manager}, on its device.
   *
   * @param what the value's role and name, for the message, e.g. {@code input 'x'}
   * @throws EngineException for a 16-bit float tensor
   */
  static NDArray toDevice(NDManager manager, Tensor t, String what) {
    if (!supported(t.dtype())) {
      throw new EngineException(what + " is " + t.dtype() + t.shape() + "; the djl engine computes in float32 and "
          + "never hands 16-bit floats to DJL: convert it to float32 first");
    }
    return manager.create(t.data(), djlShape(t.shape()), dataType(t.dtype()));
  }

  /**
   * Copies {@code a} to a host tensor of dtype {@code declared} (converting when the op produced another type, e.g.
   * a float64 from a reduction).
   */
  static Tensor toHost(NDArray a, DType declared) {
    Shape shape = Shape.of(a.getShape().getShape());
    switch (declared) {
      case FLOAT32:
        return Tensor.of(shape, (a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false))
            .toFloatArray());
      case INT64:
        return Tensor.ofLongs(shape, (a.getDataType() == DataType.INT64 ? a : a.toType(DataType.INT64, false))
            .toLongArray());
      case INT32:
        return Tensor.ofInts(shape, (a.getDataType() == DataType.INT32 ? a : a.toType(DataType.INT32, false))
            .toIntArray());
      case UINT8:
        return Tensor.ofUint8(shape, (a.getDataType() == DataType.UINT8 ? a : a.toType(DataType.UINT8, false))
            .toByteArray());
      case BOOL:
        return Tensor.ofBooleans(shape, (a.getDataType() == DataType.BOOLEAN ? a
            : a.toType(DataType.BOOLEAN, false)).toBooleanArray());
      default:
        throw new EngineException("the djl engine cannot return a " + declared + " tensor; its outputs are float32, "
            + "int64, int32, uint8 or bool");
    }
  }

  /** Our shape as DJL's. */
  static ai.djl.ndarray.types.Shape djlShape(Shape s) {
    return new ai.djl.ndarray.types.Shape(s.dims());
  }

  private static DataType dataType(DType t) {
    switch (t) {
      case FLOAT32: return DataType.FLOAT32;
      case INT64: return DataType.INT64;
      case INT32: return DataType.INT32;
      case UINT8: return DataType.UINT8;
      case BOOL: return DataType.BOOLEAN;
      default: throw new AssertionError(t);
    }
  }
}
