package org.medvision.engine.onnx.importer;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Hand-built ONNX protos for importer tests, so each test states exactly what the file contains. */
final class OnnxModels {
  private OnnxModels() {}

  /** A model of {@code graph} stamped with ai.onnx {@code opset}. */
  static OnnxMl.ModelProto model(int opset, OnnxMl.GraphProto.Builder graph) {
    return OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("test")
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
        .setGraph(graph).build();
  }

  /** A float32 value info; a negative dim is symbolic ("N"), a null dims array means no shape at all. */
  static OnnxMl.ValueInfoProto value(String name, int elemType, long... dims) {
    OnnxMl.TypeProto.Tensor.Builder t = OnnxMl.TypeProto.Tensor.newBuilder().setElemType(elemType);
    if (dims != null) {
      OnnxMl.TensorShapeProto.Builder s = OnnxMl.TensorShapeProto.newBuilder();
      for (long d : dims) {
        s.addDim(d < 0 ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N")
            : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
      }
      t.setShape(s);
    }
    return OnnxMl.ValueInfoProto.newBuilder().setName(name)
        .setType(OnnxMl.TypeProto.newBuilder().setTensorType(t)).build();
  }

  /** A float32 value info with a shape. */
  static OnnxMl.ValueInfoProto floats(String name, long... dims) {
    return value(name, TensorProto.DataType.FLOAT_VALUE, dims);
  }

  /** A node; attributes are added by the caller. */
  static NodeProto.Builder node(String name, String op, String[] inputs, String... outputs) {
    NodeProto.Builder b = NodeProto.newBuilder().setName(name).setOpType(op);
    for (String in : inputs) {
      b.addInput(in);
    }
    for (String out : outputs) {
      b.addOutput(out);
    }
    return b;
  }

  static AttributeProto ints(String name, long... v) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long x : v) {
      a.addInts(x);
    }
    return a.build();
  }

  static AttributeProto integer(String name, long v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
  }

  static AttributeProto real(String name, float v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
  }

  static AttributeProto string(String name, String v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
        .setS(ByteString.copyFromUtf8(v)).build();
  }

  /** A float32 initializer in {@code float_data}. */
  static TensorProto floatData(String name, long[] dims, float... values) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
    for (long d : dims) {
      t.addDims(d);
    }
    for (float v : values) {
      t.addFloatData(v);
    }
    return t.build();
  }

  /** A float32 initializer in little-endian {@code raw_data}. */
  static TensorProto floatRaw(String name, long[] dims, float... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
        .setRawData(ByteString.copyFrom(b.array()));
    for (long d : dims) {
      t.addDims(d);
    }
    return t.build();
  }

  /** A 1-D int64 initializer in {@code int64_data}. */
  static TensorProto int64s(String name, long... values) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
        .addDims(values.length);
    for (long v : values) {
      t.addInt64Data(v);
    }
    return t.build();
  }
}
