package org.medvision.engine.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import org.medvision.api.engine.EngineException;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/**
 * Copies between host {@link Tensor}s (little-endian heap data) and ONNX Runtime tensors (native-order direct
 * buffers). Going through typed buffers makes the byte order explicit instead of assuming a little-endian host.
 */
final class OrtTensors {
  private OrtTensors() {}

  /**
   * A new ORT tensor holding a copy of {@code t}; the caller closes it.
   *
   * @throws OrtException if ORT rejects the tensor
   */
  static OnnxTensor toOrt(OrtEnvironment env, Tensor t) throws OrtException {
    long[] shape = t.shape().dims();
    ByteBuffer src = t.data();
    ByteBuffer direct = ByteBuffer.allocateDirect(t.byteSize()).order(ByteOrder.nativeOrder());
    switch (t.dtype()) {
      case FLOAT32: {
        FloatBuffer fb = direct.asFloatBuffer();
        fb.put(src.asFloatBuffer()).rewind();
        return OnnxTensor.createTensor(env, fb, shape);
      }
      case INT64: {
        LongBuffer lb = direct.asLongBuffer();
        lb.put(src.asLongBuffer()).rewind();
        return OnnxTensor.createTensor(env, lb, shape);
      }
      case INT32: {
        IntBuffer ib = direct.asIntBuffer();
        ib.put(src.asIntBuffer()).rewind();
        return OnnxTensor.createTensor(env, ib, shape);
      }
      case FLOAT16: case BFLOAT16: {
        ShortBuffer sb = direct.asShortBuffer();
        sb.put(src.asShortBuffer()).rewind();
        return OnnxTensor.createTensor(env, sb, shape, javaType(t.dtype()));
      }
      case UINT8: case BOOL:
        direct.put(src).rewind();
        return OnnxTensor.createTensor(env, direct, shape, javaType(t.dtype()));
      default:
        throw new EngineException("the onnx engine cannot pass a " + t.dtype() + " tensor to ONNX Runtime");
    }
  }

  /**
   * A host copy of the ORT tensor {@code value}, the graph output {@code name}.
   *
   * @throws EngineException if ORT produced an element type host tensors cannot hold
   */
  static Tensor toHost(String name, OnnxTensor value) {
    TensorInfo info = value.getInfo();
    DType dtype = dtype(name, info.type);
    Shape shape = Shape.of(info.getShape());
    ByteBuffer le = ByteBuffer.allocate(Math.toIntExact(shape.size() * dtype.byteSize()))
        .order(ByteOrder.LITTLE_ENDIAN);
    switch (dtype) {
      case FLOAT32: le.asFloatBuffer().put(value.getFloatBuffer()); break;
      case INT64: le.asLongBuffer().put(value.getLongBuffer()); break;
      case INT32: le.asIntBuffer().put(value.getIntBuffer()); break;
      case FLOAT16: case BFLOAT16: le.asShortBuffer().put(value.getShortBuffer()); break;
      case UINT8: case BOOL: le.put(value.getByteBuffer()).rewind(); break;
      default: throw new AssertionError(dtype);
    }
    return Tensor.fromBytes(dtype, shape, le);
  }

  private static OnnxJavaType javaType(DType dtype) {
    switch (dtype) {
      case FLOAT32: return OnnxJavaType.FLOAT;
      case FLOAT16: return OnnxJavaType.FLOAT16;
      case BFLOAT16: return OnnxJavaType.BFLOAT16;
      case INT64: return OnnxJavaType.INT64;
      case INT32: return OnnxJavaType.INT32;
      case UINT8: return OnnxJavaType.UINT8;
      case BOOL: return OnnxJavaType.BOOL;
      default: throw new AssertionError(dtype);
    }
  }

  private static DType dtype(String name, OnnxJavaType type) {
    for (DType d : DType.values()) {
      if (javaType(d) == type) {
        return d;
      }
    }
    throw new EngineException("ONNX Runtime returned output '" + name + "' as " + type
        + ", which has no medvision tensor type");
  }
}
