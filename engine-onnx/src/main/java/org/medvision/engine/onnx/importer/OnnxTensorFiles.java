package org.medvision.engine.onnx.importer;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.medvision.api.tensor.Tensor;

/**
 * Reads serialised ONNX {@code TensorProto} files, the format of the ONNX test suites' {@code input_N.pb} and
 * {@code output_N.pb}, into host tensors.
 */
public final class OnnxTensorFiles {
  private OnnxTensorFiles() {}

  /**
   * A tensor read from a file together with the name stored in it.
   *
   * @param name the {@code TensorProto.name}; empty when the file stores none
   * @param tensor the values
   */
  public record NamedTensor(String name, Tensor tensor) {}

  /**
   * Reads the tensor in {@code file}; external data, if any, is looked up next to the file.
   *
   * @throws OnnxImportException naming the file when it cannot be read, is not a TensorProto, or its data disagree
   *     with its shape
   * @throws UnsupportedOnnxException when its element type is one our tensors lack
   */
  public static Tensor read(Path file) {
    return readNamed(file).tensor();
  }

  /** {@link #read(Path)}, keeping the name stored in the file. */
  public static NamedTensor readNamed(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new OnnxImportException("cannot read tensor file " + file + ": " + e, e);
    }
    TensorProto proto;
    try {
      proto = TensorProto.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new OnnxImportException(file + " is not an ONNX TensorProto: " + e.getMessage(), e);
    }
    if (!proto.hasDataType() || proto.getDataType() == TensorProto.DataType.UNDEFINED_VALUE) {
      throw new OnnxImportException(file + " is not an ONNX TensorProto: it declares no data type");
    }
    String what = "tensor " + (proto.getName().isEmpty() ? "" : "'" + proto.getName() + "' ") + "in " + file;
    return new NamedTensor(proto.getName(), TensorProtos.decode(proto, what, file.toAbsolutePath().getParent()));
  }
}
