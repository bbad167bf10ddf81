package org.medvision.engine.onnx.importer;

import java.util.List;

/**
 * A well-formed ONNX model that the IR cannot express: operators outside the op set, attribute values or dtypes the
 * IR deliberately lacks, an opset outside the supported range. Every such problem in the model is listed together,
 * each with the node (or tensor) concerned, so one run tells the whole story.
 */
public class UnsupportedOnnxException extends OnnxImportException {
  /** Several problems, reported together. */
  public UnsupportedOnnxException(List<String> problems) {
    super("ONNX model uses what the medvision IR does not support", problems);
  }

  /** One problem. */
  public UnsupportedOnnxException(String problem) {
    this(List.of(problem));
  }
}
